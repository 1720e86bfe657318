//! Revocation exposure against closed forms and its properties: the stolen-token tail of
//! a revoked session without CAE and with CAE, tokens a no-cache app was handed, Token
//! Protection against the replay attacker, and CAE location enforcement.

use crate::common::model;
use tokensim::domain::exposure::{Attacker, Fate, Window};
use tokensim::engine::SimTime;
use tokensim::scenario::Scenario;
use tokensim::sim::{AppRef, Observer, RevocationRecord, SimulationBuilder};

/// Kolmogorov–Smirnov critical value at α = 10⁻⁵ for `n` samples, √(−ln(α/2) / 2n): a
/// correct engine fails less than once in 10⁵ runs.
fn ks_bound(n: usize) -> f64 {
    ((2.0f64 / 1e-5).ln() / (2.0 * n as f64)).sqrt()
}

/// The KS distance between the sample and the CDF `f`.
fn ks_distance(sample: &mut [f64], f: impl Fn(f64) -> f64) -> f64 {
    sample.sort_by(f64::total_cmp);
    let n = sample.len() as f64;
    sample
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let fx = f(x);
            (fx - i as f64 / n)
                .abs()
                .max((fx - (i + 1) as f64 / n).abs())
        })
        .fold(0.0, f64::max)
}

#[derive(Default)]
struct Records {
    rows: Vec<RevocationRecord>,
    blocked_ms: u64,
    wanted_ms: u64,
}

impl Observer for Records {
    fn revocation(&mut self, r: &RevocationRecord) {
        self.rows.push(*r);
    }
    fn app_blocked(&mut self, _app: AppRef, from: SimTime, to: SimTime) {
        self.blocked_ms += to.since(from).as_millis();
    }
    fn session(&mut self, _user: u32, from: SimTime, to: SimTime) {
        self.wanted_ms += to.since(from).as_millis();
    }
}

fn run(s: &Scenario) -> Records {
    let mut rec = Records::default();
    for unit in 0..s.scale_units {
        SimulationBuilder::new(s, unit).build().run(&mut rec);
    }
    rec
}

/// One always-on segment of password users whose single app calls every minute; `app`
/// and `policy` are TOML lines added to the app and to the model.
fn always_on(policy: &str, app: &str, users: u32) -> String {
    format!(
        r#"
[scenario]
name = "exposure"
start = "2026-01-05T00:00"
horizon = "120d"
seed = 5
users = {users}
{policy}
[platform]
capacity = 1000000
loop_detection = 0
[events.rates]
password-change = 40
[[segment]]
name = "s"
share = 1.0
sign_in = "password"
activity = {{ pattern = "always-on" }}
[[segment.app]]
name = "a"
client = "native"
profile = "msal-dotnet"
call_interval = "1m"
{app}
"#
    )
}

fn stolen_tails(rows: &[RevocationRecord], cae: bool) -> Vec<f64> {
    rows.iter()
        .filter(|r| r.facts.fate == Fate::Revoked && r.cae == cae)
        .map(|r| match r.facts.window(Attacker::StolenAccessToken) {
            Window::Tail(d) => d.as_minutes_f64(),
            w => panic!("a stolen access token always has a tail, got {w:?}"),
        })
        .collect()
}

/// Fixed lifetime L = 60 min, margin m = 5 min, a call every c = 1 min and an instant
/// platform: a token is served while at least m remains (with exactly m left too), so
/// the app refreshes at the first call with less than m left, L − m + c = 56 min after
/// the token was issued; at a password change (a Poisson time, independent of the cycle)
/// the token's age is uniform on [0, L − m + c) and the stolen-token tail L − age is
/// uniform on (m − c, L] = (4, 60]: mean 32 min.
#[test]
fn stolen_token_tail_without_cae_is_uniform_between_margin_less_one_call_and_lifetime() {
    let s = model(
        &always_on(
            "[policy.access_token]\nlifetime_min = \"60m\"\nlifetime_max = \"60m\"",
            "",
            80,
        ),
        &[],
    );
    let mut tails = stolen_tails(&run(&s).rows, false);
    let n = tails.len();
    assert!(n > 800, "too few revoked sessions: {n}");
    let mean = tails.iter().sum::<f64>() / n as f64;
    let se = 56.0 / (12.0 * n as f64).sqrt();
    assert!(
        (mean - 32.0).abs() < 4.5 * se,
        "mean {mean:.2}, expected 32 ± {:.2}",
        4.5 * se
    );
    assert!(tails.iter().all(|t| *t > 4.0 - 1e-9 && *t <= 60.0));
    let d = ks_distance(&mut tails, |x| ((x - 4.0) / 56.0).clamp(0.0, 1.0));
    assert!(d < ks_bound(n), "KS distance {d:.4} ≥ {:.4}", ks_bound(n));
}

