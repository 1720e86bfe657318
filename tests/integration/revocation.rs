//! The revocation rules hold in the simulation, not just in the table: random users,
//! token histories and events, checked against what the apps actually did afterwards.

use crate::common::{Seen, model, probe, root};
use proptest::prelude::*;
use std::collections::BTreeMap;
use tokensim::domain::PromptCause;
use tokensim::domain::idp::RequestKind;
use tokensim::domain::{EventKind, TokenClass};
use tokensim::engine::{SimDuration, SimTime};
use tokensim::sim::RevocationRecord;

/// One generated world: who signs in how, which apps have CAE, what happens when.
#[derive(Debug, Clone)]
pub struct Case {
    /// The event of the campaign hitting every user.
    pub event: EventKind,
    /// Share of sign-ins without a password.
    pub passwordless_share: f64,
    /// Apps declare `cp1`.
    pub cp1: bool,
    /// Their resource is CAE-capable (`graph`) or not (`erp`).
    pub cae_resource: bool,
    /// Minutes from the start to the event.
    pub at_minutes: u64,
    /// Admin API lag, minutes.
    pub lag_minutes: u64,
    /// CAE propagation bound, minutes.
    pub propagation_minutes: u64,
    /// Seed of the run.
    pub seed: u64,
}

/// A small world with a desktop app (public client), a confidential web app and a
/// single-page app per user, so every token class of the matrix occurs.
pub fn world(c: &Case) -> String {
    let resource = if c.cae_resource { "graph" } else { "erp" };
    let app = |name: &str, client: &str, profile: &str| {
        format!(
            "[[segment.app]]\nname = \"{name}\"\nclient = \"{client}\"\nprofile = \"{profile}\"\ncp1 = {}\nresources = [\"{resource}\"]\n",
            c.cp1
        )
    };
    format!(
        r#"
[scenario]
name = "prop"
start = "2026-03-02T00:00"
horizon = "4d"
seed = {seed}
users = 6
[policy.cae]
propagation_max = "{prop}m"
[events]
admin_api_lag = "{lag}m"
[[events.campaign]]
at = "{at}m"
event = "{event}"
[[segment]]
name = "s"
share = 1.0
sign_in = "mfa"
passwordless_share = {pls}
activity = {{ pattern = "poisson", rate_per_day = 10, session = "40m" }}
{desktop}{web}{spa}"#,
        seed = c.seed,
        prop = c.propagation_minutes,
        lag = c.lag_minutes,
        at = c.at_minutes,
        event = c.event.label(),
        pls = c.passwordless_share,
        desktop = app("desktop", "native", "msal-dotnet"),
        web = app("web", "web", "msal-python"),
        spa = app("spa", "spa", "msal-js"),
    )
}

/// The matrix file read independently of the simulator: (event, class) → revoked.
pub fn file_matrix() -> BTreeMap<(String, String), bool> {
    let mut reader = csv::Reader::from_path(root().join("datasets/revocation-matrix.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let mut cells = BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        for class in TokenClass::ALL {
            let col = header.iter().position(|h| h == class.label()).unwrap();
            cells.insert(
                (row[0].to_string(), class.label().to_string()),
                &row[col] == "revoked",
            );
        }
    }
    cells
}

fn is_token(c: TokenClass) -> bool {
    !matches!(
        c,
        TokenClass::PasswordCookie | TokenClass::NonPasswordCookie
    )
}

/// When the record's revocation took effect (admin revoke-all waits for the API lag).
fn applied(r: &RevocationRecord, lag: SimDuration) -> SimTime {
    if r.event == EventKind::AdminRevokeAll {
        r.t + lag
    } else {
        r.t
    }
}

