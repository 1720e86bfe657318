//! Model files: every shipped model validates and runs small; every invalid fixture
//! fails with the error text it names in its first line.

use crate::common::root;
use std::path::PathBuf;
use tokensim::metrics::RunResult;
use tokensim::scenario::{self, Override};

fn files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_model_validates_and_runs_small() {
    let models = files("models");
    assert!(models.len() >= 5, "models/ should hold the worked examples");
    for path in models {
        let small: Vec<Override> = ["scenario.users=300", "scenario.scale_units=2"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let s = scenario::load_file(&path, &small).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with('#'),
            "{} must open with a comment saying what question it answers",
            path.display()
        );
        let run = RunResult::simulate(s, 2, &|_| true).unwrap();
        assert!(run.events() > 0, "{} simulated nothing", path.display());
    }
}

#[test]
fn the_embedded_default_is_models_default_toml() {
    let file = std::fs::read_to_string(root().join("models/default.toml")).unwrap();
    assert_eq!(file, scenario::DEFAULT_MODEL);
}

#[test]
fn every_invalid_fixture_fails_with_its_expected_error() {
    let fixtures = files("tests/fixtures/invalid");
    assert!(fixtures.len() >= 10);
    for path in fixtures {
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .expect("first line: # expect: <text>");
        let err = scenario::load_file(&path, &[])
            .expect_err(&format!("{} should be invalid", path.display()))
            .to_string();
        assert!(
            err.contains(expect),
            "{}:\n  got:      {err}\n  expected: {expect}",
            path.display()
        );
        assert!(
            err.starts_with(&path.display().to_string()),
            "errors name the file: {err}"
        );
    }
}

#[test]
fn overrides_are_validated_like_the_file() {
    let bad: Override = "policy.access_token.lifetime_min=7x".parse().unwrap();
    let err = scenario::load_default(&[bad]).unwrap_err().to_string();
    assert!(
        err.contains("with --set policy.access_token.lifetime_min=7x"),
        "{err}"
    );
    assert!(
        err.contains(
            "policy.access_token.lifetime_min: '7x' is not a duration (use 90s, 15m, 2h or 7d)"
        ),
        "{err}"
    );
    let unknown: Override = "platform.capacityy=3".parse().unwrap();
    let err = scenario::load_default(&[unknown]).unwrap_err().to_string();
    assert!(err.contains("platform.capacityy: unknown field"), "{err}");
    let good: Override = "segment.0.app.1.profile=guided".parse().unwrap();
    let s = scenario::load_default(&[good]).unwrap();
    assert_eq!(s.segments[0].apps[1].profile.label(), "guided");
}

#[test]
fn every_trace_script_runs_with_every_profile() {
    use tokensim::domain::{Jitter, Profile};
    use tokensim::scenario::script::{RawSettings, parse_script};
    use tokensim::sim::trace::{TracedApp, run_trace};
    let scripts = files("models/traces");
    assert!(
        scripts.len() >= 3,
        "models/traces/ should hold the examples"
    );
    for path in scripts {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with('#'),
            "{} must open with a comment saying what question it answers",
            path.display()
        );
        let script = parse_script(
            &text,
            &path.display().to_string(),
            false,
            &RawSettings::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for profile in Profile::ALL {
            let app = TracedApp {
                profile,
                confidential: false,
                catches_errors: false,
                jitter: Jitter::Full,
            };
            let lines = run_trace(&script, app).unwrap_or_else(|e| panic!("{e}"));
            assert!(lines.len() > 2, "{} with {profile:?}", path.display());
        }
    }
}
