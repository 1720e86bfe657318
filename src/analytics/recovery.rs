//! The one recovery rule: minutes from the end of an outage (or of one of its phases)
//! until the blocked users of the units it hit are back to their baseline, the most
//! blocked in the hour before the incident started; `null` if never within the horizon.
//! `recovery.csv` applies it to each unit hit, the summary to all units hit together.

use super::{Result, RunTables, computing};
use crate::engine::SimTime;
use crate::engine::time::MS_PER_MINUTE;
pub use crate::metrics::schema::recovery::*;
use crate::metrics::schema::timeseries as ts;
use polars::prelude::*;

/// `[start, end)` in whole minutes of the horizon: the minute `start` falls in, to the
/// first minute boundary at or after `end`, both clamped to the horizon.
pub fn minute_window(tables: &RunTables, start: SimTime, end: SimTime) -> (i64, i64) {
    let minutes = tables.minutes();
    (
        (start.minute() as i64).min(minutes),
        (end.as_millis().div_ceil(MS_PER_MINUTE) as i64).min(minutes),
    )
}

/// The outage incidents in whole minutes: `(name, start minute, end minute, units hit)`
/// (a preset's phases are one incident, from its first start to its last end).
pub fn outage_minutes(tables: &RunTables) -> Vec<(String, i64, i64, Vec<u32>)> {
    let s = &tables.scenario;
    s.incidents()
        .iter()
        .map(|i| {
            let (start, end) = minute_window(tables, i.start, i.end);
            (i.name.clone(), start, end, s.incident_units(i))
        })
        .collect()
}

/// The rule over `frame` (`key`, `minute`, `blocked_users` columns: one series per key):
/// per key its baseline before minute `start`, its peak from `start` on, and its
/// recovery minutes after minute `end`; in one aggregation, so no row of `frame` is
/// joined to its key's baseline, over the counts as they are (only the baseline
/// becomes `f64`: no float copy of every minute).
pub fn rule(frame: LazyFrame, key: &str, start: i64, end: i64) -> LazyFrame {
    let blocked = || col(ts::BLOCKED_USERS);
    let baseline = || {
        blocked()
            .filter(between(start - 60, start))
            .max()
            .fill_null(lit(0))
    };
    let back = col(ts::MINUTE)
        .gt_eq(lit(end))
        .and(blocked().lt_eq(baseline()));
    frame.group_by([col(key)]).agg([
        baseline().cast(DataType::Float64).alias(BASELINE),
        blocked()
            .filter(col(ts::MINUTE).gt_eq(lit(start)))
            .max()
            .alias(PEAK),
        (col(ts::MINUTE).filter(back).min() - lit(end)).alias(RECOVERY),
    ])
}

/// One row per outage and unit hit: outage, unit, baseline, peak, recovery minutes.
pub fn recovery(tables: &RunTables) -> Result<DataFrame> {
    let frames: Vec<LazyFrame> = outage_minutes(tables)
        .into_iter()
        .filter(|(_, _, _, hit)| !hit.is_empty())
        .map(|(name, start, end, hit)| per_unit(tables, &name, start, end, &hit))
        .collect();
    if frames.is_empty() {
        return Ok(DataFrame::empty_with_schema(&Schema::from_iter([
            Field::new(OUTAGE.into(), DataType::String),
            Field::new(ts::UNIT.into(), DataType::Int64),
            Field::new(BASELINE.into(), DataType::Float64),
            Field::new(PEAK.into(), DataType::Float64),
            Field::new(RECOVERY.into(), DataType::Int64),
        ])));
    }
    let all = computing("the recovery times", concat(frames, UnionArgs::default()))?;
    computing("the recovery times", all.collect())
}

/// Rows whose minute is in `[from, to)`.
pub fn between(from: i64, to: i64) -> Expr {
    col(ts::MINUTE)
        .gt_eq(lit(from))
        .and(col(ts::MINUTE).lt(lit(to)))
}

fn per_unit(tables: &RunTables, name: &str, start: i64, end: i64, hit: &[u32]) -> LazyFrame {
    let frame = tables
        .timeseries
        .clone()
        .lazy()
        .filter(super::exprs::in_units(hit));
    rule(frame, ts::UNIT, start, end)
        .sort([ts::UNIT], SortMultipleOptions::default())
        .select([
            lit(name).alias(OUTAGE),
            col(ts::UNIT).cast(DataType::Int64),
            col(BASELINE),
            col(PEAK).cast(DataType::Float64),
            col(RECOVERY).cast(DataType::Int64),
        ])
}
