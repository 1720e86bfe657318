//! The `users`, `timeseries` and `segment_timeseries` tables filled in place as units
//! finish: every unit's rows have a known place (users by id, then app; the time
//! series unit after unit), so each finished recorder is copied straight into the
//! run's columns and dropped, and the columns become frames without a copy. Memory
//! holds the run's tables once, never per-unit frames next to their concatenation.

use super::frames::{SegmentCounts, count, frame, minutes};
use super::labels::Labels;
use super::recorder::Recorder;
use super::result::RunResult;
use super::schema::tables::RunTable;
use super::schema::{timeseries as ts, users as uc};
use crate::domain::PromptCause;
use crate::engine::SimTime;
use crate::engine::time::MS_PER_MINUTE;
use crate::scenario::Scenario;
use crate::scenario::population::segment_of;
use crate::sim::{Outcome, UnitRun};
use polars::prelude::*;
use polars::series::IsSorted;

/// Not one of the run's users (in [`RunColumns`]' first rows).
const ABSENT: u32 = u32::MAX;

/// The integer columns of `users` after the five text columns and three minute columns.
const COUNTS: usize = 1 + Outcome::ALL.len() + PromptCause::ALL.len() + 1;

/// The time series' integer columns, in file order without `time`.
const SERIES: usize = ts::ALL.len() - 1;

/// The run's tables being filled, unit by unit, in any order.
pub struct RunColumns {
    /// The units, in table order (ascending).
    units: Vec<u32>,
    minutes: usize,
    /// First `users` row of each user id ([`ABSENT`] for users of other units).
    first_row: Vec<u32>,
    user: Vec<i32>,
    unit: Vec<i32>,
    /// App index within the user's segment (the app, profile and client columns).
    slot: Vec<u16>,
    /// Minutes wanted, blocked, and blocked for the user.
    mins: [Vec<f64>; 3],
    /// Calls failed, requests by outcome, prompts by cause and in total.
    counts: Vec<Vec<i32>>,
    series: Vec<Vec<i32>>,
    segments: SegmentCounts,
}

impl RunColumns {
    /// Empty columns for the tables of `units` (ascending) of `s`.
    pub fn new(s: &Scenario, units: &[u32]) -> RunColumns {
        let mut first_row = vec![ABSENT; s.users as usize];
        let mut rows = 0u32;
        for (id, first) in first_row.iter_mut().enumerate() {
            let id = id as u32;
            if units.binary_search(&(id % s.scale_units)).is_ok() {
                *first = rows;
                rows += s.segments[segment_of(s, id) as usize].apps.len() as u32;
            }
        }
        let rows = rows as usize;
        let minutes = s.horizon.as_millis().div_ceil(MS_PER_MINUTE) as usize;
        // Zeroed columns: their pages are touched only as units fill them.
        RunColumns {
            units: units.to_vec(),
            minutes,
            first_row,
            user: vec![0; rows],
            unit: vec![0; rows],
            slot: vec![0; rows],
            mins: std::array::from_fn(|_| vec![0.0; rows]),
            counts: vec![vec![0; rows]; COUNTS],
            series: vec![vec![0; minutes * units.len()]; SERIES],
            segments: SegmentCounts::new(s),
        }
    }

    /// Copies a finished unit's rows into their places.
    pub fn add(&mut self, s: &Scenario, run: &UnitRun<Recorder>) {
        let rec = &run.observer;
        for (k, row) in run.rows.iter().enumerate() {
            let at = (self.first_row[row.user as usize] + row.slot as u32) as usize;
            let local = rec.local_user(row.user);
            self.user[at] = count(row.user);
            self.unit[at] = count(run.unit);
            self.slot[at] = row.slot;
            let ms = [
                rec.wanted_ms[local],
                rec.blocked_ms[k],
                rec.blocked_ms_of_user[local],
            ];
            for (column, ms) in self.mins.iter_mut().zip(ms) {
                column[at] = minutes(ms);
            }
            let total = rec.prompts[k].iter().map(|&p| p as u64).sum::<u64>();
            let values = std::iter::once(rec.calls_failed[k])
                .chain(rec.requests.iter().map(|column| column[k]))
                .chain(rec.prompts[k].iter().map(|&p| p as u64))
                .chain([total]);
            for (column, v) in self.counts.iter_mut().zip(values) {
                column[at] = count(v);
            }
        }
        let place = self
            .units
            .binary_search(&run.unit)
            .expect("a unit of the run");
        let from = place * self.minutes;
        let m = &rec.minute;
        let capacity = capacity_per_minute(s, run.unit, self.minutes);
        for minute in 0..self.minutes {
            let row = [
                minute as u64,
                run.unit as u64,
                m.offered[minute] as u64,
                m.admitted[minute] as u64,
                m.shed[minute] as u64,
                m.failed[minute] as u64,
                m.backup[minute] as u64,
                capacity[minute],
                m.active_users[minute] as u64,
                m.blocked_users[minute] as u64,
            ];
            for (column, v) in self.series.iter_mut().zip(row) {
                column[from + minute] = count(v);
            }
        }
        self.segments.add(rec);
    }