/// Checks every rule for one generated world; the error says which rule broke where.
pub fn check(c: &Case) -> Result<(), String> {
    let s = model(&world(c), &[]);
    let p = probe(&s);
    let cells = file_matrix();
    let lag = SimDuration::from_mins(c.lag_minutes);
    let bound = SimDuration::from_mins(c.propagation_minutes);
    // The longest access token of the apps' sessions: CAE sessions get long-lived tokens
    // even when the event is not one CAE enforces (user revoke-all, single sign-out).
    let at_max = if c.cp1 && c.cae_resource {
        s.cae.lifetime_max
    } else {
        s.policy.at_max
    };
    if c.event == EventKind::PasswordExpiry && !p.records.is_empty() {
        return Err("password expiry produced revocation records".into());
    }
    for r in &p.records {
        let i = r.app.local as usize;
        let seen = &p.apps[i];
        let t = applied(r, lag);
        let here = format!("app {i}, {r:?}");
        // The matrix file and the simulation agree cell by cell.
        for class in TokenClass::ALL {
            let held = r.revoked.contains(class) || r.alive.contains(class);
            if r.revoked.contains(class) && r.alive.contains(class) {
                return Err(format!("{here}: {class:?} both revoked and alive"));
            }
            let file = cells.get(&(r.event.label().to_string(), class.label().to_string()));
            let expected = file.copied().unwrap_or(r.event == EventKind::UserDisabled);
            if held && r.revoked.contains(class) != expected {
                return Err(format!("{here}: {class:?} differs from the matrix file"));
            }
        }
        let revoked_token = TokenClass::ALL
            .iter()
            .any(|&k| is_token(k) && r.revoked.contains(k));
        let revoked_cookie = TokenClass::ALL
            .iter()
            .any(|&k| !is_token(k) && r.revoked.contains(k));
        if matches!(
            r.event,
            EventKind::UserRevokeAll | EventKind::AdminRevokeAll | EventKind::UserDisabled
        ) && !r.alive.is_empty()
        {
            return Err(format!("{here}: revoke-all left something alive"));
        }
        if r.event == EventKind::SingleSignOut
            && (revoked_token
                || TokenClass::ALL
                    .iter()
                    .any(|&k| !is_token(k) && r.alive.contains(k)))
        {
            return Err(format!(
                "{here}: single sign-out must revoke cookies and only cookies"
            ));
        }
        // A revoked refresh token never yields a token until the user signs in again;
        // a revoked cookie never signs in silently.
        for e in seen.iter() {
            match *e {
                Seen::Grant(g, RequestKind::Interactive) if g > t => break,
                Seen::Grant(g, RequestKind::Refresh) if g > t && revoked_token => {
                    return Err(format!("{here}: revoked refresh token redeemed at {g}"));
                }
                Seen::Grant(g, RequestKind::PromptNone) if g > t && revoked_cookie => {
                    return Err(format!("{here}: revoked cookie signed in at {g}"));
                }
                Seen::Grant(g, RequestKind::PromptNone) if g > t && revoked_token => break,
                _ => {}
            }
        }
        // Nothing revoked: no prompt blamed on revocation or CAE. A refresh token left
        // alive keeps working (90 days here): no interactive sign-in afterwards, except
        // the single-page app's fixed 24 h.
        let spa = s.segments[0].apps[r.app.slot as usize].name == "spa";
        for e in seen.iter() {
            match *e {
                Seen::Prompt(g, PromptCause::Revocation | PromptCause::Cae)
                    if g > t && r.revoked.is_empty() =>
                {
                    return Err(format!(
                        "{here}: prompt at {g} although nothing was revoked"
                    ));
                }
                Seen::Grant(g, RequestKind::Interactive)
                    if g > t && !revoked_token && !revoked_cookie && !spa =>
                {
                    return Err(format!(
                        "{here}: interactive sign-in at {g} with a live refresh token"
                    ));
                }
                _ => {}
            }
        }
        // Every use of an access token minted before the event falls in the stolen-token
        // window; with CAE within the propagation bound, without within its lifetime.
        let mut minted = None;
        for e in seen.iter() {
            match *e {
                Seen::Grant(g, _) => minted = Some(g),
                Seen::Served(u) if minted.is_some_and(|m| m <= r.t) && u > r.t => {
                    if u > r.t + r.facts.access {
                        return Err(format!(
                            "{here}: pre-event token accepted at {u}, after the exposure window"
                        ));
                    }
                    if r.cae && u > t + bound {
                        return Err(format!(
                            "{here}: CAE resource accepted a pre-event token at {u}"
                        ));
                    }
                }
                _ => {}
            }
        }
        // (An admin revoke-all adds its API lag, during which the session still mints tokens.)
        if r.facts.access.max(r.facts.fresh) > at_max + t.since(r.t) {
            return Err(format!("{here}: exposure beyond the access-token lifetime"));
        }
    }
    // Password expiry revokes nothing: nobody is prompted for it.
    if c.event == EventKind::PasswordExpiry {
        let prompted = p.apps.iter().flatten().any(|e| {
            matches!(
                e,
                Seen::Prompt(_, PromptCause::Revocation | PromptCause::Cae)
            )
        });
        if prompted {
            return Err("password expiry caused a prompt".into());
        }
    }
    Ok(())
}

