//! The real binary: default run, check, --set errors, trace, help.

use crate::common::{binary, root, temp_dir};
use std::process::{Command, Output};

fn tokensim(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn run_without_a_model_runs_the_embedded_default_and_writes_the_tables() {
    let dir = temp_dir("cli-run");
    let out = dir.to_str().unwrap();
    let o = tokensim(&[
        "run",
        "--set",
        "scenario.horizon=9d",
        "--threads",
        "2",
        "--out",
        out,
    ]);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(stdout.contains("tokensim: default"), "{stdout}");
    assert!(stdout.contains("outage 2020-09-28-global"), "{stdout}");
    for file in ["summary.json", "users.csv", "timeseries.csv"] {
        assert!(dir.join(file).metadata().unwrap().len() > 100, "{file}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    for key in [
        "scenario",
        "seed",
        "users",
        "horizon_days",
        "scale_units",
        "events_processed",
        "token_requests",
        "prompts",
        "blocked",
        "outages",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["users"], 20000);
    assert!(
        summary["prompts"]["by_cause"].is_object()
            && summary["blocked"]["user_minutes"].is_number()
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn check_accepts_the_shipped_models_and_names_file_field_and_value_for_bad_ones() {
    let o = tokensim(&["check", "models/default.toml", "models/retry-storm.toml"]);
    assert!(o.status.success(), "{}", text(&o).1);
    let o = tokensim(&["check", "tests/fixtures/invalid/bad-duration.toml"]);
    let (_, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr.contains("tests/fixtures/invalid/bad-duration.toml: policy.refresh_token.max_inactive: '7x' is not a duration"), "{stderr}");
}

#[test]
fn bad_set_values_fail_with_the_field_and_how_to_fix_them() {
    let o = tokensim(&["run", "--set", "policy.access_token.lifetime_min=7x"]);
    let (_, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains(
            "policy.access_token.lifetime_min: '7x' is not a duration (use 90s, 15m, 2h or 7d)"
        ),
        "{stderr}"
    );
    let o = tokensim(&["run", "--set", "nonsense"]);
    assert!(text(&o).1.contains("expected key=value"), "{}", text(&o).1);
    let o = tokensim(&["run", "--set", "segment.9.share=1"]);
    assert!(
        text(&o)
            .1
            .contains("segment has 5 entries, numbered from 0"),
        "{}",
        text(&o).1
    );
    let o = tokensim(&["run", "no/such/model.toml"]);
    assert!(
        text(&o).1.contains("no/such/model.toml: cannot read"),
        "{}",
        text(&o).1
    );
}

#[test]
fn trace_prints_and_writes_the_timeline() {
    let dir = temp_dir("cli-trace");
    let o = tokensim(&[
        "trace",
        "--profile",
        "msal-python",
        "--script",
        "models/traces/5xx-outage.toml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stdout.contains("5xx (Retry-After 5m)") && stdout.contains("none (throttled)"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(dir.join("trace.csv")).unwrap();
    assert!(csv.starts_with("seconds,time,event,request,answer,result,why"));
    assert!(dir.join("trace.json").exists());
    let o = tokensim(&[
        "trace",
        "--profile",
        "msal-go",
        "--script",
        "models/traces/5xx-outage.toml",
    ]);
    assert!(
        text(&o)
            .1
            .contains("'msal-go' is not a profile (use msal-python"),
        "{}",
        text(&o).1
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn help_teaches_with_examples() {
    for args in [
        &["--help"][..],
        &["run", "--help"],
        &["trace", "--help"],
        &["check", "--help"],
    ] {
        let o = tokensim(args);
        assert!(o.status.success());
        assert!(text(&o).0.contains("Examples"), "{args:?}");
    }
}
