//! Replications of one model: the runs behind a figure's confidence interval. Each
//! replication is a sweep variant whose only override is its seed, so replications run
//! on the sweep's thread pool, one thread each, byte-identical for any `--threads`.

use super::sweep::run_variants;
use crate::analytics::Headline;
use crate::analytics::replication::{replications, worst_precision};
use crate::engine::rng::replication_seed;
use crate::metrics::stats::Replications;
use crate::report::ReportError;
use crate::report::sweep::{Variant, replicas};
use crate::scenario::{ModelError, Override, Scenario};
use std::path::Path;

/// How many replications to run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Replications to run at least.
    pub n: usize,
    /// Add replications until every figure's CI half-width is at most this share of
    /// its mean …
    pub target: Option<f64>,
    /// … but never more than this many.
    pub cap: usize,
}

/// The base seeds of replications `0..n` of a run with seed `seed`.
pub fn seeds(seed: u64, n: usize) -> Vec<u64> {
    (0..n as u64).map(|r| replication_seed(seed, r)).collect()
}

/// Runs the replications of `plan` that `done` (the headlines of the first
/// replications, already run) lacks, each written into its folder `rNN/` under `runs`
/// (when given); returns every replication's
/// headline and their figures. `load` builds a scenario from the seed override
/// (none for replication 0).
pub fn replicate(
    mut done: Vec<Headline>,
    base_seed: u64,
    plan: Plan,
    load: &(dyn Fn(&[Override]) -> Result<Scenario, ModelError> + Sync),
    threads: usize,
    runs: Option<&Path>,
    progress: &(dyn Fn(usize, &Scenario, u64) -> bool + Sync),
) -> Result<(Vec<Headline>, Replications), ReportError> {
    let mut n = plan.n.max(done.len());
    loop {
        let seeds = seeds(base_seed, n);
        let base = Variant {
            id: String::new(),
            sets: Vec::new(),
            label: String::new(),
        };
        let all = replicas(&[base], &seeds)?;
        let todo = &all[done.len().min(all.len())..];
        let offset = done.len();
        let more = run_variants(todo, load, threads, runs, &|i, s, k| {
            progress(offset + i, s, k)
        })?;
        done.extend(more);
        let figures = replications(&done, &seeds);
        let next = match plan.target {
            Some(p) if worst_precision(&figures) > p && n < plan.cap => figures
                .figures
                .iter()
                .filter_map(|f| f.estimate.as_ref()?.replications_for(p))
                .max()
                .map_or(n, |want| want.min(plan.cap)),
            _ => n,
        };
        if next <= n {
            return Ok((done, figures));
        }
        n = next;
    }
}
