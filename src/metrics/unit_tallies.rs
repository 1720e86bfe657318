//! The `units` table: what the summary needs from each scale unit that no other table
//! holds — events processed, apps a shared sign-in also served, and the users, minutes
//! and calls lost inside each incident's impact window and inside their union (those
//! windows are counted per millisecond by the recorder, finer than any minute table).
//! Every value is additive over units, so shards merge by concatenation.

use super::result::RunResult;
use super::schema::units as un;
use super::window::WindowTally;
use polars::prelude::*;

/// Columns of the table, one `Vec` each, filled row by row.
#[derive(Default)]
struct Columns {
    unit: Vec<i64>,
    window: Vec<&'static str>,
    incident: Vec<Option<i64>>,
    events: Vec<i64>,
    shared: Vec<i64>,
    apps: Vec<i64>,
    revocations: Vec<i64>,
    users_blocked: Vec<i64>,
    blocked_minutes: Vec<f64>,
    calls_failed: Vec<i64>,
}

impl Columns {
    /// Starts a row for `unit` of kind `window`.
    fn push(&mut self, unit: u32, window: &'static str, incident: Option<usize>) -> &mut Self {
        self.unit.push(unit as i64);
        self.window.push(window);
        self.incident.push(incident.map(|k| k as i64));
        self
    }

    /// The row's per-unit counts (zeros on window rows).
    fn counts(&mut self, events: u64, shared: u64, apps: usize, revocations: usize) {
        self.events.push(events as i64);
        self.shared.push(shared as i64);
        self.apps.push(apps as i64);
        self.revocations.push(revocations as i64);
    }

    /// The row's window tallies (zeros on the `run` row).
    fn lost(&mut self, t: Option<&WindowTally>) {
        self.users_blocked
            .push(t.map_or(0, |t| t.users_blocked() as i64));
        self.blocked_minutes
            .push(t.map_or(0.0, |t| super::frames::minutes(t.blocked_ms)));
        self.calls_failed
            .push(t.map_or(0, |t| t.calls_failed as i64));
    }
}

/// The `units` table of `run`: per unit its `run` row, then one row per incident in
/// model order and, with outages, the `during_outages` row.
pub fn units_frame(run: &RunResult) -> PolarsResult<DataFrame> {
    let mut c = Columns::default();
    let outages = !run.scenario.outages.is_empty();
    for u in &run.units {
        let rec = &u.observer;
        c.push(u.unit, un::RUN, None).counts(
            u.events,
            rec.shared_sign_in_apps,
            u.rows.len(),
            rec.revocations.len(),
        );
        c.lost(None);
        for (k, t) in rec.incidents.iter().enumerate() {
            c.push(u.unit, un::INCIDENT_WINDOW, Some(k))
                .counts(0, 0, 0, 0);
            c.lost(Some(t));
        }
        if outages {
            c.push(u.unit, un::DURING_OUTAGES, None).counts(0, 0, 0, 0);
            c.lost(Some(&rec.during_outages));
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new(un::UNIT.into(), c.unit),
        Column::new(un::WINDOW.into(), c.window),
        Column::new(un::INCIDENT.into(), c.incident),
        Column::new(un::EVENTS.into(), c.events),
        Column::new(un::SHARED_SIGN_IN_APPS.into(), c.shared),
        Column::new(un::APPS.into(), c.apps),
        Column::new(un::REVOCATION_ROWS.into(), c.revocations),
        Column::new(un::USERS_BLOCKED.into(), c.users_blocked),
        Column::new(un::BLOCKED_MINUTES.into(), c.blocked_minutes),
        Column::new(un::CALLS_FAILED.into(), c.calls_failed),
    ])
}
