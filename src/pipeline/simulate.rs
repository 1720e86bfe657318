//! The simulate stage: a set of scale units run on the pipeline's threads, each with
//! its own observer, merged in unit order.

use super::pool;
use crate::analytics::shards::concat;
use crate::analytics::{RunTables, computing};
use crate::metrics::columns::RunColumns;
use crate::metrics::schema::tables::RunTable;
use crate::metrics::{Recorder, RunResult, frames, unit_tallies};
use crate::report::ReportError;
use crate::scenario::Scenario;
use crate::sim::{AppRow, Observer, RunError, UnitRun, run_unit};
use std::sync::Mutex;

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

/// Simulates `units` (ascending) of `scenario` on `threads` threads and returns their
/// tables: each unit's recorder is copied into the run's columns as soon as the unit
/// finishes ([`RunColumns`]) and dropped, so memory holds the tables and one recorder
/// per thread, never every unit's recorder. `progress` gets 1 per unit-day and returns
/// `false` to cancel.
pub fn simulate_tables(
    scenario: &Scenario,
    units: &[u32],
    threads: usize,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<RunTables, ReportError> {
    let columns = Mutex::new(RunColumns::new(scenario, units));
    let parts = pool::map(units.len(), threads, |i| -> Result<_, ReportError> {
        let make = |unit, rows: &[AppRow]| Recorder::new(scenario, unit, rows);
        let unit = run_unit(scenario, units[i], make, progress)?;
        columns
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .add(scenario, &unit);
        let one = RunResult {
            scenario: scenario.clone(),
            units: vec![unit],
        };
        let revocations = computing("the revocations table", frames::revocations(&one))?;
        let units = computing("the units table", unit_tallies::units_frame(&one))?;
        Ok((revocations, units))
    })?;
    let columns = columns.into_inner().unwrap_or_else(|p| p.into_inner());
    let [users, timeseries, segments] =
        computing("the users and time series", columns.frames(scenario))?;
    let (revocations, units): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    let revocations = concat(RunTable::Revocations, revocations)?;
    Ok(RunTables {
        scenario: scenario.clone(),
        summary: None,
        users,
        timeseries,
        segments,
        revocations: (revocations.height() > 0).then_some(revocations),
        units: concat(RunTable::Units, units)?,
    })
}

impl RunResult {
    /// Simulates every unit of `scenario` on `threads` threads and keeps every unit's
    /// recorder (the TUI traces and exports from it); `progress` gets 1 per unit-day
    /// and returns `false` to cancel.
    pub fn simulate(
        scenario: Scenario,
        threads: usize,
        progress: &(dyn Fn(u64) -> bool + Sync),
    ) -> Result<RunResult, RunError> {
        let units = run_units(
            &scenario,
            &all_units(&scenario),
            threads,
            |unit, rows| Recorder::new(&scenario, unit, rows),
            progress,
        )?;
        Ok(RunResult { scenario, units })
    }
}