fn case() -> impl Strategy<Value = Case> {
    let events = prop::sample::select(
        EventKind::MATRIX
            .iter()
            .copied()
            .chain([EventKind::UserDisabled, EventKind::IpLocationPolicy])
            .collect::<Vec<_>>(),
    );
    (
        events,
        prop::sample::select(vec![0.0, 0.5, 1.0]),
        any::<bool>(),
        any::<bool>(),
        60u64..3 * 24 * 60,
        0u64..10,
        0u64..=15,
        0u64..1000,
    )
        .prop_map(
            |(event, pls, cp1, cae_resource, at, lag, prop, seed)| Case {
                event,
                passwordless_share: pls,
                cp1,
                cae_resource,
                at_minutes: at,
                lag_minutes: lag,
                propagation_minutes: prop,
                seed,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// 256 cases: every matrix event, user disablement and a location-policy change, on
    /// random sign-in mixes, CAE on or off, event times, lags and propagation bounds.
    #[test]
    fn revocation_rules_hold_in_the_simulation(c in case()) {
        prop_assert_eq!(check(&c), Ok(()));
    }
}

/// Every event against every class at least once, with and without CAE.
#[test]
fn matrix_file_and_simulation_agree_for_every_event() {
    for &event in EventKind::MATRIX {
        for (cp1, pls) in [(false, 0.0), (true, 1.0), (true, 0.5)] {
            let c = Case {
                event,
                passwordless_share: pls,
                cp1,
                cae_resource: true,
                at_minutes: 26 * 60,
                lag_minutes: 3,
                propagation_minutes: 15,
                seed: 3,
            };
            assert_eq!(check(&c), Ok(()), "{c:?}");
            let p = probe(&model(&world(&c), &[]));
            if event != EventKind::PasswordExpiry {
                let classes = p.records.iter().fold(0usize, |n, r| {
                    n + r.revoked.labels().len() + r.alive.labels().len()
                });
                assert!(classes > 0, "{event:?}: no token classes recorded");
            }
        }
    }
}

/// Defect: after `user-disabled` the next interactive sign-in succeeded, so a disabled
/// user came back after one prompt. A disabled account stays out for the rest of the
/// run: no token of any kind, no prompt, and no use of a token after the event.
#[test]
fn a_disabled_user_stays_out_for_the_rest_of_the_run() {
    for cp1 in [false, true] {
        let c = Case {
            event: EventKind::UserDisabled,
            passwordless_share: 0.5,
            cp1,
            cae_resource: true,
            at_minutes: 26 * 60,
            lag_minutes: 0,
            propagation_minutes: 15,
            seed: 5,
        };
        let p = probe(&model(&world(&c), &[]));
        let te = SimTime::ZERO + SimDuration::from_mins(c.at_minutes);
        assert!(!p.records.is_empty(), "the event hit nobody");
        for (i, seen) in p.apps.iter().enumerate() {
            let after: Vec<&Seen> = seen
                .iter()
                .filter(|e| match **e {
                    Seen::Grant(t, _) | Seen::Served(t) | Seen::Prompt(t, _) => t > te,
                })
                .collect();
            assert!(after.is_empty(), "cp1 {cp1}, app {i}: {after:?}");
        }
    }
}
