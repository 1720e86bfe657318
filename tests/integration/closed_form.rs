//! The engine against mathematics: closed forms for Poisson activity, uniform token
//! lifetimes and fixed outages, with tolerances derived from the sample size.

use crate::common::model;
use tokensim::domain::PromptCause;
use tokensim::engine::{SimDuration, SimTime};
use tokensim::sim::{AppRef, CallResult, Observer, Outcome, SimulationBuilder};

/// Allowed deviation, in standard errors. 4.5 σ keeps a correct engine failing less than
/// once in 10⁵ runs; a real bias of the size of the effects below fails it at once.
const Z: f64 = 4.5;

/// Poisson activity (λ per day), single-call sessions, an app that redeems its refresh
/// token at every call (no cache), and only MaxInactiveTime T. By the Palm property, an
/// activity at t ≥ T finds the refresh token expired iff no activity fell in (t − T, t):
/// probability e^(−λT). The start acts as an activity (every app starts signed in), so
/// counting from T on is exact: no warm-up bias and no censoring at the horizon.
#[test]
fn inactivity_expiry_share_matches_exp_minus_lambda_t() {
    let (lambda, t_days): (f64, f64) = (1.0, 2.0);
    let s = model(
        r#"
[scenario]
name = "poisson"
start = "2026-01-05T00:00"
horizon = "400d"
seed = 11
users = 500
[policy.refresh_token]
max_inactive = "2d"
[platform]
capacity = 1000000
loop_detection = 0
[[segment]]
name = "p"
share = 1.0
activity = { pattern = "poisson", rate_per_day = 1.0 }
[[segment.app]]
name = "a"
client = "native"
profile = "no-cache"
"#,
        &[],
    );
    #[derive(Default)]
    struct Count {
        calls: u64,
        expired: u64,
        warmup: SimTime,
    }
    impl Observer for Count {
        fn call(&mut self, t: SimTime, _app: AppRef, _r: CallResult) {
            self.calls += (t >= self.warmup) as u64;
        }
        fn prompt(&mut self, t: SimTime, _app: AppRef, cause: PromptCause) {
            assert_eq!(cause, PromptCause::Inactivity);
            self.expired += (t >= self.warmup) as u64;
        }
    }
    let mut count = Count {
        warmup: SimTime::ZERO + SimDuration::from_days(2),
        ..Count::default()
    };
    SimulationBuilder::new(&s, 0).build().run(&mut count);
    let n = count.calls as f64;
    let p = (-lambda * t_days).exp();
    let observed = count.expired as f64 / n;
    let se = (p * (1.0 - p) / n).sqrt();
    assert!(n > 150_000.0, "too few samples: {n}");
    assert!(
        (observed - p).abs() < Z * se,
        "observed {observed:.5}, expected {p:.5} ± {:.5} (n = {n})",
        Z * se
    );
}

/// Always-on demand with uniform 60–90 min lifetimes and no proactive refresh: the app
/// refreshes at the first call (every second) with less than the 5 min margin left (a
/// token with exactly 5 min left is still served), so a refresh interval is the first
/// whole second strictly after L − 5 min, ⌊L − 5 min⌋ + 1 s: every interval lies in
/// (55 min, 85 min + 1 s], and their mean is 70 min + 0.5 s with the variance of a
/// uniform over 30 min, (30 min)²/12.
#[test]
fn refresh_intervals_follow_the_uniform_lifetime() {
    let s = model(
        r#"
[scenario]
name = "renewal"
start = "2026-01-05T00:00"
horizon = "30d"
seed = 5
users = 200
[platform]
capacity = 1000000
[[segment]]
name = "s"
share = 1.0
activity = { pattern = "always-on" }
[[segment.app]]
name = "a"
client = "native"
profile = "msal-dotnet"
call_interval = "1s"
"#,
        &[],
    );
    struct Intervals {
        last: Vec<Option<SimTime>>,
        minutes: Vec<f64>,
    }
    impl Observer for Intervals {
        fn requests(&mut self, t: SimTime, app: AppRef, outcome: Outcome, _n: u64) {
            assert_eq!(outcome, Outcome::Ok);
            if let Some(prev) = self.last[app.local as usize].replace(t) {
                self.minutes.push(t.since(prev).as_minutes_f64());
            }
        }
    }
    let mut obs = Intervals {
        last: vec![None; 200],
        minutes: Vec::new(),
    };
    SimulationBuilder::new(&s, 0).build().run(&mut obs);
    let n = obs.minutes.len() as f64;
    assert!(
        obs.minutes
            .iter()
            .all(|m| *m > 55.0 && *m <= 85.0 + 1.0 / 60.0)
    );
    let mean = obs.minutes.iter().sum::<f64>() / n;
    let var = obs.minutes.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let (mu, sigma2) = (70.0 + 0.5 / 60.0, 30.0f64.powi(2) / 12.0);
    let se_mean = (sigma2 / n).sqrt();
    assert!(
        (mean - mu).abs() < Z * se_mean,
        "mean {mean:.4} min, expected {mu:.4} ± {:.4}",
        Z * se_mean
    );
    // Var of the sample variance of a uniform: (μ4 − σ⁴)/n with μ4 = 9σ⁴/5.
    let se_var = ((9.0 / 5.0 - 1.0) * sigma2.powi(2) / n).sqrt();
    assert!(
        (var - sigma2).abs() < Z * se_var,
        "variance {var:.3}, expected {sigma2:.3} ± {:.3}",
        Z * se_var
    );
}

