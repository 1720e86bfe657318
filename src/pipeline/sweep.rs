//! The sweep stage: variants (a sweep's grid points, or the replications of one
//! model) simulated one per thread on the pipeline's pool, each written to its run
//! folder, their headlines computed from the tables in memory.

use super::pool;
use crate::analytics::Headline;
use crate::analytics::headline::of_summary;
use crate::metrics::store::Formats;
use crate::report::ReportError;
use crate::report::sweep::Variant;
use crate::scenario::{ModelError, Override, Scenario};
use std::path::Path;

/// Runs every variant (`load` builds its scenario from its overrides) on `threads`
/// threads, each variant single-threaded, so results do not depend on the thread
/// count; writes each run's tables into `runs/<id>/` (with `runs` given) and returns
/// the headlines in grid order, computed from the tables in memory. Memory holds one
/// run per thread.
pub fn run_variants(
    variants: &[Variant],
    load: &(dyn Fn(&[Override]) -> Result<Scenario, ModelError> + Sync),
    threads: usize,
    runs: Option<&Path>,
    progress: &(dyn Fn(usize, &Scenario, u64) -> bool + Sync),
) -> Result<Vec<Headline>, ReportError> {
    pool::map(variants.len(), threads, |i| {
        let v = &variants[i];
        let scenario = load(&v.sets)?;
        let units = super::all_units(&scenario);
        let tables = super::simulate_tables(&scenario, &units, 1, &|n| progress(i, &scenario, n))?;
        let summary = crate::analytics::summary::summarize(&tables)?;
        if let Some(runs) = runs {
            let dir = runs.join(&v.id);
            let formats = Formats::default();
            // One thread: the sweep's pool already runs a variant on each.
            super::write::write_folder(&dir, &tables, &summary, formats, 1)
                .map_err(|source| ReportError::Write { file: dir, source })?;
        }
        Ok(of_summary(&tables, &summary)?)
    })
}
