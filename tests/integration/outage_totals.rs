//! Outage figures count each user, user-minute and call once: a preset's phases are one
//! incident, totals over incidents are unions, and a failed one-call visit is blocked.

use crate::common::{model, temp_dir};
use tokensim::analytics::series::analyze;
use tokensim::analytics::{RunTables, breakdown, headline};
use tokensim::metrics::{RunResult, Summary};

/// Two incidents within 24 h of each other: the three-phase 2021-03-15 preset and a
/// full outage two hours after its residual phase ends.
const TWO_INCIDENTS: &str = r#"
[scenario]
name = "totals"
start = "2026-03-02T00:00"
horizon = "4d"
users = 300
scale_units = 2
[platform]
capacity = 1000
[platform.backup]
enabled = false
[[outage]]
preset = "2021-03-15-key-rotation"
start = "1d09h"
[[outage]]
name = "second"
kind = "full"
start = "2d01h"
duration = "3h"
[[segment]]
name = "always"
share = 1.0
activity = { pattern = "always-on" }
  [[segment.app]]
  name = "desktop"
  client = "native"
  profile = "msal-dotnet"
  [[segment.app]]
  name = "browser"
  client = "spa"
  profile = "msal-js"
"#;

/// Defect: each phase of a multi-phase preset was its own outage and the totals added
/// outages whose windows overlap, so `report.md` showed 7,973 users blocked during
/// outages for 4,000 users. Now the preset is one incident with its phases listed, and
/// the totals are unions: never more users than exist, never more minutes than the
/// users lost, no less than any one incident.
#[test]
fn outage_totals_never_exceed_population() {
    let dir = temp_dir("outage-totals");
    let run = RunResult::simulate(model(TWO_INCIDENTS, &[]), 2, &|_| true).unwrap();
    let s = run.write_all(&dir).unwrap();
    let users = s.users as f64;
    let h = headline::of_run(&dir).unwrap();
    let total_users = h.get("outage_users_blocked").unwrap().unwrap();
    let total_minutes = h.get("outage_blocked_user_minutes").unwrap().unwrap();
    assert!(
        total_users <= users,
        "{total_users} blocked of {users} users"
    );
    assert_eq!(s.outages.len(), 2, "one entry per incident");
    let preset = &s.outages[0];
    assert_eq!(preset.name, "2021-03-15-key-rotation");
    assert_eq!(preset.phases.len(), 3);
    assert_eq!(preset.kind, "signing-key+full+degraded");
    assert!(s.outages[1].phases.len() == 1);
    let d = s.during_outages.clone().expect("totals with outages");
    assert_eq!(d.users_blocked as f64, total_users);
    assert_eq!(d.blocked_user_minutes, total_minutes);
    let most = |f: &dyn Fn(usize) -> f64| f(0).max(f(1));
    let sum = |f: &dyn Fn(usize) -> f64| f(0) + f(1);
    let u = |k: usize| s.outages[k].users_blocked as f64;
    let m = |k: usize| s.outages[k].blocked_user_minutes;
    assert!(most(&u) > 0.0 && most(&u) <= total_users && total_users <= sum(&u));
    // The impact windows overlap by a day: the union is strictly less than the sum.
    assert!(most(&m) <= total_minutes && total_minutes < sum(&m));
    assert!(total_users <= s.blocked.users as f64);
    // Each user's minutes are stored in hundredths (±0.005 min), the union per unit.
    assert!(total_minutes <= s.blocked.user_minutes + 0.005 * users);
    let printed = s.to_string();
    assert!(printed.contains("phase 3 (degraded"), "{printed}");
    assert!(
        printed.contains(&format!("{} users blocked", d.users_blocked)),
        "{printed}"
    );
    let report = tokensim::report::markdown::report(&analyze(&dir).unwrap());
    assert!(report.contains("## Outage 1: 2021-03-15-key-rotation (signing-key+full+degraded)"));
    assert!(report.contains("## Outage 2: second (full)") && !report.contains("## Outage 3"));
    let row = format!("| users blocked during outages | {} |", d.users_blocked);
    assert!(report.contains(&row), "{report}");
}

/// One short visit per hour (`session = "0s"`: one call per visit), through a six-hour
/// full outage without backup authentication.
const ONE_CALL_VISITS: &str = r#"
[scenario]
name = "visits"
start = "2026-03-02T00:00"
horizon = "2d"
users = 200
[platform]
capacity = 1000
[platform.backup]
enabled = false
[[outage]]
kind = "full"
start = "1d"
duration = "6h"
[[segment]]
name = "phones"
share = 1.0
activity = { pattern = "poisson", rate_per_day = 24, session = "0s" }
  [[segment.app]]
  name = "check"
  client = "native"
  profile = "msal-dotnet"