/// With proactive refresh: a fixed 4 h lifetime makes the platform send `refresh_in` = 2 h,
/// and msal-python refreshes inline at the first call strictly after `refresh_on`, one
/// call (1 min) later, so a token is replaced L/2 + 1 min after issue and the tail is
/// uniform on (L/2 − 1 min, L] = (119, 240] min.
#[test]
fn stolen_token_tail_with_proactive_refresh_is_uniform_from_half_the_lifetime() {
    let text = always_on(
        "[policy.access_token]\nlifetime_min = \"4h\"\nlifetime_max = \"4h\"",
        "",
        80,
    )
    .replace("profile = \"msal-dotnet\"", "profile = \"msal-python\"");
    let mut tails = stolen_tails(&run(&model(&text, &[])).rows, false);
    let n = tails.len();
    assert!(n > 800, "too few revoked sessions: {n}");
    let d = ks_distance(&mut tails, |x| ((x - 119.0) / 121.0).clamp(0.0, 1.0));
    assert!(d < ks_bound(n), "KS distance {d:.4} ≥ {:.4}", ks_bound(n));
}

/// CAE with propagation uniform on [0, P], P = 15 min, and 20 min CAE tokens: the
/// resource cuts the stolen token at min(D, R), with D uniform on [0, P] and the remaining
/// life R uniform on (4, 20] min (as above, L = 20, m = 5, c = 1), independent: the
/// survival is (1 − x/15) · min(1, (20 − x)/16).
#[test]
fn stolen_token_tail_with_cae_is_the_propagation_delay_capped_by_remaining_life() {
    let s = model(
        &always_on(
            "[policy.cae]\nlifetime_min = \"20m\"\nlifetime_max = \"20m\"\npropagation_max = \"15m\"",
            "cp1 = true\nresources = [\"exchange\"]",
            80,
        ),
        &[],
    );
    let mut tails = stolen_tails(&run(&s).rows, true);
    let n = tails.len();
    assert!(n > 800, "too few revoked CAE sessions: {n}");
    let survival = |x: f64| {
        let x = x.clamp(0.0, 15.0);
        (1.0 - x / 15.0) * ((20.0 - x) / 16.0).min(1.0)
    };
    assert!(tails.iter().all(|t| *t <= 15.0));
    let d = ks_distance(&mut tails, |x| 1.0 - survival(x));
    assert!(d < ks_bound(n), "KS distance {d:.4} ≥ {:.4}", ks_bound(n));
}

/// An app without a cache fetches a token at every call and drops it; each is still
/// valid 60–90 min, so a stolen one is exposure: the tail is the lifetime L (uniform
/// 60–90 min) less the age of the last call's token (uniform on [0, 5 min)), mean 72.5 min.
#[test]
fn tokens_handed_to_a_no_cache_app_count_as_exposure() {
    let text = always_on("", "", 60)
        .replace("profile = \"msal-dotnet\"", "profile = \"no-cache\"")
        .replace("call_interval = \"1m\"", "call_interval = \"5m\"");
    let tails = stolen_tails(&run(&model(&text, &[])).rows, false);
    let n = tails.len();
    assert!(n > 500, "too few revoked sessions: {n}");
    assert!(tails.iter().all(|t| *t > 55.0 && *t <= 90.0), "{tails:?}");
    let mean = tails.iter().sum::<f64>() / n as f64;
    let se = (900.0f64 / 12.0 + 25.0 / 12.0).sqrt() / (n as f64).sqrt();
    assert!(
        (mean - 72.5).abs() < 4.5 * se,
        "mean {mean:.2}, expected 72.5 ± {:.2}",
        4.5 * se
    );
}

