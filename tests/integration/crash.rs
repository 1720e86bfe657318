//! Issue 17.2: a rerun into a finished run folder, killed (SIGKILL) while it works,
//! leaves the previous complete run, never a mix; leftovers of killed runs are cleared
//! by the next run, and charts of an older run do not survive a rerun.

use crate::common;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn run(model: &Path, out: &Path, sets: &[&str]) -> Command {
    let mut c = Command::new(common::binary());
    c.arg("run")
        .arg(model)
        .args(["--threads", "1", "--out"])
        .arg(out);
    for s in sets {
        c.args(["--set", s]);
    }
    c
}

/// The seed a file of the folder records.
fn seed_of(dir: &Path) -> (u64, u64) {
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let model: toml::Table = std::fs::read_to_string(dir.join("model.toml"))
        .unwrap()
        .parse()
        .unwrap();
    (
        summary["seed"].as_u64().unwrap(),
        model["scenario"]["seed"].as_integer().unwrap() as u64,
    )
}

/// The folder is one run: its files agree on the seed and `tokensim report` accepts it
/// and reproduces the analytics table it holds.
fn assert_one_run(dir: &Path) -> u64 {
    let (summary, model) = seed_of(dir);
    assert_eq!(summary, model, "summary.json and model.toml of two runs");
    let before = std::fs::read(dir.join("breakdowns.csv")).unwrap();
    let o = Command::new(common::binary())
        .arg("report")
        .arg(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(dir.join("breakdowns.csv")).unwrap(), before);
    summary
}

fn hidden(parent: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect()
}

#[test]
fn killed_rerun_left_two_runs_mixed_in_one_folder() {
    let parent = common::temp_dir("crash");
    let out = parent.join("run");
    // The first run has two outages, so it has a second load chart.
    let two = parent.join("two-outages.toml");
    std::fs::write(
        &two,
        format!(
            "{}\n[[outage]]\npreset = \"2020-12-14-europe\"\nstart = \"2026-03-05T10:15\"\n",
            tokensim::scenario::DEFAULT_MODEL
        ),
    )
    .unwrap();
    let small = [
        "scenario.users=300",
        "scenario.horizon=9d",
        "scenario.seed=1",
    ];
    let o = run(&two, &out, &small).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("load-outage-2.png").exists());

    // Kill a bigger rerun with another seed at several moments: while it simulates,
    // while it writes the tables, and while it draws the charts.
    let default = common::root().join("models/default.toml");
    let big = [
        "scenario.users=1500",
        "scenario.scale_units=1",
        "scenario.horizon=9d",
        "scenario.seed=2",
    ];
    let mut killed_while_working = 0;
    for moment in ["", "users.csv", "blocked-by-segment.png"] {
        let mut child = run(&default, &out, &big)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let tmp = parent.join(format!(".run.tmp-{}", child.id()));
        let started = Instant::now();
        while !tmp.join(moment).exists()
            && child.try_wait().unwrap().is_none()
            && started.elapsed() < Duration::from_secs(120)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if !status.success() {
            killed_while_working += 1;
            assert!(
                tmp.exists(),
                "killed at '{moment}' without its temporary folder"
            );
            assert_eq!(assert_one_run(&out), 1, "killed at '{moment}'");
        } else {
            assert_eq!(assert_one_run(&out), 2, "finished before '{moment}'");
        }
    }
    assert!(
        killed_while_working >= 2,
        "only {killed_while_working} kills hit a working run"
    );
    assert!(
        !hidden(&parent).is_empty(),
        "killed runs leave their temporaries"
    );

    // A finished rerun replaces the folder whole and clears the leftovers.
    let o = run(&default, &out, &small).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(assert_one_run(&out), 1);
    assert!(out.join("load-outage-1.png").exists());
    assert!(
        !out.join("load-outage-2.png").exists(),
        "a chart of the older run survived"
    );
    assert_eq!(hidden(&parent), Vec::<PathBuf>::new());
}