"#;

/// Defect: a one-call visit whose call got no token lost no minutes, so it was never
/// a blocked user: `blocked.users` and `outages[].users_blocked` stayed 0 while
/// thousands of calls failed. A user whose call failed is blocked, failed calls are
/// counted, and the analytics (breakdowns) agree with the summary.
#[test]
fn a_failed_one_call_visit_is_a_blocked_user() {
    let dir = temp_dir("one-call-visits");
    let run = RunResult::simulate(model(ONE_CALL_VISITS, &[]), 1, &|_| true).unwrap();
    let s: Summary = run.write_all(&dir).unwrap();
    let o = &s.outages[0];
    // Six hourly visits per user fall in the outage; most find an expired token.
    assert!(o.calls_failed > 500, "{} calls failed", o.calls_failed);
    assert!(o.users_blocked > 150, "{} users blocked", o.users_blocked);
    assert!(s.blocked.users >= o.users_blocked);
    assert!(s.blocked.calls_failed >= o.calls_failed);
    assert_eq!(
        s.during_outages.as_ref().unwrap().calls_failed,
        o.calls_failed
    );
    let tables = RunTables::load(&dir).unwrap();
    let b = breakdown::breakdowns(&tables).unwrap();
    let blocked = b
        .column(breakdown::BLOCKED_USERS)
        .unwrap()
        .cast(&polars::prelude::DataType::Int64)
        .unwrap();
    let first = blocked.i64().unwrap().get(0).unwrap();
    assert_eq!(first as u64, s.blocked.users, "breakdown by segment");
}

/// Defect (found while fixing the above): an outage's `users_blocked` counted the users
/// of every unit blocked in its window, also in units it did not hit. Two one-unit
/// outages at the same time: each counts only its own unit's users.
#[test]
fn an_outage_counts_only_the_users_of_the_units_it_hit() {
    let text = TWO_INCIDENTS
        .replace(
            "preset = \"2021-03-15-key-rotation\"\nstart = \"1d09h\"",
            "name = \"first\"\nkind = \"full\"\nstart = \"1d09h\"\nduration = \"3h\"\nunits = [0]",
        )
        .replace("start = \"2d01h\"", "start = \"1d10h\"\nunits = [1]");
    let run = RunResult::simulate(model(&text, &[]), 1, &|_| true).unwrap();
    let s = crate::common::summary_of(&run);
    for (k, o) in s.outages.iter().enumerate() {
        let unit_users = run.units[k].observer.wanted_ms.len() as u64;
        assert_eq!(o.units_hit, 1);
        assert!(o.users_blocked > 0, "{}: nobody blocked", o.name);
        assert!(
            o.users_blocked <= unit_users,
            "{}: {} blocked of {unit_users} users in its unit",
            o.name,
            o.users_blocked
        );
    }
}

/// Calls answered from msal-python's throttle cache are skipped arithmetically; with
/// no valid token they fail too, and count. Always-on apps call every 10 s; their
/// 60-minute tokens (served while 5 minutes remain) stop being usable uniformly over
/// the first 55 minutes of a 3-hour full outage, after which every call fails until
/// the outage ends (and up to one 60 s throttle window beyond): 6 × (180 − 27.5 + 0.5)
/// failed calls per app on average, within four standard errors of the uniform draw.
#[test]
fn calls_answered_from_the_throttle_cache_without_a_token_count_as_failed() {
    let text = r#"
[scenario]
name = "throttled"
start = "2026-03-02T00:00"
horizon = "2d"
users = 400
[policy.access_token]
lifetime_min = "60m"
lifetime_max = "60m"
[platform]
capacity = 100000
[platform.backup]
enabled = false
[[outage]]
kind = "full"
start = "1d"
duration = "3h"
[[segment]]
name = "scripts"
share = 1.0
activity = { pattern = "always-on" }
  [[segment.app]]
  name = "report"
  client = "native"
  profile = "msal-python"
  call_interval = "10s"
"#;
    let run = RunResult::simulate(model(text, &[]), 1, &|_| true).unwrap();
    let s = crate::common::summary_of(&run);
    let apps = s.apps as f64;
    let per_app = s.outages[0].calls_failed as f64 / apps;
    let expected = 6.0 * (180.0 - 27.5 + 0.5);
    let se = 6.0 * 55.0 / 12f64.sqrt() / apps.sqrt();
    assert!(
        (per_app - expected).abs() < 4.0 * se + 3.0,
        "{per_app:.1} failed calls per app, expected {expected:.1} ± {:.1}",
        4.0 * se + 3.0
    );
}
