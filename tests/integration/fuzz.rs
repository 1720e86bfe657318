//! Issue 17.10: fuzzing of everything a user types. Random TOML trees and values in
//! model files, random `--set` paths and values, random trace scripts: each gives a
//! clear error naming its file (or the `--set`) or a valid model, never a panic; a
//! valid model's saved `model.toml` loads back as the same model.
//!
//! CI runs a few hundred cases per test (a few seconds). The long run sets the case
//! count through the environment:
//! `PROPTEST_CASES=1000000 cargo test --test integration fuzz::`

use proptest::prelude::*;
use tokensim::scenario::script::{RawSettings, parse_script};
use tokensim::scenario::{self, DEFAULT_MODEL, Override};
use toml::{Table, Value};

/// Cases per test: `ci`, or `PROPTEST_CASES` when set.
fn cases(ci: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ci);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Words the model and scripts use, so random trees hit real fields and values.
const WORDS: &[&str] = &[
    "scenario",
    "policy",
    "platform",
    "outage",
    "segment",
    "app",
    "events",
    "campaign",
    "name",
    "start",
    "horizon",
    "seed",
    "users",
    "scale_units",
    "access_token",
    "refresh_token",
    "lifetime_min",
    "lifetime_max",
    "expiry_margin",
    "max_inactive",
    "sign_in_frequency",
    "every",
    "cae",
    "capacity",
    "overload",
    "retry_after",
    "max_queue",
    "backup",
    "switchover",
    "capacity_share",
    "session_window",
    "preset",
    "duration",
    "kind",
    "failure",
    "hang",
    "success",
    "latency",
    "factor",
    "units",
    "unit_share",
    "share",
    "sign_in",
    "activity",
    "pattern",
    "rate_per_day",
    "session",
    "absence",
    "per_year",
    "length",
    "client",
    "profile",
    "call_interval",
    "timeout",
    "retry",
    "base",
    "cap",
    "max_attempts",
    "jitter",
    "interval",
    "rates",
    "at",
    "event",
    "matrix",
    "expires_in",
    "refresh_in",
    "call_every",
    "window",
    "from",
    "answer",
    "poisson",
    "always-on",
    "working-hours",
    "full",
    "degraded",
    "signing-key",
    "all",
    "msal-python",
    "msal-dotnet",
    "msal-js",
    "guided",
    "native",
    "spa",
    "web",
    "daemon",
    "5xx",
    "429",
    "ok",
    "timeout",
    "until-revoked",
    "every-time",
    "password-change",
    "2020-09-28-global",
    "legacy",
    "current",
    "shed",
    "queue",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(String::from),
        1 => "[a-z_]{1,8}",
    ]
}

fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        "[0-9]{1,20}(ms|s|m|h|d)",
        "[0-9]{1,3}d[0-9]{1,3}h[0-9]{0,3}m?",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9](T[0-2][0-9]:[0-5][0-9](:[0-6][0-9])?)?",
        "[0-2][0-9]:[0-6][0-9]",
        ".{0,16}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::Integer),
        (-3i64..200_000).prop_map(Value::Integer),
        any::<f64>().prop_map(Value::Float),
        (-2.0f64..3.0).prop_map(Value::Float),
        any::<bool>().prop_map(Value::Boolean),
        text_value().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(word(), inner, 0..4)
                .prop_map(|m| Value::Table(m.into_iter().collect())),
        ]
    })
}

fn path() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![3 => word(), 1 => (0usize..4).prop_map(|i| i.to_string())],
        1..5,
    )
}

fn default_table() -> Table {
    DEFAULT_MODEL.parse().unwrap()
}

/// A model's error is clear: it names the file or the override it comes from.
fn assert_clear(err: &scenario::ModelError, file: &str) {
    let text = err.to_string();
    assert!(
        text.starts_with(file) || text.starts_with("--set "),
        "unclear error: {text}"
    );
    assert!(!text.contains("Raw"), "an internal type in: {text}");
}

/// A valid model loads back from the `model.toml` a run writes for it.
fn assert_round_trips(s: &scenario::Scenario) {
    let text = scenario::load::to_toml(&s.raw);
    let again = scenario::parse_model(&text, "model.toml", &[])
        .unwrap_or_else(|e| panic!("model.toml of a valid model is invalid: {e}\n{text}"));
    assert_eq!(scenario::load::to_toml(&again.raw), text);
    tokensim::scenario::memory::estimate(s);
}