/// Token Protection changes nothing in the simulation, only what a replaying attacker
/// gets: the same model with the policy on and off gives the same rows, except that the
/// replay window of a protected app (native, Exchange only) is nothing. The web app is out
/// of the policy's scope and keeps its replay window.
#[test]
fn token_protection_zeroes_replay_exposure_only_for_protected_apps() {
    let text = format!(
        "{}\n[[segment.app]]\nname = \"portal\"\nclient = \"web\"\nprofile = \"msal-dotnet\"\nresources = [\"exchange\"]\n",
        always_on("", "resources = [\"exchange\"]", 40)
    )
    .replace("horizon = \"120d\"", "horizon = \"30d\"");
    let off = run(&model(&text, &[]));
    let on = run(&model(&text, &["segment.0.token_protection=true"]));
    assert_eq!(off.rows.len(), on.rows.len());
    assert!(on.rows.len() > 100);
    let mut protected = 0;
    for (a, b) in off.rows.iter().zip(&on.rows) {
        assert_eq!((a.t, a.app, a.event), (b.t, b.app, b.event));
        assert!(!a.facts.protected);
        assert_eq!(
            b.facts.protected,
            b.app.slot == 0,
            "only the native app is in scope"
        );
        for attacker in [Attacker::StolenAccessToken, Attacker::CompromisedDevice] {
            assert_eq!(a.facts.window(attacker), b.facts.window(attacker));
        }
        if b.facts.protected {
            protected += 1;
            assert_eq!(b.facts.window(Attacker::Replay), Window::Nothing);
        } else {
            assert_eq!(
                a.facts.window(Attacker::Replay),
                b.facts.window(Attacker::Replay)
            );
        }
    }
    assert!(protected > 50);
}

/// CAE location enforcement on a segment where 30 % of sessions reach the resource from
/// another IP: standard mode gives them 1 h fallback tokens and blocks nobody; strict mode
/// blocks them (about 30 % of the wanted minutes) and rejects a stolen token presented
/// from elsewhere at once.
#[test]
fn strict_location_blocks_mismatched_sessions_and_rejects_stolen_tokens() {
    let text = always_on("", "cp1 = true\nresources = [\"exchange\"]", 200)
        .replace("horizon = \"120d\"", "horizon = \"10d\"")
        .replace(
            "sign_in = \"password\"",
            "sign_in = \"password\"\nip_mismatch_share = 0.3",
        );
    let standard = run(&model(&text, &[]));
    let strict = run(&model(&text, &["policy.cae.location=strict"]));
    assert_eq!(standard.blocked_ms, 0);
    let share = strict.blocked_ms as f64 / strict.wanted_ms as f64;
    // 200 apps, each blocked for its whole session with probability 0.3.
    let se = (0.3f64 * 0.7 / 200.0).sqrt();
    assert!((share - 0.3).abs() < 4.5 * se, "blocked share {share:.3}");
    assert!(
        stolen_tails(&strict.rows, true).iter().all(|t| *t == 0.0),
        "strict location rejects a token presented from another IP"
    );
    assert!(stolen_tails(&standard.rows, true).iter().any(|t| *t > 0.0));
}

/// The sweep and compare headline: measure (a) of the events `events.exposure_events`
/// selects, with measure (b) beside it. Revoke-all revokes every class, so choosing it
/// alone leaves no session alive; a password change leaves passwordless and confidential
/// sessions alive.
#[test]
fn headline_exposure_follows_the_chosen_event_kinds() {
    let headline = |events: &str| {
        let dir = crate::common::temp_dir(&format!("exposure-headline-{}", events.len()));
        let text =
            std::fs::read_to_string(crate::common::root().join("models/incident-response.toml"))
                .unwrap();
        let sets = [
            "scenario.users=200",
            "scenario.horizon=14d",
            &format!("events.exposure_events={events}"),
        ];
        let s = model(&text, &sets);
        let run = tokensim::metrics::RunResult::simulate(s, 2, &|_| true).unwrap();
        let summary = run.write_all(&dir).unwrap();
        let h = tokensim::analytics::headline::of_run(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        (summary.exposure, h)
    };
    let (revoke_all, h) = headline(r#"["admin-revoke-all"]"#);
    assert_eq!(h.get("exposure_left_alive_share").unwrap(), Some(0.0));
    assert_eq!(
        h.get("exposure_p95_minutes").unwrap(),
        revoke_all.all.p95_minutes
    );
    assert_eq!(revoke_all.headlines.len(), 1);
    assert!(revoke_all.headlines[0].starts_with("after admin-revoke-all"));
    let (changes, h) = headline(r#"["password-change", "admin-reset-azure-portal"]"#);
    let alive = h.get("exposure_left_alive_share").unwrap().unwrap();
    assert!(alive > 0.2 && alive < 1.0, "{alive}");
    assert_eq!(changes.headlines.len(), 2);
}
