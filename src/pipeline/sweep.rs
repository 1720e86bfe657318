//! The sweep stage: variants (a sweep's grid points, or the replications of one
//! model) simulated one per thread on the pipeline's pool, each written to its run
//! folder, their headlines computed from the tables in memory.

use super::pool;
use crate::analytics::Headline;
use crate::analytics::headline::of_tables;
use crate::metrics::RunResult;
use crate::metrics::store::Formats;
use crate::report::ReportError;
use crate::report::sweep::Variant;
use crate::scenario::{ModelError, Override, Scenario};
use std::path::Path;

/// Runs every variant (`load` builds its scenario from its overrides) on `threads`
/// threads, each variant single-threaded, so results do not depend on the thread
/// count; writes each run's tables into `runs/<id>/` and returns the headlines in grid
/// order, computed from the tables in memory. Memory holds one run per thread.
pub fn run_variants(
    variants: &[Variant],
    load: &(dyn Fn(&[Override]) -> Result<Scenario, ModelError> + Sync),
    threads: usize,
    runs: &Path,
    progress: &(dyn Fn(usize, &Scenario, u64) -> bool + Sync),
) -> Result<Vec<Headline>, ReportError> {
    pool::map(variants.len(), threads, |i| {
        let v = &variants[i];
        let scenario = load(&v.sets)?;
        let scenario_ref = scenario.clone();
        let run = RunResult::simulate(scenario, 1, &|n| progress(i, &scenario_ref, n))?;
        let finished = super::finish(&run)?;
        drop(run);
        let dir = runs.join(&v.id);
        super::write::write_folder(
            &dir,
            &finished.tables,
            &finished.summary,
            Formats::default(),
        )
        .map_err(|source| ReportError::Write {
            file: dir.clone(),
            source,
        })?;
        Ok(of_tables(&finished.tables)?)
    })
}
