//! Refresh-token timeouts in the simulation: no refresh succeeds after MaxInactiveTime
//! of inactivity or past a max age, and a shorter MaxInactiveTime never means fewer
//! inactivity prompts on the same seed.

use crate::common::{Seen, model, probe};
use proptest::prelude::*;
use tokensim::domain::PromptCause;
use tokensim::domain::idp::RequestKind;
use tokensim::engine::{SimDuration, SimTime};

/// Users with holidays, so inactivity bites; ages in hours.
fn world(max_inactive_h: u64, max_age_h: Option<u64>, holiday_days: u64, seed: u64) -> String {
    let age = max_age_h.map_or("until-revoked".to_string(), |h| format!("{h}h"));
    format!(
        r#"
[scenario]
name = "timeouts"
start = "2026-03-02T00:00"
horizon = "30d"
seed = {seed}
users = 5
[policy.refresh_token]
max_inactive = "{max_inactive_h}h"
max_age_single_factor = "{age}"
max_age_multi_factor = "{age}"
[[segment]]
name = "s"
share = 1.0
sign_in = "password"
activity = {{ pattern = "poisson", rate_per_day = 4, session = "30m" }}
absence = {{ per_year = 20, length = "{holiday_days}d" }}
[[segment.app]]
name = "desktop"
client = "native"
profile = "msal-dotnet"
[[segment.app]]
name = "web"
client = "web"
profile = "msal-python"
[[segment.app]]
name = "spa"
client = "spa"
profile = "msal-js"
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// 64 cases: every successful refresh comes within MaxInactiveTime of the refresh
    /// token's last use and within the max age of the sign-in it descends from.
    #[test]
    fn no_refresh_after_inactivity_or_max_age(
        max_inactive_h in 12u64..8 * 24,
        extra_age_h in prop::option::of(1u64..10 * 24),
        holiday_days in 1u64..10,
        seed in 0u64..1000,
    ) {
        let max_age_h = extra_age_h.map(|e| max_inactive_h + e);
        let p = probe(&model(&world(max_inactive_h, max_age_h, holiday_days, seed), &[]));
        let inactive = SimDuration::from_hours(max_inactive_h);
        for (i, seen) in p.apps.iter().enumerate() {
            let (mut used, mut auth) = (SimTime::ZERO, SimTime::ZERO);
            for e in seen {
                match *e {
                    Seen::Grant(g, RequestKind::Refresh) => {
                        prop_assert!(g.since(used) <= inactive, "app {i}: refresh at {g}, unused since {used}");
                        if let Some(h) = max_age_h {
                            prop_assert!(g.since(auth) <= SimDuration::from_hours(h), "app {i}: refresh at {g}, signed in at {auth}");
                        }
                        used = g;
                    }
                    Seen::Grant(g, RequestKind::PromptNone) => used = g,
                    Seen::Grant(g, RequestKind::Interactive) => (used, auth) = (g, g),
                    _ => {}
                }
            }
        }
    }

    /// 64 cases (two runs each): shortening MaxInactiveTime never reduces inactivity
    /// prompts on the same seed.
    #[test]
    fn shorter_inactivity_window_never_prompts_less(
        short_h in 12u64..6 * 24,
        longer_by_h in 1u64..6 * 24,
        holiday_days in 1u64..10,
        seed in 0u64..1000,
    ) {
        let count = |h: u64| {
            probe(&model(&world(h, None, holiday_days, seed), &[]))
                .apps
                .iter()
                .flatten()
                .filter(|e| matches!(e, Seen::Prompt(_, PromptCause::Inactivity)))
                .count()
        };
        let (short, long) = (count(short_h), count(short_h + longer_by_h));
        prop_assert!(short >= long, "{short_h} h: {short} prompts; {} h: {long}", short_h + longer_by_h);
    }
}

#[test]
fn the_properties_are_not_vacuous() {
    let p = probe(&model(&world(24, Some(48), 5, 1), &[]));
    let count = |f: &dyn Fn(&Seen) -> bool| p.apps.iter().flatten().filter(|e| f(e)).count();
    assert!(count(&|e| matches!(e, Seen::Prompt(_, PromptCause::Inactivity))) > 0);
    assert!(count(&|e| matches!(e, Seen::Prompt(_, PromptCause::MaxAge))) > 0);
    assert!(count(&|e| matches!(e, Seen::Grant(_, RequestKind::Refresh))) > 10);
}
