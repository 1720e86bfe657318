//! Outages end to end: retry storms by client habit, no-cache load, backup service.

use crate::common::{model, root};
use tokensim::metrics::{RunResult, Summary};
use tokensim::scenario::Scenario;

fn storm_model(sets: &[&str]) -> Scenario {
    let text = std::fs::read_to_string(root().join("models/retry-storm.toml")).unwrap();
    let mut all = vec![
        "scenario.users=1000",
        "scenario.scale_units=1",
        "platform.capacity=5",
    ];
    all.extend_from_slice(sets);
    model(&text, &all)
}

fn summary(s: Scenario) -> Summary {
    let run = RunResult::simulate(s, 1, &|_| true).unwrap();
    crate::common::summary_of(&run)
}

#[test]
fn fast_retry_storms_harder_than_backoff_with_full_jitter() {
    let lob = |p: &str| {
        [
            format!("segment.1.app.0.profile={p}"),
            format!("segment.1.app.1.profile={p}"),
        ]
    };
    let peak = |p: &str| {
        let sets = lob(p);
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let mut all = sets.clone();
        all.push("segment.1.app.0.retry.jitter=full");
        all.push("segment.1.app.1.retry.jitter=full");
        summary(storm_model(&all)).outages[0].peak_load_ratio
    };
    let (fast, guided) = (peak("fast-retry"), peak("guided"));
    assert!(
        fast > 3.0 * guided,
        "peak load after recovery: fast-retry {fast:.2}× vs guided {guided:.2}× capacity"
    );
}

#[test]
fn no_cache_apps_offer_far_more_load_than_cached_ones() {
    let requests = |p: &str| {
        let set = format!("segment.1.app.1.profile={p}");
        let s = summary(storm_model(&[&set, "outage.0.start=2026-03-04T23:00"]));
        s.token_requests.values().sum::<u64>()
    };
    let (no_cache, cached) = (requests("no-cache"), requests("msal-dotnet"));
    assert!(
        no_cache > 10 * cached,
        "requests: no-cache {no_cache} vs msal-dotnet {cached}"
    );
}

const BACKUP: &str = r#"
[scenario]
name = "backup"
start = "2026-03-02T00:00"
horizon = "2d"
users = 400
[platform]
capacity = 1000
[[outage]]
kind = "full"
start = "1d10h"
duration = "2h"
[[segment]]
name = "office"
share = 1.0
activity = { pattern = "working-hours", start = "08:00", end = "17:00", jitter = "30m" }
  [[segment.app]]
  name = "desktop"
  client = "native"
  profile = "msal-dotnet"
  [[segment.app]]
  name = "browser"
  client = "spa"
  profile = "msal-js"
"#;

fn blocked_minutes_by_app(sets: &[&str]) -> (f64, f64) {
    let run = RunResult::simulate(model(BACKUP, sets), 1, &|_| true).unwrap();
    let rec = &run.units[0].observer;
    let mut by = [0.0, 0.0];
    for (k, row) in run.units[0].rows.iter().enumerate() {
        by[row.slot as usize] += rec.blocked_ms[k] as f64 / 60_000.0;
    }
    (by[0], by[1])
}

#[test]
fn backup_service_rescues_native_sessions_but_not_single_page_apps() {
    let (native_on, spa_on) = blocked_minutes_by_app(&[]);
    let (native_off, spa_off) = blocked_minutes_by_app(&["platform.backup.enabled=false"]);
    assert!(
        native_off > 1000.0,
        "the outage must block desktop apps without backup: {native_off}"
    );
    assert!(
        native_on < 0.05 * native_off,
        "backup keeps desktop apps going: {native_on} vs {native_off}"
    );
    assert_eq!(
        spa_on, spa_off,
        "SPAs are never served by the backup service"
    );
    let (native_mem, _) = blocked_minutes_by_app(&["segment.0.app.0.persistent_cache=false"]);
    assert_eq!(native_mem, native_off, "an in-memory cache is not eligible");
}
