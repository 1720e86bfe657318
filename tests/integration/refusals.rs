//! Issue 17: impossible inputs are refused before any work, with an error naming the
//! file, the field, the value and what to do; nothing aborts.

use crate::common::{binary, root, temp_dir};
use std::process::{Command, Output};
use tokensim::scenario::{self, DEFAULT_MODEL, Override};

fn tokensim(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The error of the default model with `sets`.
fn model_error(sets: &[&str]) -> String {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    match scenario::parse_model(DEFAULT_MODEL, "test.toml", &overrides) {
        Ok(_) => panic!("{sets:?} was accepted"),
        Err(e) => e.to_string(),
    }
}

/// Issue 17.4: `run --set scenario.users=20000000` died with SIGABRT on a failed
/// allocation, `tui` with it left the terminal on the alternate screen, and `check`
/// accepted it. Every one of them now knows the estimate first.
#[test]
fn huge_run_aborted_on_a_failed_allocation() {
    // Far beyond any machine: 50 million users in 100,000 units for 400 days.
    let huge = [
        "--set",
        "scenario.users=50000000",
        "--set",
        "scenario.scale_units=100000",
        "--set",
        "scenario.horizon=400d",
    ];
    for command in ["run", "tui"] {
        let o = tokensim(&[&[command][..], &huge].concat());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains("of memory but the machine has") && err.contains("--force"),
            "{command}: {err}"
        );
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("\x1b[?1049h"),
            "{command} entered the alternate screen"
        );
    }
    let dir = temp_dir("refuse-huge");
    let model = dir.join("huge.toml");
    std::fs::write(
        &model,
        DEFAULT_MODEL
            .replace("users = 20000", "users = 50000000")
            .replace("scale_units = 4", "scale_units = 100000")
            .replace("horizon = \"30d\"", "horizon = \"400d\""),
    )
    .unwrap();
    let o = tokensim(&["check", model.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.contains("memory ≈") && out.contains("refuses it without --force"),
        "{out}"
    );
}

/// Issue 17.5: `--out` was checked only after the simulation, so a bad one lost the
/// whole run's results; a 300-character name failed the same way.
#[test]
fn out_was_checked_only_after_the_simulation() {
    let dir = temp_dir("refuse-out");
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let long = format!("scenario.name={}", "n".repeat(300));
    for (args, expected) in [
        (vec!["run", "--out", "/proc/x"], "/proc"),
        (
            vec!["run", "--out", file.to_str().unwrap()],
            "exists and is not a folder",
        ),
        (vec!["run", "--set", &long], "at most 100"),
        (
            vec!["sweep", "--vary", "scenario.seed=1,2", "--out", "/proc/x"],
            "/proc",
        ),
    ] {
        let o = tokensim(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?} simulated first");
    }
    let o = tokensim(&[
        "trace",
        "--profile",
        "msal-python",
        "--script",
        "models/traces/5xx-outage.toml",
        "--out",
        "/proc/x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/proc/x"), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "the trace was printed before failing");
}

/// Issue 17.6 and 17.8: numbers without bounds ran (or were clamped silently), and
/// duplicate segment or app names merged into one row of the breakdowns.
#[test]
fn unbounded_numbers_and_duplicate_names_were_accepted() {
    for (set, expected) in [
        (
            "platform.capacity=2e17",
            "platform.capacity: '200000000000000000' must be a positive number of requests per second, at most 1e9",
        ),
        ("platform.loop_detection=20000", "allowed 0, off, to 10000"),
        (
            "platform.retry_after=2h",
            "platform.retry_after: '2h' is out of range",
        ),
        (
            "segment.0.app.0.retry.max_attempts=5000",
            "segment[0].app[0].retry.max_attempts: '5000'",
        ),
        (
            "segment.0.app.0.timeout=3h",
            "segment[0].app[0].timeout: '3h' is out of range",
        ),
        ("outage.0.preset=x", "outage[0].preset"),
        (
            "segment.1.name=office-eu",
            "segment[1].name: 'office-eu' names two segments",
        ),
        (
            "segment.0.app.1.name=outlook",
            "segment[0].app[1].name: 'outlook' names two apps",
        ),
    ] {
        let err = model_error(&[set]);
        assert!(err.starts_with("test.toml with --set"), "{err}");
        assert!(err.contains(expected), "{set}: {err}");
    }
}

/// Issue 17.9: errors that pointed the wrong way or named internal types.
#[test]
fn error_messages_pointed_the_wrong_way() {
    // A seed above TOML's integer range is a valid u64.
    let overrides: Vec<Override> = ["scenario.seed=9223372036854775808".parse().unwrap()].to_vec();
    let s = scenario::parse_model(DEFAULT_MODEL, "test.toml", &overrides).unwrap();
    assert_eq!(s.seed, 9_223_372_036_854_775_808);
    let err = model_error(&["events.campaign.0.share=2"]);
    assert!(err.contains("no events.campaign entries"), "{err}");
    for set in ["scenario=5", "segment=5"] {
        let err = model_error(&[set]);
        assert!(!err.contains("Raw") && !err.contains("sequence"), "{err}");
    }
    let err = model_error(&["segment.0.activity.end=09:00"]);
    assert!(
        err.contains("'09:00' must come after start (08:30)"),
        "{err}"
    );

    let o = tokensim(&["compare", "no-such-model.toml", "models/default.toml"]);
    assert_eq!(
        stderr(&o).matches("No such file").count(),
        1,
        "{}",
        stderr(&o)
    );

    let dir = temp_dir("refuse-trace");
    for (script, expected) in [
        ("duration = \"500d\"\n", "duration: '500d' is out of range"),
        ("expires_in = \"5m\"\n", "expires_in: '5m' is out of range"),
        (
            "refresh_in = \"0s\"\n",
            "refresh_in: '0s' must be longer than zero",
        ),
    ] {
        let path = dir.join("script.toml");
        std::fs::write(&path, script).unwrap();
        let o = tokensim(&[
            "trace",
            "--profile",
            "msal-python",
            "--script",
            path.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{script}");
        assert!(
            err.contains("script.toml: ") && err.contains(expected),
            "{err}"
        );
        assert!(
            !err.contains("scenario.") && !err.contains("policy."),
            "{err}"
        );
    }
}
