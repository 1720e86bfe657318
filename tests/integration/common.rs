//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use tokensim::domain::PromptCause;
use tokensim::domain::idp::{Reply, RequestKind};
use tokensim::engine::SimTime;
use tokensim::scenario::{self, Override, Scenario};
use tokensim::sim::{AppRef, CallResult, Observer, Outcome, RevocationRecord, SimulationBuilder};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Parses model text with overrides written as `key=value`.
pub fn model(text: &str, sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    scenario::parse_model(text, "test.toml", &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// The real binary built by cargo for this test run.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tokensim"))
}

/// Runs the real binary in the repository root with `args`; it must succeed.
pub fn tokensim(args: &[&str]) -> std::process::Output {
    let o = std::process::Command::new(binary())
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A fresh, empty temporary folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tokensim-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a probe saw one app do, in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// A token request of this kind ended with a new token.
    Grant(SimTime, RequestKind),
    /// An app call was served a token obtained before (cache or old token).
    Served(SimTime),
    /// The user was prompted.
    Prompt(SimTime, PromptCause),
}

/// An observer keeping, per app (local index), everything the property tests check.
#[derive(Debug, Default)]
pub struct Probe {
    /// Per app, in time order.
    pub apps: Vec<Vec<Seen>>,
    /// Revocation records in event order.
    pub records: Vec<RevocationRecord>,
    last_kind: Vec<Option<RequestKind>>,
}

impl Probe {
    fn app(&mut self, app: AppRef) -> usize {
        let i = app.local as usize;
        if self.apps.len() <= i {
            self.apps.resize(i + 1, Vec::new());
            self.last_kind.resize(i + 1, None);
        }
        i
    }
}

impl Observer for Probe {
    fn offered(&mut self, _t: SimTime, app: AppRef, kind: RequestKind, _reply: &Reply) {
        let i = self.app(app);
        self.last_kind[i] = Some(kind);
    }
    fn requests(&mut self, t: SimTime, app: AppRef, outcome: Outcome, _n: u64) {
        let i = self.app(app);
        if matches!(outcome, Outcome::Ok | Outcome::Backup) {
            let kind = self.last_kind[i].expect("a grant follows a request");
            self.apps[i].push(Seen::Grant(t, kind));
        }
    }
    fn prompt(&mut self, t: SimTime, app: AppRef, cause: PromptCause) {
        let i = self.app(app);
        self.apps[i].push(Seen::Prompt(t, cause));
    }
    fn call(&mut self, t: SimTime, app: AppRef, result: CallResult) {
        let i = self.app(app);
        if matches!(result, CallResult::Cached | CallResult::Old) {
            self.apps[i].push(Seen::Served(t));
        }
    }
    fn revocation(&mut self, record: &RevocationRecord) {
        self.records.push(*record);
    }
}

/// Runs unit 0 of `scenario` with every app call evaluated and reported (trace mode:
/// apps start signed in, without an access token) and returns what the probe saw.
pub fn probe(scenario: &Scenario) -> Probe {
    let mut sim = SimulationBuilder::new(scenario, 0).trace().build();
    let mut probe = Probe {
        apps: vec![Vec::new(); sim.app_rows().len()],
        last_kind: vec![None; sim.app_rows().len()],
        ..Probe::default()
    };
    sim.run(&mut probe);
    probe
}

/// The summary of `run`, computed from its tables as `tokensim run` computes it.
pub fn summary_of(run: &tokensim::metrics::RunResult) -> tokensim::metrics::Summary {
    let tables = tokensim::analytics::RunTables::from_result(run).unwrap();
    tokensim::analytics::summary::summarize(&tables).unwrap()
}
