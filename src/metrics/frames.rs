//! The recorders' columns turned into the run's canonical tables, once, in memory:
//! rows are collected straight into one `Vec` per column (as cryo does) and each
//! table becomes a [`DataFrame`] with the types of [`RunTable::schema`]; the big
//! tables are filled in place by [`super::columns`], the `revocations` table here.

use super::recorder::Recorder;
use super::result::RunResult;
use super::schema::tables::RunTable;
use super::schema::{revocations as rc, segments as sc};
use crate::domain::exposure::{Attacker, Fate, Window};
use crate::engine::time::MS_PER_MINUTE;
use crate::scenario::Scenario;
use crate::scenario::population::{segment_of, unit_of};
use polars::prelude::*;

/// Milliseconds as minutes in exact hundredths (half a hundredth rounds up), from the
/// integer: the value a CSV reader gets back from the two decimals the CSV shows, so
/// memory, Parquet and CSV hold the same number.
pub fn minutes(ms: u64) -> f64 {
    hundredths(ms) as f64 / 100.0
}

/// Milliseconds as whole hundredths of a minute, half a hundredth rounding up.
pub fn hundredths(ms: u64) -> u64 {
    (ms + MS_PER_MINUTE / 200) / (MS_PER_MINUTE / 100)
}

/// A count or id as the tables' `Int32`; none comes near 2³¹ (a request a second for a
/// year is 3 × 10⁷), and one that did would be capped, never wrapped.
pub(super) fn count(v: impl TryInto<i32>) -> i32 {
    v.try_into().unwrap_or(i32::MAX)
}

/// A frame from named columns, checked against the canonical schema of `table`.
pub(super) fn frame(table: RunTable, columns: Vec<Column>) -> PolarsResult<DataFrame> {
    let df = DataFrame::new_infer_height(columns)?;
    let want = table.schema();
    let found = df.schema();
    if **found != want {
        return Err(PolarsError::SchemaMismatch(
            format!("{} built as {found:?}, not {want:?}", table.stem()).into(),
        ));
    }
    Ok(df)
}

/// Blocked users per segment and minute, summed over the units added so far: what
/// `segment_timeseries` needs of each unit, kept as the units finish (a frame per unit
/// would hold a row per minute and segment for every unit).
pub struct SegmentCounts(Vec<Vec<u64>>);

impl SegmentCounts {
    /// No unit yet.
    pub fn new(s: &Scenario) -> SegmentCounts {
        let minutes = s.horizon.as_millis().div_ceil(MS_PER_MINUTE) as usize;
        SegmentCounts(vec![vec![0; minutes]; s.segments.len()])
    }

    /// Adds a finished unit's blocked users.
    pub fn add(&mut self, rec: &Recorder) {
        for (total, unit) in self.0.iter_mut().zip(&rec.segment_blocked_users) {
            for (t, u) in total.iter_mut().zip(unit) {
                *t += *u as u64;
            }
        }
    }

    /// The `segment_timeseries` table: minute-major, segments in model order.
    pub fn frame(&self, s: &Scenario) -> PolarsResult<DataFrame> {
        let minutes = self.0.first().map_or(0, Vec::len);
        let rows = minutes * s.segments.len();
        let (mut minute, mut segment, mut blocked) = (
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
        );
        for m in 0..minutes {
            for (k, seg) in s.segments.iter().enumerate() {
                minute.push(count(m));
                segment.push(seg.name.as_str());
                blocked.push(count(self.0[k][m]));
            }
        }
        frame(
            RunTable::Segments,
            vec![
                Column::new(sc::MINUTE.into(), minute),
                Column::new(sc::SEGMENT.into(), segment),
                Column::new(sc::BLOCKED_USERS.into(), blocked),
            ],
        )
    }
}