    /// The `users`, `timeseries` and `segment_timeseries` frames, from the columns
    /// without copying them (the text columns' codes are made from the ids, one at a
    /// time).
    pub fn frames(self, s: &Scenario) -> PolarsResult<[DataFrame; 3]> {
        let segments = self.segments.frame(s)?;
        let series = self
            .series
            .into_iter()
            .zip(ts::ALL.iter().filter(|n| **n != ts::TIME))
            .map(|(v, n)| int(n, v))
            .map(|c| sorted_if(c, ts::UNIT))
            .collect();
        let timeseries = frame(RunTable::Timeseries, series)?;
        let names = uc::all();
        let mut name = names.iter().map(String::as_str);
        let mut next = || name.next().expect("one name per column");
        let ids = [next(), next()];
        let labels = Labels::of(s);
        // The five codes of each segment's apps, by app slot.
        let codes: Vec<Vec<[i32; 5]>> = s
            .segments
            .iter()
            .map(|seg| seg.apps.iter().map(|app| labels.codes(seg, app)).collect())
            .collect();
        let (user, slot) = (&self.user, &self.slot);
        let code_of = |i: usize| codes[segment_of(s, user[i] as u32) as usize][slot[i] as usize];
        let text_codes: Vec<Column> = (0..uc::TEXT.len())
            .map(|k| int(next(), (0..user.len()).map(|i| code_of(i)[k]).collect()))
            .collect();
        let mut columns = vec![
            sorted_if(int(ids[0], self.user), uc::USER),
            int(ids[1], self.unit),
        ];
        columns.extend(text_codes);
        for v in self.mins {
            columns.push(Float64Chunked::from_vec(next().into(), v).into_column());
        }
        for v in self.counts {
            columns.push(int(next(), v));
        }
        let users = frame(RunTable::Users, columns)?;
        Ok([users, timeseries, segments])
    }

    /// The three tables of a run whose recorders are all in memory.
    pub fn of(run: &RunResult) -> PolarsResult<[DataFrame; 3]> {
        let units: Vec<u32> = run.units.iter().map(|u| u.unit).collect();
        let mut columns = RunColumns::new(&run.scenario, &units);
        for unit in &run.units {
            columns.add(&run.scenario, unit);
        }
        columns.frames(&run.scenario)
    }
}

/// A column that takes ownership of `v` (no copy).
fn int(name: &str, v: Vec<i32>) -> Column {
    Int32Chunked::from_vec(name.into(), v).into_column()
}

/// `c`, flagged ascending if it is the column `name` (the users table's ids and the time
/// series' units are ascending by construction): polars then groups by it in runs of
/// equal values, without hashing or an index list per group.
fn sorted_if(mut c: Column, name: &str) -> Column {
    if c.name().as_str() == name {
        c.set_sorted_flag(IsSorted::Ascending);
    }
    c
}

/// Capacity (requests per minute) of `unit` in each of the horizon's `minutes`, rounded.
fn capacity_per_minute(s: &Scenario, unit: u32, minutes: usize) -> Vec<u64> {
    let platform = s.platform_unit(unit);
    (0..minutes as u64)
        .map(|m| {
            let per_minute = platform.capacity_at(SimTime(m * MS_PER_MINUTE)) * 60.0;
            per_minute.round().min(i32::MAX as f64) as u64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RunColumns;
    use crate::metrics::RunResult;
    use crate::scenario::{Override, load_default};
    use polars::prelude::*;

    fn run() -> RunResult {
        let sets: Vec<Override> = [
            "scenario.users=90",
            "scenario.scale_units=3",
            "scenario.horizon=12h",
            "scenario.start=2026-03-09T03:00",
        ]
        .iter()
        .map(|s| s.parse().expect("an override"))
        .collect();
        let scenario = load_default(&sets).expect("the default model");
        RunResult::simulate(scenario, 1, &|_| true).expect("the run")
    }

    #[test]
    fn units_finishing_in_any_order_fill_the_same_tables() {
        let run = run();
        let whole = RunColumns::of(&run).unwrap();
        let mut reversed = RunColumns::new(&run.scenario, &[0, 1, 2]);
        for unit in run.units.iter().rev() {
            reversed.add(&run.scenario, unit);
        }
        for (a, b) in whole.iter().zip(reversed.frames(&run.scenario).unwrap()) {
            assert!(a.height() > 0 && a.equals_missing(&b));
        }
    }

    #[test]
    fn a_subset_of_units_gets_the_rows_of_its_users_in_order() {
        let run = run();
        let [users, ..] = RunColumns::of(&run).unwrap();
        let mut part = RunColumns::new(&run.scenario, &[0, 2]);
        for unit in run.units.iter().filter(|u| u.unit != 1) {
            part.add(&run.scenario, unit);
        }
        let [part_users, part_series, _] = part.frames(&run.scenario).unwrap();
        let want = users
            .lazy()
            .filter(col("unit").neq(lit(1)))
            .collect()
            .unwrap();
        assert!(want.height() > 0 && want.equals_missing(&part_users));
        assert_eq!(part_series.height(), 2 * 720);
    }
}
