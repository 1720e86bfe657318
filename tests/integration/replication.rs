//! Replications: thread-count independence, `--replications 1` equal to a plain run,
//! paired comparisons with common random numbers, CI coverage of a closed form, and the
//! TUI's replicated figures equal to the CLI's.

use crate::common::{binary, model, root, temp_dir, tokensim};
use std::path::Path;
use std::process::Command;
use tokensim::engine::rng::replication_seed;
use tokensim::metrics::RunResult;
use tokensim::metrics::stats::Estimate;
use tokensim::metrics::stats::Replications;
use tokensim::tui::msg::Replicate;
use tokensim::tui::worker::Worker;
use tokensim::tui::{Base, Msg, RunRequest};

fn small_run(dir: &Path, extra: &[&str]) {
    let mut args = vec![
        "run",
        "--set",
        "scenario.users=120",
        "--set",
        "scenario.horizon=9d",
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    tokensim(&args);
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

#[test]
fn replications_are_byte_identical_for_one_and_two_threads() {
    let (one, two) = (temp_dir("rep-one"), temp_dir("rep-two"));
    small_run(&one, &["--replications", "3", "--threads", "1"]);
    small_run(&two, &["--replications", "3", "--threads", "2"]);
    for file in [
        "summary.json",
        "report.md",
        "replications/r02/users.csv",
        "replications/r03/timeseries.csv",
    ] {
        assert!(read(&one, file) == read(&two, file), "{file} differs");
    }
    let summary: serde_json::Value = serde_json::from_slice(&read(&one, "summary.json")).unwrap();
    let r = &summary["replications"];
    assert_eq!(r["n"], 3);
    assert_eq!(r["seeds"][0], 42);
    assert_ne!(r["seeds"][1], r["seeds"][2]);
    let blocked = &r["figures"][1];
    assert_eq!(blocked["metric"], "blocked_users");
    let e = &blocked["estimate"];
    let (lo, mean, hi) = (
        e["ci95_low"].as_f64().unwrap(),
        e["mean"].as_f64().unwrap(),
        e["ci95_high"].as_f64().unwrap(),
    );
    assert!(lo <= mean && mean <= hi && mean > 0.0, "{e}");
    let report = String::from_utf8(read(&one, "report.md")).unwrap();
    assert!(report.contains("## Headline across 3 replications"));
    for band in ["load-band-outage-1", "blocked-band-outage-1"] {
        assert!(report.contains(&format!("({band}.png)")), "{band}");
        assert!(read(&one, &format!("{band}.png")) == read(&two, &format!("{band}.png")));
    }
    for d in [one, two] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

#[test]
fn one_replication_is_byte_identical_to_a_plain_run() {
    let (plain, one) = (temp_dir("rep-plain"), temp_dir("rep-1"));
    small_run(&plain, &[]);
    small_run(&one, &["--replications", "1"]);
    for file in ["summary.json", "users.csv", "report.md"] {
        assert!(read(&plain, file) == read(&one, file), "{file} differs");
    }
    assert!(!one.join("replications").exists());
    for d in [plain, one] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

/// The 2020-09-28 full outage on a small population, backup on (as in the file) or off.
fn outage_model(dir: &Path, backup: bool) -> String {
    let text = std::fs::read_to_string(root().join("models/global-outage-2020.toml")).unwrap();
    let text = text
        .replace("users = 50000", "users = 150")
        .replace("horizon = \"14d\"", "horizon = \"9d\"")
        .replace("enabled = true", &format!("enabled = {backup}"));
    let path = dir.join(format!("backup-{backup}.toml"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The paired table's row for `label`: its cells after the metric.
fn row<'a>(table: &'a str, label: &str) -> Vec<&'a str> {
    let line = table
        .lines()
        .find(|l| l.starts_with(&format!("| {label} |")))
        .unwrap_or_else(|| panic!("no row {label} in\n{table}"));
    line.trim_matches('|')
        .split('|')
        .map(str::trim)
        .skip(1)
        .collect()
}

#[test]
fn paired_comparison_of_a_model_with_itself_is_indistinguishable_everywhere() {
    let dir = temp_dir("rep-self");
    let a = outage_model(&dir, true);
    let o = tokensim(&["compare", &a, &a, "--replications", "3", "--threads", "2"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("3 paired replications"), "{out}");
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("| "))
        .skip(2)
        .collect();
    assert!(rows.len() > 10, "{out}");
    for line in rows {
        assert!(
            line.ends_with("| no |") || line.ends_with("| NA |"),
            "a model differs from itself: {line}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn backup_off_in_a_full_outage_is_distinguishably_worse() {
    let dir = temp_dir("rep-backup");
    let (on, off) = (outage_model(&dir, true), outage_model(&dir, false));
    let o = tokensim(&[
        "compare",
        &on,
        &off,
        "--replications",
        "3",
        "--threads",
        "2",
    ]);
    let out = String::from_utf8(o.stdout).unwrap();
    let failed = row(&out, "app calls that got no token");
    assert_eq!(failed[3], "yes", "{out}");
    assert!(!failed[2].starts_with('-'), "B − A must be positive: {out}");
    let share = row(&out, "share of tokens issued by the backup service");
    assert_eq!(share[3], "yes", "{out}");
    assert!(share[2].starts_with('-'), "B − A must be negative: {out}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Poisson activity (λ = 1/day), an app that redeems its refresh token at every call,
/// MaxInactiveTime T = 2 d: by the Palm property each activity after T prompts with
/// probability e^(−λT), so prompts per user-month have the expectation
/// λ e^(−λT) (H − T) / (H / 30 d). Over 200 experiments of 5 replications each, the
/// Student-t 95 % CI must contain it at a rate within 3.5 binomial standard errors of
/// 95 % (a normal-quantile interval, 1.96 instead of t(4) = 2.78, covers about 88 %).
#[test]
fn replication_ci_covers_the_inactivity_closed_form_at_the_nominal_rate() {
    let text = r#"
[scenario]
name = "coverage"
start = "2026-01-05T00:00"
horizon = "20d"
seed = 1
users = 30
scale_units = 1
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
"#;
    let (lambda, t, h) = (1.0f64, 2.0, 20.0);
    let truth = lambda * (-lambda * t).exp() * (h - t) / (h / 30.0);
    let (experiments, n) = (200u64, 5u64);
    let mut covered = 0;
    for e in 0..experiments {
        let samples: Vec<Option<f64>> = (0..n)
            .map(|r| {
                let seed = replication_seed(1000 + e, r);
                let s = model(text, &[&format!("scenario.seed={seed}")]);
                let run = RunResult::simulate(s, 1, &|_| true).unwrap();
                Some(crate::common::summary_of(&run).prompts.per_user_month)
            })
            .collect();
        let ci = Estimate::of(&samples).unwrap();
        covered += (ci.ci95_low <= truth && truth <= ci.ci95_high) as u64;
    }
    let rate = covered as f64 / experiments as f64;
    let se = (0.95 * 0.05 / experiments as f64).sqrt();
    assert!(
        (rate - 0.95).abs() < 3.5 * se,
        "coverage {rate:.3}, expected 0.95 ± {:.3}",
        3.5 * se
    );
}

#[test]
fn sweep_with_replications_marks_identical_variants_not_distinguishable() {
    let dir = temp_dir("rep-sweep");
    let model = outage_model(&dir, true);
    let out = dir.join("sweep");
    tokensim(&[
        "sweep",
        &model,
        "--vary",
        "platform.backup.enabled=true,true,false",
        "--replications",
        "2",
        "--threads",
        "2",
        "--y",
        "calls_failed",
        "--out",
        out.to_str().unwrap(),
    ]);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][col("replications")], "2");
    assert_eq!(rows[0][col("overlaps")], "v02");
    assert_eq!(rows[1][col("overlaps")], "v01");
    assert_eq!(rows[2][col("overlaps")], "", "backup off must stand apart");
    let (lo, hi) = (col("calls_failed_ci95_low"), col("calls_failed_ci95_high"));
    let v: f64 = rows[0][col("calls_failed")].parse().unwrap();
    assert!(rows[0][lo].parse::<f64>().unwrap() <= v && v <= rows[0][hi].parse().unwrap());
    assert!(out.join("runs/v01-r02/summary.json").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn target_precision_adds_replications_until_reached_or_capped() {
    let dir = temp_dir("rep-target");
    small_run(
        &dir,
        &[
            "--replications",
            "2",
            "--target-precision",
            "0.5",
            "--max-replications",
            "4",
            "--threads",
            "2",
        ],
    );
    let summary: serde_json::Value = serde_json::from_slice(&read(&dir, "summary.json")).unwrap();
    let r = &summary["replications"];
    let n = r["n"].as_u64().unwrap();
    assert!((2..=4).contains(&n), "{r}");
    assert_eq!(r["seeds"].as_array().unwrap().len() as u64, n);
    if n < 4 {
        for f in r["figures"].as_array().unwrap() {
            let e = &f["estimate"];
            if let (Some(hw), Some(mean)) = (e["half_width"].as_f64(), e["mean"].as_f64())
                && mean != 0.0
            {
                assert!(hw <= 0.5 * mean.abs(), "{f}");
            }
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_replication_arguments_are_explained() {
    let o = Command::new(binary())
        .args(["run", "--target-precision", "2"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("--target-precision '2' is not a share in (0, 1]"),
        "{stderr}"
    );
    let o = Command::new(binary())
        .args(["compare", "models", "models", "--replications", "3"])
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("models is a run folder; --replications needs model files"),
        "{stderr}"
    );
}

#[test]
fn tui_replications_have_the_cli_summarys_means_and_cis() {
    let dir = temp_dir("rep-tui");
    small_run(&dir, &["--replications", "3"]);
    let summary: serde_json::Value = serde_json::from_slice(&read(&dir, "summary.json")).unwrap();
    let cli: Replications = serde_json::from_value(summary["replications"].clone()).unwrap();

    // The TUI's way to the same model: one override on the command line, one a lever.
    let base = Base::new(
        tokensim::scenario::DEFAULT_MODEL.into(),
        "default.toml".into(),
        vec!["scenario.users=120".parse().unwrap()],
    )
    .unwrap();
    let sets: Vec<tokensim::scenario::Override> = vec!["scenario.horizon=9d".parse().unwrap()];
    let request = RunRequest {
        generation: 2,
        sets: vec!["scenario.horizon=9d".into()],
        scenario: Box::new(base.with(&sets).unwrap()),
        replicate: Some(Replicate {
            n: 3,
            base: Box::new(base),
            sets,
        }),
    };
    let (results, inbox) = std::sync::mpsc::channel();
    let worker = Worker::start(results, 2);
    worker.run(request);
    let tui = loop {
        if let Msg::RunDone { result, .. } = inbox.recv().unwrap() {
            break result.unwrap().replications.clone().expect("replicated");
        }
    };
    // Through the same JSON text as summary.json's, so both pass serde_json's float
    // parsing (not exact to the last bit) alike: equal here means written alike.
    let tui: Replications = serde_json::from_str(&serde_json::to_string(&tui).unwrap()).unwrap();
    assert_eq!(tui.seeds, cli.seeds);
    let blocked = |r: &Replications| {
        r.figures
            .iter()
            .find(|f| f.metric == "blocked_user_minutes")
            .and_then(|f| f.estimate)
            .expect("blocked user-minutes in every replication")
    };
    assert!(blocked(&cli).half_width > 0.0, "{:?}", blocked(&cli));
    assert_eq!(blocked(&tui), blocked(&cli));
    assert_eq!(tui, cli);
}
