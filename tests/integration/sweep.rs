//! Sweeps: the same grid and seed give the same sweep.csv with 1 and 2 threads, and
//! the Pareto column marks exactly the undominated variants.

use crate::common;
use std::process::Command;
use tokensim::report::frontier::pareto;

fn sweep(out: &std::path::Path, threads: &str) -> String {
    let model = common::root().join("models/sweep-global-outage.toml");
    let o = Command::new(common::binary())
        .arg("sweep")
        .arg(model)
        .args([
            "--set",
            "scenario.users=120",
            "--set",
            "scenario.horizon=9d",
        ])
        .args(["--vary", "policy.access_token.lifetime_max=90m,6h"])
        .args(["--vary", "segment.0.app.0.profile=msal-dotnet,no-cache"])
        .args(["--y", "peak_load_ratio", "--threads", threads, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out.join("sweep.csv")).unwrap()
}

#[test]
fn sweep_csv_is_identical_with_one_and_two_threads() {
    let dir = common::temp_dir("sweep-threads");
    let one = sweep(&dir.join("one"), "1");
    let two = sweep(&dir.join("two"), "2");
    assert_eq!(one, two);
    assert_eq!(one.lines().count(), 5, "{one}");
    assert!(dir.join("one/frontier.png").exists() && dir.join("one/runs/v04/users.csv").exists());

    let mut r = csv::Reader::from_reader(one.as_bytes());
    let h = r.headers().unwrap().clone();
    let at = |k: &str| h.iter().position(|c| c == k).unwrap();
    let (x, y, p) = (
        at("outage_blocked_user_minutes"),
        at("peak_load_ratio"),
        at("pareto"),
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let points: Vec<(Option<f64>, Option<f64>)> = rows
        .iter()
        .map(|r| (r[x].parse().ok(), r[y].parse().ok()))
        .collect();
    let marked: Vec<bool> = rows.iter().map(|r| &r[p] == "true").collect();
    assert_eq!(marked, pareto(&points));
    assert!(marked.iter().any(|m| *m));

    let compare = Command::new(common::binary())
        .arg("compare")
        .arg(dir.join("one/runs/v01"))
        .arg(dir.join("one/runs/v02"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&compare.stdout);
    assert!(
        compare.status.success(),
        "{}",
        String::from_utf8_lossy(&compare.stderr)
    );
    assert!(
        text.contains("| outage impact (blocked user-minutes) |") && text.contains("B − A"),
        "{text}"
    );
}

#[test]
fn bad_vary_and_bad_metric_are_explained() {
    let o = Command::new(common::binary())
        .args(["sweep", "--vary", "policy.access_token.lifetime_max"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not key=v1,v2"));
    let o = Command::new(common::binary())
        .args(["sweep", "--vary", "scenario.seed=1,2", "--x", "speed"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("'speed' is not a metric"));
}
