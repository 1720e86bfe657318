//! Run folders written by earlier versions: `tokensim report` on one either works or
//! says which file is missing and the command that rewrites the folder.

use crate::common::{binary, root, temp_dir};
use std::path::Path;
use std::process::{Command, Output};

/// A folder written by tokensim 0a85888 (CSV tables, `model.toml`, `summary.json`; no
/// `units.csv`): incident-response, 200 users, 6 hours, a one-hour outage.
const FIXTURE: &str = "tests/fixtures/old-run-0a85888";

fn tokensim(args: &[&str]) -> Output {
    Command::new(binary()).args(args).output().unwrap()
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn report_on_a_folder_of_0a85888_names_the_missing_table_and_the_rerun() {
    let dir = temp_dir("old-folder");
    for entry in std::fs::read_dir(root().join(FIXTURE)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let old = summary(&dir);
    let d = dir.to_str().unwrap();
    let refused = tokensim(&["report", d]);
    let err = String::from_utf8_lossy(&refused.stderr);
    let rerun = format!("tokensim run {d}/model.toml --out {d}");
    assert!(!refused.status.success(), "an old folder was accepted");
    assert!(
        err.contains(&format!("{d}/units.csv does not exist")) && err.contains(&rerun),
        "{err}"
    );
    let model = format!("{d}/model.toml");
    let o = tokensim(&["run", &model, "--out", d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = tokensim(&["report", d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The rerun is the same run: the figures no rule change moved are the old ones.
    let new = summary(&dir);
    for path in [
        "/users",
        "/apps",
        "/events_processed",
        "/token_requests",
        "/prompts/by_cause",
        "/blocked/users",
        "/blocked/calls_failed",
        "/outages/0/users_blocked",
        "/outages/0/recovery_minutes",
        "/during_outages/calls_failed",
        "/exposure/events",
    ] {
        assert_eq!(new.pointer(path), old.pointer(path), "{path}");
    }
}