/// Per-app blocked intervals, from a full outage.
struct Blocked {
    per_app: Vec<f64>,
}

impl Observer for Blocked {
    fn app_blocked(&mut self, app: AppRef, from: SimTime, to: SimTime) {
        self.per_app[app.local as usize] += to.since(from).as_minutes_f64();
    }
}

fn outage_run(app: &str, lifetime: &str, outage_minutes: u64, users: u32) -> Vec<f64> {
    let s = model(
        &format!(
            r#"
[scenario]
name = "outage"
start = "2026-01-05T00:00"
horizon = "2d"
seed = 3
users = {users}
[policy.access_token]
lifetime_min = "{lifetime}"
lifetime_max = "{lifetime}"
[platform]
capacity = 1000000
loop_detection = 0
[platform.backup]
enabled = false
[[outage]]
kind = "full"
start = "1d"
duration = "{outage_minutes}m"
[[segment]]
name = "s"
share = 1.0
activity = {{ pattern = "always-on" }}
[[segment.app]]
name = "a"
call_interval = "1s"
{app}
"#
        ),
        &[],
    );
    let mut obs = Blocked {
        per_app: vec![0.0; users as usize],
    };
    SimulationBuilder::new(&s, 0).build().run(&mut obs);
    obs.per_app
}

fn share_and_mean(blocked: &[f64]) -> (f64, f64, usize) {
    let hit: Vec<f64> = blocked.iter().copied().filter(|m| *m > 0.0).collect();
    (
        hit.len() as f64 / blocked.len() as f64,
        hit.iter().sum::<f64>() / hit.len() as f64,
        hit.len(),
    )
}

/// Fixed lifetime L, continuous demand, no proactive refresh, no backup, and a full
/// outage of D < L − margin starting independently of token phases: an app is blocked
/// iff its refresh falls in the outage, so the blocked share is D/(L − margin). Its
/// refresh time u is then uniform over the outage and a fixed-retry client retries every
/// r, so it is blocked for ⌈(end − u)/r⌉·r: for D = n·r the mean is (D + r)/2.
#[test]
fn outage_blocks_d_over_l_minus_margin_for_d_plus_r_over_two() {
    let users = 2000;
    let blocked = outage_run(
        "client = \"native\"\nprofile = \"fixed-retry\"\nretry = { interval = \"60s\" }",
        "60m",
        30,
        users,
    );
    let (share, mean, hit) = share_and_mean(&blocked);
    let p = 30.0 / 55.0;
    let se = (p * (1.0 - p) / users as f64).sqrt();
    assert!(
        (share - p).abs() < Z * se,
        "blocked share {share:.4}, expected {p:.4} ± {:.4}",
        Z * se
    );
    // ⌈x/r⌉ is uniform on 1..=30 minutes: sd r·√((n²−1)/12).
    let expected = (30.0 + 1.0) / 2.0;
    let se_mean = (899.0f64 / 12.0).sqrt() / (hit as f64).sqrt();
    assert!(
        (mean - expected).abs() < Z * se_mean + 1.0 / 60.0,
        "mean blocked {mean:.3} min, expected {expected} ± {:.3}",
        Z * se_mean
    );
}

/// The same with proactive refresh at half-life (2 h tokens, refresh_in 1 h) and the old
/// token kept on failure (msal-python in an app that catches its exception): attempts
/// start at u = issue + 1 h + 1 s (the first call strictly after `refresh_on`), uniform
/// over the 1 h refresh period, and recur every 60 s (the throttle cache's window after
/// a 5xx). The old token is served up to issue + 115 min (exactly 5 min left), so the
/// first call without it is the 56th attempt, at w = u + 55 min. The app is blocked iff
/// that attempt fails inside the outage: iff u ∈ [start, end − 55 min). So the share is
/// (D − (L/2 − margin))/(L/2). Blocked time runs from w to the first attempt at or after
/// the end, ⌈(end − w)/1 min⌉ min with end − w uniform on (0, D − 55 min]: k min with k
/// uniform on 1..=D−55, mean (D − 54)/2 min.
#[test]
fn proactive_refresh_with_old_token_fallback_blocks_only_outages_longer_than_the_slack() {
    let users = 2000;
    let app = "client = \"native\"\nprofile = \"msal-python\"\ncatches_errors = true";
    let blocked = outage_run(app, "2h", 90, users);
    let (share, mean, hit) = share_and_mean(&blocked);
    let p = (90.0 - 55.0) / 60.0;
    let se = (p * (1.0 - p) / users as f64).sqrt();
    assert!(
        (share - p).abs() < Z * se,
        "blocked share {share:.4}, expected {p:.4} ± {:.4}",
        Z * se
    );
    let expected = 36.0 / 2.0;
    let se_mean = ((35.0f64 * 35.0 - 1.0) / 12.0).sqrt() / (hit as f64).sqrt();
    assert!(
        (mean - expected).abs() < Z * se_mean + 2.0 / 60.0,
        "mean blocked {mean:.3} min, expected {expected} ± {:.3}",
        Z * se_mean
    );
    // An outage no longer than the slack blocks nobody.
    let short = outage_run(app, "2h", 55, 300);
    assert!(short.iter().all(|m| *m == 0.0));
}
