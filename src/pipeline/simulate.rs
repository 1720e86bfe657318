//! The simulate stage: a set of scale units run on the pipeline's threads, each with
//! its own observer, merged in unit order.

use super::pool;
use crate::metrics::{Recorder, RunResult};
use crate::scenario::Scenario;
use crate::sim::{AppRow, Observer, RunError, UnitRun, run_unit};

/// Every unit of `scenario`, in order.
pub fn all_units(scenario: &Scenario) -> Vec<u32> {
    (0..scenario.scale_units).collect()
}

/// Runs `units` (ascending) on `threads` threads; `make` builds each unit's observer
/// from its app rows; `progress` gets 1 per unit-day and returns `false` to cancel.
/// The results are in the order of `units`, whatever the thread count.
pub fn run_units<O, F>(
    scenario: &Scenario,
    units: &[u32],
    threads: usize,
    make: F,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<Vec<UnitRun<O>>, RunError>
where
    O: Observer + Send,
    F: Fn(u32, &[AppRow]) -> O + Sync,
{
    pool::map(units.len(), threads, |i| {
        run_unit(scenario, units[i], &make, progress)
    })
}

impl RunResult {
    /// Simulates every unit of `scenario` on `threads` threads; `progress` gets 1 per
    /// unit-day and returns `false` to cancel.
    pub fn simulate(
        scenario: Scenario,
        threads: usize,
        progress: &(dyn Fn(u64) -> bool + Sync),
    ) -> Result<RunResult, RunError> {
        let units = all_units(&scenario);
        Self::simulate_units(scenario, &units, threads, progress)
    }

    /// Simulates only `units` (ascending) of `scenario`: a shard of a run.
    pub fn simulate_units(
        scenario: Scenario,
        units: &[u32],
        threads: usize,
        progress: &(dyn Fn(u64) -> bool + Sync),
    ) -> Result<RunResult, RunError> {
        let units = run_units(
            &scenario,
            units,
            threads,
            |unit, rows| Recorder::new(&scenario, unit, rows),
            progress,
        )?;
        Ok(RunResult { scenario, units })
    }
}
