//! The weekly activity pattern against its closed form: session starts in each hour of
//! the week are Poisson with mean users × weeks × rate, in the segment's local time.

use tokensim::domain::user::{HOURS_PER_WEEK, hour_of_week};
use tokensim::engine::SimTime;
use tokensim::pipeline::{all_units, run_units};
use tokensim::scenario;
use tokensim::sim::Observer;

/// Allowed deviation in standard errors: with 168 hours checked, 4.5 σ keeps a correct
/// engine failing less than once in 10³ runs; an hour shifted by the UTC offset or a
/// weekday off by one moves busy hours by far more.
const Z: f64 = 4.5;

/// Session starts of single-call sessions by local hour of the week.
struct Starts {
    offset_ms: i64,
    per_hour: Vec<u64>,
}

impl Observer for Starts {
    fn session(&mut self, _user: u32, from: SimTime, _to: SimTime) {
        self.per_hour[hour_of_week(from.0 as i64 + self.offset_ms)] += 1;
    }
}

/// Busy weekday office hours, a quiet rest of the week.
fn rate(hour: usize) -> f64 {
    let (day, clock) = (hour / 24, hour % 24);
    0.02 + if day < 5 && (8..18).contains(&clock) {
        0.4
    } else {
        0.0
    }
}

#[test]
fn weekly_session_starts_per_hour_match_the_rates_in_local_time() {
    let (users, weeks) = (300u32, 4u32);
    let rates: Vec<String> = (0..HOURS_PER_WEEK).map(|h| rate(h).to_string()).collect();
    // Starts on a Wednesday at 05:00 UTC, so every hour of the week occurs exactly
    // `weeks` times and the alignment to Monday is tested, not assumed.
    let text = format!(
        r#"
[scenario]
name = "weekly"
start = "2026-01-07T05:00"
horizon = "{days}d"
seed = 5
users = {users}
[platform]
capacity = 1000000
[[segment]]
name = "w"
share = 1.0
utc_offset_hours = 2
activity = {{ pattern = "weekly", rates_per_hour = [{rates}] }}
[[segment.app]]
name = "a"
client = "native"
profile = "msal-dotnet"
"#,
        days = 7 * weeks,
        rates = rates.join(", ")
    );
    let s = scenario::parse_model(&text, "weekly.toml", &[]).unwrap_or_else(|e| panic!("{e}"));
    let offset_ms = s.start_unix_ms() + 2 * 3_600_000;
    let runs = run_units(
        &s,
        &all_units(&s),
        1,
        |_, _| Starts {
            offset_ms,
            per_hour: vec![0; HOURS_PER_WEEK],
        },
        &|_| true,
    )
    .unwrap();
    let seen = &runs[0].observer.per_hour;
    let (mut total, mut expected_total) = (0.0, 0.0);
    for (h, &n) in seen.iter().enumerate() {
        let expected = (users * weeks) as f64 * rate(h);
        let sd = expected.sqrt();
        assert!(
            (n as f64 - expected).abs() <= Z * sd,
            "hour {h}: {n} session starts, expected {expected:.0} ± {:.0}",
            Z * sd
        );
        total += n as f64;
        expected_total += expected;
    }
    assert!(
        (total - expected_total).abs() <= Z * expected_total.sqrt(),
        "{total} session starts in all, expected {expected_total:.0}"
    );
}

#[test]
fn weekly_rates_of_the_wrong_length_are_rejected_with_the_count() {
    let text = r#"
[scenario]
name = "bad"
start = "2026-01-05T00:00"
horizon = "7d"
users = 10
[[segment]]
name = "w"
share = 1.0
activity = { pattern = "weekly", rates_per_hour = [1.0, 2.0] }
[[segment.app]]
name = "a"
client = "native"
profile = "msal-dotnet"
"#;
    let e = scenario::parse_model(text, "bad.toml", &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("bad.toml"), "{e}");
    assert!(e.contains("segment[0].activity.rates_per_hour"), "{e}");
    assert!(e.contains("has 2 values; it needs 168"), "{e}");
}

/// The weekly pattern's session length went unchecked while the Poisson pattern's is
/// bounded to a day: a `session = "400d"` was accepted.
#[test]
fn weekly_session_length_was_not_range_checked() {
    let rates = vec!["0.1"; 168].join(", ");
    let text = format!(
        r#"
[scenario]
name = "bad"
start = "2026-01-05T00:00"
horizon = "7d"
users = 10
[[segment]]
name = "w"
share = 1.0
activity = {{ pattern = "weekly", rates_per_hour = [{rates}], session = "400d" }}
[[segment.app]]
name = "a"
client = "native"
profile = "msal-dotnet"
"#
    );
    let e = scenario::parse_model(&text, "bad.toml", &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("segment[0].activity.session"), "{e}");
}
