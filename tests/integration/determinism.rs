//! Same model and seed ⇒ byte-identical outputs for any thread count (the simulation's
//! and the save stage's, which writes files beside the report); another seed ⇒
//! different outputs.

use crate::common::temp_dir;
use std::collections::BTreeMap;
use tokensim::analytics::RunTables;
use tokensim::metrics::RunResult;
use tokensim::metrics::store::Formats;
use tokensim::scenario::{self, Override};

/// Runs the default scenario (smaller) on `threads` threads, saves the whole folder
/// (tables, analytics tables, charts, report) on as many, and returns every file's bytes.
fn outputs(seed: u64, threads: usize, tag: &str) -> BTreeMap<String, Vec<u8>> {
    let sets: Vec<Override> = [
        "scenario.users=4000",
        "scenario.horizon=10d",
        &format!("scenario.seed={seed}"),
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let s = scenario::load_default(&sets).unwrap();
    let dir = temp_dir(&format!("det-{tag}"));
    let run = RunResult::simulate(s, threads, &|_| true).unwrap();
    let tables = RunTables::from_result(&run).unwrap();
    tokensim::pipeline::save(&tables, None, &dir, Formats::default(), threads).unwrap();
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    files
}

#[test]
fn same_seed_gives_identical_bytes_with_one_and_two_threads() {
    let one = outputs(42, 1, "one");
    let two = outputs(42, 2, "two");
    assert!(one.len() >= 3);
    for (name, bytes) in &one {
        assert!(
            two[name] == *bytes,
            "{name} differs between 1 and 2 threads"
        );
    }
    let other = outputs(43, 2, "other");
    assert_ne!(
        one["users.csv"], other["users.csv"],
        "a different seed must give a different run"
    );
    assert_ne!(one["timeseries.csv"], other["timeseries.csv"]);
}
