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

/// Issue 17.3: a sweep of about 500 or more variants overflowed a rayon worker's
/// stack: a worker running a variant waited on another pool (polars' while reading
/// the run back, the run's own) by stealing further variants onto its stack. Variants
/// now run on plain threads, never on a rayon worker.
#[test]
fn sweep_of_many_variants_overflowed_a_worker_stack() {
    use tokensim::pipeline::sweep::run_variants;
    use tokensim::report::sweep::{Vary, grid};
    let dir = common::temp_dir("sweep-threads-plain");
    let vary = [Vary {
        key: "scenario.seed".into(),
        values: (1..=6).map(|s| s.to_string()).collect(),
    }];
    let variants = grid(&vary).unwrap();
    let load = |sets: &[tokensim::scenario::Override]| {
        let mut all: Vec<tokensim::scenario::Override> =
            ["scenario.users=8", "scenario.horizon=9d"]
                .iter()
                .map(|s| s.parse().unwrap())
                .collect();
        all.extend_from_slice(sets);
        tokensim::scenario::load_default(&all)
    };
    let on_rayon = std::sync::atomic::AtomicBool::new(false);
    let headlines = run_variants(&variants, &load, 2, Some(&dir.join("runs")), &|_, _, _| {
        on_rayon.fetch_or(
            rayon::current_thread_index().is_some(),
            std::sync::atomic::Ordering::Relaxed,
        );
        true
    })
    .unwrap();
    assert_eq!(headlines.len(), 6);
    assert!(!on_rayon.into_inner(), "a variant ran on a rayon worker");
}

/// The other half of issue 17.3: a one-thread run installed a pool of its own, which
/// nests when the caller is a pool's worker. It now runs inline on the caller's thread.
#[test]
fn one_thread_run_installed_a_pool_of_its_own() {
    let scenario = common::model(
        tokensim::scenario::DEFAULT_MODEL,
        &["scenario.users=8", "scenario.horizon=9d"],
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let pools_seen = std::sync::Mutex::new(std::collections::BTreeSet::new());
    pool.install(|| {
        use rayon::prelude::*;
        (0..8).into_par_iter().for_each(|_| {
            let units = tokensim::pipeline::all_units(&scenario);
            let null = |_: u32, _: &[tokensim::sim::AppRow]| tokensim::sim::NullObserver;
            tokensim::pipeline::run_units(&scenario, &units, 1, null, &|_| {
                pools_seen
                    .lock()
                    .unwrap()
                    .insert(rayon::current_num_threads());
                true
            })
            .unwrap();
        });
    });
    assert_eq!(*pools_seen.lock().unwrap(), [2].into());
}

/// Issue 17.7: a repeated --vary key ran one value and labelled another, and variants
/// were validated as they ran, so an invalid one failed half-way and left runs behind.
#[test]
fn sweep_validated_variants_one_at_a_time_and_took_repeated_keys() {
    let dir = common::temp_dir("sweep-invalid");
    let out = dir.join("sweep");
    let sweep = |vary: &[&str]| {
        Command::new(common::binary())
            .args([
                "sweep",
                "--set",
                "scenario.users=50",
                "--set",
                "scenario.horizon=9d",
            ])
            .args(vary)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    let o = sweep(&[
        "--vary",
        "scenario.users=100,200",
        "--vary",
        "scenario.users=300",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains("gives 'scenario.users' twice"), "{stderr}");
    let o = sweep(&["--vary", "policy.access_token.lifetime_max=2h,1m,3h"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        stderr.contains("policy.access_token.lifetime_max") && stderr.contains("'1m'"),
        "{stderr}"
    );
    assert!(!out.exists(), "an invalid sweep left {}", out.display());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}
