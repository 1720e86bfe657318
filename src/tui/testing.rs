//! Fixtures for the UI's unit tests: a small model and a finished run of it.

use super::digest::Digest;
use super::model::{Base, Model, Paths};
use super::msg::{Msg, RunRequest};
use super::update::{BASELINE, start, update};
use super::worker::Worker;
use crate::metrics::RunResult;
use crate::scenario::{DEFAULT_MODEL, Override};
use std::sync::Arc;
use std::time::Duration;

/// The default model, made small: 300 users over 2 days, the outage on day 1 at 09:00.
pub fn small_base() -> Base {
    small_base_with(&[])
}

/// [`small_base`] with more overrides.
pub fn small_base_with(extra: &[&str]) -> Base {
    let sets: Vec<Override> = [
        "scenario.users=300",
        "scenario.horizon=2d",
        "outage.0.start=1d9h",
    ]
    .iter()
    .chain(extra)
    .map(|s| s.parse().expect("valid override"))
    .collect();
    Base::new(DEFAULT_MODEL.into(), "default.toml".into(), sets).expect("valid model")
}

/// Simulates `model`'s current scenario on the test thread.
pub fn digest_of(model: &Model) -> Arc<Digest> {
    let run = RunResult::simulate(model.scenario.clone(), 1, &|_| true).expect("run");
    Arc::new(Digest::new(run, Duration::from_millis(5)).expect("the run digests"))
}

/// A model that has asked for and received its baseline run.
pub fn model_with_baseline() -> Model {
    model_with_baseline_of(small_base())
}

/// A model of `base` that has asked for and received its baseline run.
pub fn model_with_baseline_of(base: Base) -> Model {
    let mut model = Model::new(
        base,
        Paths {
            export: std::env::temp_dir().join("tokensim-tui-export"),
            save: std::env::temp_dir().join("tokensim-tui-save.toml"),
        },
    );
    start(&mut model);
    let result = Ok(digest_of(&model));
    update(
        &mut model,
        Msg::RunDone {
            generation: BASELINE,
            result,
        },
    );
    model
}

/// Runs `request` on a real [`Worker`] (one thread) and returns its digest.
pub fn digest_on_worker(request: RunRequest) -> Arc<Digest> {
    let (results, inbox) = std::sync::mpsc::channel();
    let worker = Worker::start(results, 1);
    worker.run(request);
    loop {
        match inbox.recv().expect("the worker answers") {
            Msg::RunDone { result, .. } => return result.expect("the run succeeds"),
            _ => continue,
        }
    }
}
