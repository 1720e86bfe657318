//! Time to recovery per outage and scale unit: minutes from the end of the outage until
//! the unit's blocked users are back to their baseline (the most blocked in the hour
//! before the start), the same rule the summary applies to all units hit together.

use super::exprs::num;
use super::{Result, RunTables, computing};
use crate::engine::time::MS_PER_MINUTE;
pub use crate::metrics::schema::recovery::*;
use crate::metrics::schema::timeseries as ts;
use polars::prelude::*;

/// The outage incidents in whole minutes: `(name, start minute, end minute, units hit)`
/// (a preset's phases are one incident, from its first start to its last end).
pub fn outage_minutes(tables: &RunTables) -> Vec<(String, i64, i64, Vec<u32>)> {
    let s = &tables.scenario;
    let minutes = tables.minutes();
    s.incidents()
        .iter()
        .map(|i| {
            let end = (i.end.as_millis().div_ceil(MS_PER_MINUTE) as i64).min(minutes);
            let hit = s.incident_units(i);
            (i.name.clone(), i.start.minute() as i64, end, hit)
        })
        .collect()
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

fn between(from: i64, to: i64) -> Expr {
    col(ts::MINUTE)
        .gt_eq(lit(from))
        .and(col(ts::MINUTE).lt(lit(to)))
}

fn per_unit(tables: &RunTables, name: &str, start: i64, end: i64, hit: &[u32]) -> LazyFrame {
    let in_hit = super::exprs::in_units(hit);
    let frame = tables.timeseries.clone().lazy().filter(in_hit);
    let blocked = || num(ts::BLOCKED_USERS);
    let levels = frame.clone().group_by([col(ts::UNIT)]).agg([
        blocked()
            .filter(between(start - 60, start))
            .max()
            .fill_null(lit(0.0))
            .alias(BASELINE),
        blocked()
            .filter(col(ts::MINUTE).gt_eq(lit(start)))
            .max()
            .alias(PEAK),
    ]);
    let recovered = frame
        .left_join(levels.clone(), col(ts::UNIT), col(ts::UNIT))
        .filter(
            col(ts::MINUTE)
                .gt_eq(lit(end))
                .and(blocked().lt_eq(col(BASELINE))),
        )
        .group_by([col(ts::UNIT)])
        .agg([(col(ts::MINUTE).min() - lit(end)).alias(RECOVERY)]);
    levels
        .left_join(recovered, col(ts::UNIT), col(ts::UNIT))
        .sort([ts::UNIT], SortMultipleOptions::default())
        .select([
            lit(name).alias(OUTAGE),
            col(ts::UNIT).cast(DataType::Int64),
            col(BASELINE),
            col(PEAK).cast(DataType::Float64),
            col(RECOVERY).cast(DataType::Int64),
        ])
}
