//! Analytics checked against independent plain-Rust computations on users.csv and a
//! constructed revocations.csv.

use crate::common;
use std::collections::BTreeMap;
use std::path::Path;
use tokensim::analytics::series::analyze;
use tokensim::metrics::RunResult;
use tokensim::metrics::schema::tables::RunTable;
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

/// Replaces the run's revocations by `text` (a CSV header and `n` rows), and gives the
/// rows to unit 0 in the units table, whose counts the folder check compares. Both are
/// left as CSV only, as older versions wrote them, so the folder is read from its CSVs.
pub fn replace_revocations(dir: &Path, text: &str, n: usize) {
    for table in [RunTable::Revocations, RunTable::Units] {
        std::fs::remove_file(dir.join(table.parquet())).unwrap();
    }
    std::fs::write(dir.join(schema::REVOCATIONS_CSV), text).unwrap();
    let units_path = dir.join(RunTable::Units.csv());
    let mut r = csv::Reader::from_path(&units_path).unwrap();
    let header = r.headers().unwrap().clone();
    let at = header
        .iter()
        .position(|h| h == schema::units::REVOCATION_ROWS)
        .unwrap();
    let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let mut w = csv::Writer::from_path(&units_path).unwrap();
    w.write_record(&header).unwrap();
    for (i, row) in records.iter().enumerate() {
        let mut row: Vec<String> = row.iter().map(String::from).collect();
        row[at] = if i == 0 { n.to_string() } else { "0".into() };
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
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
fn exposure_table_never_pools_revoked_tails_with_sessions_left_alive() {
    let dir = small_run("analytics-exposure", &[]);
    let header = schema::revocations::all().join(",");
    let mut text = format!("{header}\n");
    // Revoked sessions with tails of 40, 61, 75, 90 minutes; sessions left alive, two
    // usable indefinitely while used and one for 30 days; one protected against replay.
    let cases = [
        ("revoked", "tail", "40", "tail", "90"),
        ("revoked", "tail", "61", "tail", "90"),
        ("revoked", "tail", "75", "tail", "90"),
        ("revoked", "tail", "90", "nothing", ""),
        ("left-alive", "tail", "5", "left-alive", ""),
        ("left-alive", "tail", "7", "left-alive", ""),
        ("left-alive", "tail", "9", "left-alive", "43200"),
    ];
    for (i, (fate, m1, v1, m2, v2)) in cases.iter().enumerate() {
        text += &format!(
            "{i},0,office-eu,outlook,native,password-change,{},pwd_token,,{fate},false,false,{m1},{v1},{m2},{v2},{m2},{v2},,\n",
            100 + i
        );
    }
    replace_revocations(&dir, &text, cases.len());
    analyze(&dir).unwrap();
    let table = rows(&dir.join("exposure.csv"));
    assert!(!table.is_empty());
    for row in &table {
        let tail = row["measure"] == "tail";
        let alive = row["measure"] == "left-alive";
        assert!(tail || alive || row["measure"] == "nothing", "{row:?}");
        // A group is one fate and one measure: its max never mixes the two measures.
        if tail && row["fate"] == "revoked" && row["attacker"] == "stolen-access-token" {
            assert_eq!(num(row, "rows"), 4.0);
            assert!(close(
                num(row, "p50_minutes"),
                quantile(&[40.0, 61.0, 75.0, 90.0], 0.5)
            ));
            assert!(close(num(row, "max_minutes"), 90.0));
        }
        if alive {
            assert_eq!(row["fate"], "left-alive", "{row:?}");
            assert_eq!(num(row, "indefinitely"), 2.0);
            assert!(close(num(row, "max_minutes"), 43200.0));
        }
        if row["attacker"] == "replay" && row["measure"] == "nothing" {
            assert_eq!(num(row, "rows"), 1.0, "the protected session gives nothing");
        }
    }
}
