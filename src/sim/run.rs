//! Runs every scale unit of a scenario, in parallel with rayon, and returns the units'
//! observers in unit order, so merged outputs do not depend on the thread count.

use super::observer::Observer;
use super::world::{AppRow, SimulationBuilder};
use crate::engine::SimTime;
use crate::engine::time::MS_PER_DAY;
use crate::scenario::Scenario;
use rayon::prelude::*;

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
    /// The thread pool could not be created.
    #[error("cannot start {threads} worker threads")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The cause.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// `progress` asked to stop (a newer run superseded this one).
    #[error("the run was cancelled")]
    Cancelled,
}

/// Runs all units on `threads` threads. `make` builds each unit's observer from its app
/// rows; `progress` is called with 1 for every simulated unit-day and returns `false`
/// to cancel the run.
pub fn run_units<O, F>(
    scenario: &Scenario,
    threads: usize,
    make: F,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<Vec<UnitRun<O>>, RunError>
where
    O: Observer + Send,
    F: Fn(u32, &[AppRow]) -> O + Sync,
{
    let days = scenario.horizon.as_millis().div_ceil(MS_PER_DAY);
    let one = |unit: u32| {
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
    };
    // One thread runs inline, on the caller's thread and without a pool of its own: a
    // sweep calls this from its own pool's workers, and a worker waiting on a nested
    // pool steals further variants onto its stack until it overflows (issue 17).
    if threads <= 1 {
        return (0..scenario.scale_units).map(one).collect();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::Threads { threads, source })?;
    pool.install(|| (0..scenario.scale_units).into_par_iter().map(one).collect())
}

/// Unit-days a run reports through `progress`, for sizing a progress bar.
pub fn progress_total(scenario: &Scenario) -> u64 {
    scenario.horizon.as_millis().div_ceil(MS_PER_DAY) * scenario.scale_units as u64
}
