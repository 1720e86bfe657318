//! The incident-response model end to end through the real binary, the `matrix`
//! command, and the model errors of the event and CAE settings.

use crate::common::{binary, root, temp_dir};
use std::process::Command;
use tokensim::scenario::parse_model;

fn tokensim(args: &[&str]) -> std::process::Output {
    let out = Command::new(binary()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "tokensim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn incident_response_runs_small_and_identically_on_any_thread_count() {
    let model = root().join("models/incident-response.toml");
    let model = model.to_str().unwrap();
    tokensim(&["check", model]);
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let dir = temp_dir(&format!("incident-{threads}"));
        let d = dir.to_str().unwrap();
        tokensim(&[
            "run",
            model,
            "--set",
            "scenario.users=240",
            "--threads",
            threads,
            "--out",
            d,
        ]);
        let csv = std::fs::read_to_string(dir.join("revocations.csv")).unwrap();
        let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
        outputs.push((csv, summary));
        std::fs::remove_dir_all(&dir).unwrap();
    }
    assert_eq!(outputs[0], outputs[1]);
    let (csv, summary) = &outputs[0];
    let header = csv.lines().next().unwrap();
    for column in [
        "user",
        "unit",
        "segment",
        "app",
        "event",
        "time_minutes",
        "fate",
        "stolen_access_token_minutes",
        "replay_measure",
        "compromised_device_minutes",
        "cae",
    ] {
        assert!(header.split(',').any(|c| c == column), "{header}");
    }
    assert!(csv.contains("admin-reset-entra-admin-center"));
    assert!(
        csv.contains(",reset-entra-admin-center\n"),
        "rows name their campaign"
    );
    let json: serde_json::Value = serde_json::from_str(summary).unwrap();
    let exposure = &json["exposure"];
    assert!(exposure["events"].as_u64().unwrap() > 0);
    assert!(exposure["cae"]["events"].as_u64().unwrap() > 0);
    assert!(exposure["non_cae"]["p50_minutes"].as_f64().is_some());
    // CAE sessions cut the admin center reset to minutes; without CAE the confidential
    // web app's token has to run out.
    assert!(exposure["cae"]["p50_minutes"].as_f64() < exposure["non_cae"]["p50_minutes"].as_f64());
}

#[test]
fn matrix_command_prints_the_table_and_the_csv() {
    let table = String::from_utf8(tokensim(&["matrix"]).stdout).unwrap();
    assert!(
        table.contains("single-sign-out                 revoked     alive"),
        "{table}"
    );
    let csv = tokensim(&["matrix", "--csv"]).stdout;
    assert_eq!(
        csv,
        std::fs::read(root().join("datasets/revocation-matrix.csv")).unwrap()
    );
}

const BASE: &str = r#"
[scenario]
name = "x"
start = "2026-03-02T00:00"
horizon = "10d"
users = 10
[[segment]]
name = "office"
share = 1.0
activity = { pattern = "always-on" }
[[segment.app]]
name = "a"
client = "native"
profile = "msal-dotnet"
"#;

fn error(extra: &str) -> String {
    parse_model(&format!("{BASE}{extra}"), "bad.toml", &[])
        .unwrap_err()
        .to_string()
}

#[test]
fn event_and_cae_errors_name_file_field_and_value() {
    let e = error("[[events.campaign]]\nat = \"2d\"\nevent = \"sspr\"\nsegment = \"ofice\"\n");
    assert_eq!(
        e,
        "bad.toml: events.campaign[0].segment: 'ofice' is not a segment (known: office)"
    );
    let e = error("[[events.campaign]]\nat = \"12d\"\nevent = \"sspr\"\n");
    assert!(
        e.starts_with(
            "bad.toml: events.campaign[0].at: '12d' is at or after the end of the horizon"
        ),
        "{e}"
    );
    let e = error("[[events.campaign]]\nat = \"2d\"\nevent = \"password-reset\"\n");
    assert!(
        e.contains("events.campaign[0].event") && e.contains("password-reset"),
        "{e}"
    );
    let e = error("[events.rates]\nsspr = -1\n");
    assert_eq!(
        e,
        "bad.toml: events.rates.sspr: '-1' must be from 0 to 365 events per user per year"
    );
    let e = error("[policy.cae]\nlifetime_max = \"30h\"\n");
    assert!(
        e.starts_with(
            "bad.toml: policy.cae.lifetime_max: '1d6h' is out of range (allowed 10m to 1d4h)"
        ),
        "{e}"
    );
    let e = error("[events]\nmatrix = \"old\"\n");
    assert!(e.contains("events.matrix") && e.contains("legacy"), "{e}");
}