/// `revocations`: one row per access-cutting event and app, in the order of
/// [`RunResult::revocations`]. Empty texts are nulls, as a CSV reader reads them.
pub fn revocations(run: &RunResult) -> PolarsResult<DataFrame> {
    let s = &run.scenario;
    let records = run.revocations();
    let n = records.len();
    let mut ids: [Vec<i32>; 2] = Default::default();
    let mut text: [Vec<&str>; 4] = Default::default();
    let mut time = Vec::with_capacity(n);
    let mut classes: [Vec<Option<String>>; 2] = Default::default();
    let mut fate = Vec::with_capacity(n);
    let mut flags: [Vec<bool>; 2] = Default::default();
    let mut measures = vec![Vec::with_capacity(n); Attacker::ALL.len()];
    let mut windows = vec![Vec::with_capacity(n); Attacker::ALL.len()];
    let mut idle = Vec::with_capacity(n);
    let mut campaign = Vec::with_capacity(n);
    for r in records {
        let segment = &s.segments[segment_of(s, r.app.user) as usize];
        let app = &segment.apps[r.app.slot as usize];
        let f = &r.facts;
        ids[0].push(count(r.app.user));
        ids[1].push(count(unit_of(s, r.app.user)));
        for (column, v) in text.iter_mut().zip([
            segment.name.as_str(),
            app.name.as_str(),
            app.client.label(),
            r.event.label(),
        ]) {
            column.push(v);
        }
        time.push(minutes(r.t.as_millis()));
        for (column, v) in classes
            .iter_mut()
            .zip([r.revoked.labels(), r.alive.labels()])
        {
            column.push((!v.is_empty()).then_some(v));
        }
        fate.push(f.fate.label());
        flags[0].push(r.cae);
        flags[1].push(f.protected);
        for (k, a) in Attacker::ALL.into_iter().enumerate() {
            let (measure, value) = match f.window(a) {
                Window::Tail(d) => (rc::TAIL, Some(d)),
                Window::Alive(d) => (rc::LEFT_ALIVE, d),
                Window::Nothing => (rc::NOTHING, None),
            };
            measures[k].push(measure);
            windows[k].push(value.map(|d| minutes(d.as_millis())));
        }
        idle.push((f.fate == Fate::LeftAlive).then(|| minutes(f.idle.as_millis())));
        campaign.push(
            r.campaign
                .map(|k| s.events.campaigns[k as usize].name.as_str()),
        );
    }
    let [user, unit] = ids;
    let [segment, app_name, client, event] = text;
    let [revoked, alive] = classes;
    let [cae, protected] = flags;
    let mut columns = vec![
        Column::new(rc::USER.into(), user),
        Column::new(rc::UNIT.into(), unit),
        Column::new(rc::SEGMENT.into(), segment),
        Column::new(rc::APP.into(), app_name),
        Column::new(rc::CLIENT.into(), client),
        Column::new(rc::EVENT.into(), event),
        Column::new(rc::TIME_MINUTES.into(), time),
        Column::new(rc::REVOKED.into(), revoked),
        Column::new(rc::ALIVE.into(), alive),
        Column::new(rc::FATE.into(), fate),
        Column::new(rc::CAE.into(), cae),
        Column::new(rc::TOKEN_PROTECTION.into(), protected),
    ];
    for ((a, m), w) in Attacker::ALL.into_iter().zip(measures).zip(windows) {
        columns.push(Column::new(rc::measure(a).into(), m));
        columns.push(Column::new(rc::minutes(a).into(), w));
    }
    columns.push(Column::new(rc::IDLE_MINUTES.into(), idle));
    columns.push(Column::new(rc::CAMPAIGN.into(), campaign));
    frame(RunTable::Revocations, columns)
}

#[cfg(test)]
mod tests {
    use super::minutes;

    #[test]
    fn minutes_are_the_hundredths_a_csv_shows() {
        assert_eq!(minutes(0), 0.0);
        assert_eq!(minutes(60_000), 1.0);
        assert_eq!(minutes(299), 0.0);
        assert_eq!(minutes(300), 0.01);
        assert_eq!(minutes(90_900), 1.52);
        for ms in [1u64, 599, 600, 12_345_678, 86_400_000] {
            let text = format!("{:.2}", minutes(ms));
            assert_eq!(text.parse::<f64>().unwrap(), minutes(ms), "{ms} ms");
        }
    }
}
