//! Runs one scale unit of a scenario to its horizon; units are independent, so the
//! pipeline runs any set of them on its threads and merges them in unit order.

use super::observer::Observer;
use super::world::{AppRow, SimulationBuilder};
use crate::engine::SimTime;
use crate::engine::time::MS_PER_DAY;
use crate::scenario::Scenario;

/// The result of one unit.
pub struct UnitRun<O> {
    /// Unit index.
    pub unit: u32,
    /// What the observer recorded.
    pub observer: O,
    /// The unit's apps, in the order `AppRef::local` indexes.
    pub rows: Vec<AppRow>,
    /// Events processed.
    pub events: u64,
}

/// Why a run did not complete.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// `progress` asked to stop (a newer run superseded this one).
    #[error("the run was cancelled")]
    Cancelled,
}

/// Runs unit `unit` to the horizon. `make` builds its observer from its app rows;
/// `progress` is called with 1 for every simulated unit-day and returns `false` to
/// cancel the run. Units are independent: the caller runs them on its threads.
pub fn run_unit<O, F>(
    scenario: &Scenario,
    unit: u32,
    make: F,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<UnitRun<O>, RunError>
where
    O: Observer,
    F: FnOnce(u32, &[AppRow]) -> O,
{
    let days = unit_days(scenario);
    let mut sim = SimulationBuilder::new(scenario, unit).build();
    let rows = sim.app_rows();
    let mut observer = make(unit, &rows);
    for day in 1..=days {
        sim.run_until(SimTime(day * MS_PER_DAY), &mut observer);
        if !progress(1) {
            return Err(RunError::Cancelled);
        }
    }
    sim.finish(&mut observer);
    observer.close();
    Ok(UnitRun {
        unit,
        observer,
        rows,
        events: sim.events_processed(),
    })
}

/// Unit-days a run of every unit reports through `progress`, for sizing a progress bar.
pub fn progress_total(scenario: &Scenario) -> u64 {
    unit_days(scenario) * scenario.scale_units as u64
}

/// Unit-days one unit reports through `progress`.
pub fn unit_days(scenario: &Scenario) -> u64 {
    scenario.horizon.as_millis().div_ceil(MS_PER_DAY)
}
