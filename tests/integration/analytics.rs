//! Analytics checked against independent plain-Rust computations on users.csv and a
//! constructed revocations.csv.

use crate::common;
use std::collections::BTreeMap;
use std::path::Path;
use tokensim::analytics::series::analyze;
use tokensim::metrics::RunResult;
use tokensim::metrics::schema::{self, users as uc};

/// Runs the default scenario small into a fresh folder.
pub fn small_run(name: &str, sets: &[&str]) -> std::path::PathBuf {
    let dir = common::temp_dir(name);
    let mut all = vec!["scenario.users=200", "scenario.horizon=10d"];
    all.extend_from_slice(sets);
    let scenario = common::model(tokensim::scenario::DEFAULT_MODEL, &all);
    let run = RunResult::simulate(scenario, 2, &|_| true).unwrap();
    run.write_all(&dir).unwrap();
    dir
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Linear-interpolated quantile of ascending values: the value at rank (n - 1) q.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

fn num(row: &BTreeMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

#[test]
fn breakdowns_and_percentiles_match_a_plain_computation() {
    let dir = small_run("analytics-plain", &[]);
    analyze(&dir).unwrap();
    let users = rows(&dir.join(schema::USERS_CSV));
    // One value per user: its blocked minutes and segment.
    let mut per_user: BTreeMap<String, (String, f64)> = BTreeMap::new();
    for r in &users {
        per_user.insert(
            r[uc::USER].clone(),
            (r[uc::SEGMENT].clone(), num(r, uc::USER_MINUTES_BLOCKED)),
        );
    }
    let mut blocked: Vec<f64> = per_user
        .values()
        .map(|v| v.1)
        .filter(|m| *m > 0.0)
        .collect();
    blocked.sort_by(f64::total_cmp);
    assert!(!blocked.is_empty(), "the outage should block someone");
    let pct = rows(&dir.join("percentiles.csv"));
    let row = pct
        .iter()
        .find(|r| r["metric"] == "blocked_minutes_per_blocked_user")
        .unwrap();
    assert_eq!(num(row, "n") as usize, blocked.len());
    for (name, q) in [("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99)] {
        assert!(close(num(row, name), quantile(&blocked, q)), "{name}");
    }
    assert!(close(num(row, "max"), *blocked.last().unwrap()));

    let breakdowns = rows(&dir.join("breakdowns.csv"));
    let mut by_segment: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
    for (segment, minutes) in per_user.values() {
        let e = by_segment.entry(segment.clone()).or_default();
        e.0 += 1;
        e.1 += (*minutes > 0.0) as usize;
        e.2 += minutes;
    }
    for (segment, (n, b, minutes)) in &by_segment {
        let row = breakdowns
            .iter()
            .find(|r| r["dimension"] == "segment" && &r["value"] == segment)
            .unwrap();
        assert_eq!(num(row, "users") as usize, *n, "{segment}");
        assert_eq!(num(row, "blocked_users") as usize, *b, "{segment}");
        assert!(close(num(row, "blocked_minutes"), *minutes), "{segment}");
    }
    let app_minutes: f64 = users
        .iter()
        .filter(|r| r[uc::APP] == "outlook")
        .map(|r| num(r, uc::MINUTES_BLOCKED))
        .sum();
    let row = breakdowns
        .iter()
        .find(|r| r["dimension"] == "app" && r["value"] == "outlook")
        .unwrap();
    assert!(close(num(row, "blocked_minutes"), app_minutes));
    assert!(dir.join("breakdowns.parquet").metadata().unwrap().len() > 0);
    assert!(
        !dir.join("exposure.csv").exists(),
        "no revocations, no exposure table"
    );
}

#[test]
fn exposure_is_read_from_revocations_when_present() {
    let dir = small_run("analytics-exposure", &[]);
    let cae = [3.0, 7.5, 15.0];
    let non_cae = [40.0, 75.0, 90.0, 61.0];
    let mut text = schema::revocations::ALL.join(",") + "\n";
    for (i, (m, c)) in cae
        .iter()
        .map(|m| (m, true))
        .chain(non_cae.iter().map(|m| (m, false)))
        .enumerate()
    {
        text += &format!(
            "{i},0,office-eu,outlook,password-change,{},pwd-token,,{m},{c},\n",
            100 + i
        );
    }
    std::fs::write(dir.join(schema::REVOCATIONS_CSV), text).unwrap();
    // The folder check counts the rows against the summary's exposure events.
    let summary_path = dir.join(schema::SUMMARY_JSON);
    let mut summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&summary_path).unwrap()).unwrap();
    summary["exposure"]["events"] = (cae.len() + non_cae.len()).into();
    std::fs::write(&summary_path, serde_json::to_vec(&summary).unwrap()).unwrap();
    let data = analyze(&dir).unwrap();
    let mut all: Vec<f64> = cae.iter().chain(&non_cae).copied().collect();
    all.sort_by(f64::total_cmp);
    let p95 = data.headline.get("exposure_p95_minutes").unwrap().unwrap();
    assert!(close(p95, quantile(&all, 0.95)));
    let (yes, no) = data.exposure.unwrap();
    assert_eq!(yes, vec![3.0, 7.5, 15.0]);
    assert_eq!(no, vec![40.0, 61.0, 75.0, 90.0]);
    let by_cae = rows(&dir.join("exposure.csv"));
    let row = by_cae.iter().find(|r| r["cae"] == "false").unwrap();
    assert_eq!(num(row, "n"), 4.0);
    assert!(close(
        num(row, "p50"),
        quantile(&[40.0, 61.0, 75.0, 90.0], 0.5)
    ));
    assert!(close(num(row, "max"), 90.0));
}
