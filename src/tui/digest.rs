//! A finished run boiled down to what the tabs show: the summary and headline, the
//! whole-platform per-minute series, the analytics breakdown by segment and by profile
//! and the most affected users — all computed from the run's tables by the analytics
//! that write `summary.json` and `report.md`. Built on the worker thread, so the UI
//! thread only draws.

use crate::analytics::platform::platform_series;
use crate::analytics::{Headline, RunTables, breakdown};
use crate::metrics::schema::users as uc;
use crate::metrics::stats::Replications;
use crate::metrics::{RunResult, Summary};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use crate::analytics::breakdown::{GroupRow, UserRow};
pub use crate::analytics::platform::Series;

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
            series: platform_series(&tables)?,
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
