//! Messages into [`super::update`](fn@super::update) and the commands it asks the runtime to carry out.

use super::digest::Digest;
use super::model::Base;
use super::trace::UserTrace;
use crate::metrics::RunResult;
use crate::scenario::{Override, Scenario};
use crossterm::event::KeyEvent;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything that can change the model.
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal was resized (the next frame uses the new size).
    Resize,
    /// Run `generation` has simulated `done` unit-days.
    Progress {
        /// The run.
        generation: u64,
        /// Unit-days done so far.
        done: u64,
    },
    /// Run `generation` finished (or could not run).
    RunDone {
        /// The run.
        generation: u64,
        /// Its digest, or why it failed.
        result: Result<Arc<Digest>, String>,
    },
    /// The timeline of a user in the run `generation`.
    Traced {
        /// The run the trace belongs to.
        generation: u64,
        /// The user's timeline.
        trace: UserTrace,
    },
    /// A save or export finished: what to tell the user.
    Done(Result<String, String>),
}

/// A simulation to start on the worker.
#[derive(Clone)]
pub struct RunRequest {
    /// Newer generations supersede older ones.
    pub generation: u64,
    /// The lever overrides it applies, as `key=value` texts (for the status line and tests).
    pub sets: Vec<String>,
    /// The validated scenario to simulate (boxed: it is large).
    pub scenario: Box<Scenario>,
    /// With more than one replication: how to build replications 2..N.
    pub replicate: Option<Replicate>,
}

/// Replications of a run beyond the first, as `tokensim run --replications N` runs them.
#[derive(Clone)]
pub struct Replicate {
    /// Replications in all (more than one).
    pub n: usize,
    /// The model as loaded, to build each replication's scenario from (boxed: it holds
    /// a scenario).
    pub base: Box<Base>,
    /// The lever overrides, applied before each replication's seed.
    pub sets: Vec<Override>,
}

/// Side effects `update` asks for; the runtime carries them out and answers with a [`Msg`].
pub enum Cmd {
    /// Simulate, cancelling older runs.
    Run(RunRequest),
    /// Re-run one user's unit for the User tab.
    Trace {
        /// The run the user belongs to.
        generation: u64,
        /// Its result (the scenario to re-run).
        run: Arc<RunResult>,
        /// The user.
        user: u32,
    },
    /// Write this model text to this file.
    Save(PathBuf, String),
    /// Write the run's outputs into this folder.
    Export(PathBuf, Arc<RunResult>),
    /// Leave.
    Quit,
}
