//! Replications 2..N of a TUI run, run the way `tokensim run --replications N` runs
//! them: the first run's headline from its tables in memory, the others through
//! [`crate::pipeline::replicate::replicate`] with the same derived seeds, so the Impact
//! tab's means and CIs are the CLI's `summary.json` figures.

use super::msg::Replicate;
use crate::analytics::headline::of_tables;
use crate::cli::memory::available;
use crate::metrics::RunResult;
use crate::metrics::stats::Replications;
use crate::pipeline::replicate::{Plan, replicate};
use crate::report::ReportError;
use crate::scenario::memory::estimate;
use crate::scenario::{Override, Scenario};

/// Runs replications 2..`how.n` of `first` on `threads`, reporting unit-days to
/// `progress`, which stops them by returning false; returns every headline figure
/// across the N replications. Nothing is written: every headline comes from the
/// replication's tables in memory.
pub fn replications(
    first: &RunResult,
    how: &Replicate,
    threads: usize,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<Replications, ReportError> {
    let headline = of_tables(&crate::analytics::RunTables::from_result(first)?)?;
    // The lever overrides, then the replication's seed: what `--set … --replications`
    // gives the CLI.
    let load = |sets: &[Override]| {
        let all: Vec<Override> = how.sets.iter().chain(sets).cloned().collect();
        how.base.with(&all)
    };
    let plan = Plan {
        n: how.n,
        target: None,
        cap: how.n,
    };
    let (_, figures) = replicate(
        vec![headline],
        first.scenario.seed,
        plan,
        &load,
        concurrent(&first.scenario, threads),
        None,
        &|_, _, n| progress(n),
    )?;
    Ok(figures)
}

/// Replications at once: the worker's threads, but no more runs than fit in the memory
/// the machine still has (the first run, kept for the tabs, is already counted out of
/// it), and at least one. The figures do not depend on it.
fn concurrent(s: &Scenario, threads: usize) -> usize {
    let per_run = estimate(s).bytes.max(1);
    available()
        .map_or(threads, |(have, _)| threads.min((have / per_run) as usize))
        .max(1)
}
