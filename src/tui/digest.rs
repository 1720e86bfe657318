//! A finished run boiled down to what the tabs show: the summary and headline, the
//! whole-platform per-minute series, the analytics breakdown by segment and by profile
//! and the most affected users — all computed from the run's tables by the analytics
//! that write `summary.json` and `report.md`. Built on the worker thread, so the UI
//! thread only draws.

use crate::analytics::{Headline, RunTables, breakdown};
use crate::engine::time::MS_PER_MINUTE;
use crate::metrics::schema::users as uc;
use crate::metrics::stats::Replications;
use crate::metrics::{RunResult, Summary};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use crate::analytics::breakdown::{GroupRow, UserRow};

/// Platform totals per minute (all units added up).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Requests offered.
    pub offered: Vec<u64>,
    /// Requests admitted by the primary.
    pub admitted: Vec<u64>,
    /// Shed with 429.
    pub shed: Vec<u64>,
    /// 5xx or hung.
    pub failed: Vec<u64>,
    /// Served by the backup service.
    pub backup: Vec<u64>,
    /// Capacity (requests per minute).
    pub capacity: Vec<f64>,
    /// Users in a session.
    pub active: Vec<u64>,
    /// Users with a blocked app.
    pub blocked: Vec<u64>,
}

/// Everything the tabs show about one run.
pub struct Digest {
    /// The run itself (for `e`, export, and for tracing one user).
    pub run: Arc<RunResult>,
    /// Headline figures (`summary.json`).
    pub summary: Summary,
    /// The headline figures of reports and sweeps.
    pub headline: Headline,
    /// Per-minute platform totals.
    pub series: Series,
    /// Per-segment breakdown rows, by name.
    pub segments: Vec<GroupRow>,
    /// Per-profile breakdown rows, by label.
    pub profiles: Vec<GroupRow>,
    /// The most blocked users, worst first.
    pub worst: Vec<UserRow>,
    /// The headline figures across replications, when the run had more than one.
    pub replications: Option<Replications>,
    /// Wall time of the simulation (with every replication).
    pub simulated: Duration,
    /// Wall time of building this digest.
    pub digested: Duration,
}

/// How many users the User tab lists.
pub const WORST_USERS: usize = 20;

impl Digest {
    /// Digests a finished run that took `simulated` to simulate.
    pub fn new(run: RunResult, simulated: Duration) -> crate::analytics::Result<Digest> {
        let started = Instant::now();
        let tables = RunTables::from_result(&run)?;
        let summary = crate::analytics::summary::summarize(&tables)?;
        let percentiles = crate::analytics::percentiles::percentiles(&tables)?;
        let groups = breakdown::breakdowns(&tables)?;
        let rows = |dimension| breakdown::rows(&groups, dimension);
        let mut digest = Digest {
            series: series(&run),
            segments: rows(uc::SEGMENT)?,
            profiles: rows(uc::PROFILE)?,
            worst: breakdown::most_affected(&tables, WORST_USERS)?,
            headline: Headline::new(&summary, &percentiles),
            summary,
            replications: None,
            simulated,
            digested: Duration::ZERO,
            run: Arc::new(run),
        };
        digest.digested = started.elapsed();
        Ok(digest)
    }
}

fn series(run: &RunResult) -> Series {
    let minutes = run.scenario.horizon.as_millis().div_ceil(MS_PER_MINUTE) as usize;
    let mut s = Series {
        offered: vec![0; minutes],
        admitted: vec![0; minutes],
        shed: vec![0; minutes],
        failed: vec![0; minutes],
        backup: vec![0; minutes],
        capacity: vec![0.0; minutes],
        active: vec![0; minutes],
        blocked: vec![0; minutes],
    };
    let add =
        |to: &mut [u64], from: &[u32]| to.iter_mut().zip(from).for_each(|(t, f)| *t += *f as u64);
    for unit in &run.units {
        let c = &unit.observer.minute;
        add(&mut s.offered, &c.offered);
        add(&mut s.admitted, &c.admitted);
        add(&mut s.shed, &c.shed);
        add(&mut s.failed, &c.failed);
        add(&mut s.backup, &c.backup);
        add(&mut s.active, &c.active_users);
        add(&mut s.blocked, &c.blocked_users);
        for (t, f) in s
            .capacity
            .iter_mut()
            .zip(run.capacity_per_minute(unit.unit))
        {
            *t += f;
        }
    }
    s
}