proptest! {
    #![proptest_config(cases(400))]

    /// Random edits of the default model's TOML tree, written back as a file.
    #[test]
    fn random_model_trees_give_a_clear_error_or_a_valid_model(
        edits in proptest::collection::vec((path(), value()), 1..5)
    ) {
        let mut table = default_table();
        for (path, value) in edits {
            let text = format!("{}=…", path.join("."));
            let _ = Override { text, path, value }.apply(&mut table);
        }
        if let Ok(text) = toml::to_string(&table) {
            match scenario::parse_model(&text, "fuzz.toml", &[]) {
                Ok(s) => assert_round_trips(&s),
                Err(e) => assert_clear(&e, "fuzz.toml"),
            }
        }
    }

    /// The default model's text with bytes cut out and random text put in.
    #[test]
    fn damaged_model_text_gives_a_clear_error_or_a_valid_model(
        at in 0usize..DEFAULT_MODEL.len(),
        cut in 0usize..40,
        insert in ".{0,12}",
    ) {
        let mut text = DEFAULT_MODEL.to_string();
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (at + cut..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(at..end, &insert);
        match scenario::parse_model(&text, "fuzz.toml", &[]) {
            Ok(s) => assert_round_trips(&s),
            Err(e) => assert_clear(&e, "fuzz.toml"),
        }
    }

    /// Random `--set key=value` on the default model, as typed on the command line.
    #[test]
    fn random_overrides_give_a_clear_error_or_a_valid_model(
        sets in proptest::collection::vec((path(), text_value()), 1..4)
    ) {
        let mut overrides = Vec::new();
        for (path, value) in sets {
            match format!("{}={value}", path.join(".")).parse::<Override>() {
                Ok(o) => overrides.push(o),
                Err(e) => assert_clear(&e, "--set"),
            }
        }
        match scenario::parse_model(DEFAULT_MODEL, "fuzz.toml", &overrides) {
            Ok(s) => assert_round_trips(&s),
            Err(e) => assert_clear(&e, "fuzz.toml"),
        }
    }

    /// Random trace scripts (TOML trees of the script's fields, and CSV rows): a clear
    /// error naming the script, or a script that traces without panicking.
    #[test]
    fn random_trace_scripts_give_a_clear_error_or_a_trace(
        settings in proptest::collection::btree_map(
            proptest::sample::select(&["expires_in", "refresh_in", "call_every", "duration", "timeout", "other"][..]),
            prop_oneof![3 => text_value().prop_map(Value::String), 1 => leaf()],
            0..5,
        ),
        windows in proptest::collection::vec(
            proptest::collection::btree_map(
                proptest::sample::select(&["from", "answer", "retry_after", "hang", "other"][..]),
                prop_oneof![3 => text_value().prop_map(Value::String), 1 => leaf()],
                0..5,
            ),
            0..4,
        ),
        csv in proptest::collection::vec("[a-z0-9_,\"]{0,24}", 0..5),
    ) {
        let mut table: Table = settings.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let windows: Vec<Value> = windows
            .into_iter()
            .map(|w| Value::Table(w.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
            .collect();
        table.insert("window".into(), Value::Array(windows));
        let defaults = RawSettings::default();
        let csv = format!("from,answer,retry_after,hang\n{}", csv.join("\n"));
        let texts = [(toml::to_string(&table).ok(), false), (Some(csv), true)];
        for (text, is_csv) in texts {
            let Some(text) = text else { continue };
            match parse_script(&text, "fuzz.toml", is_csv, &defaults) {
                Ok(script) => {
                    // Trace the short ones: the model a trace runs on must be valid.
                    let calls = script.duration.as_millis() / script.call_every.as_millis();
                    if calls <= 500 {
                        let app = tokensim::sim::trace::TracedApp {
                            profile: tokensim::domain::Profile::MsalPython,
                            confidential: false,
                            catches_errors: false,
                            jitter: tokensim::domain::Jitter::default(),
                        };
                        tokensim::sim::trace::run_trace(&script, app)
                            .unwrap_or_else(|e| panic!("a valid script ran an invalid model: {e}"));
                    }
                }
                Err(e) => prop_assert!(e.starts_with("fuzz.toml: "), "unclear error: {e}"),
            }
        }
    }
}
