//! The tables of a run's shards joined into the tables of the whole run, in the order
//! the unsharded run writes them, so the merged tables are byte-identical to it.

use super::{Result, computing};
use crate::metrics::schema::tables::RunTable;
use crate::metrics::schema::{revocations as rc, segments as sc, timeseries as ts, users as uc};
use polars::prelude::*;

/// A run's four tables, in [`RunTable::ALL`] order.
pub type Tables = [DataFrame; 4];

/// Joins the shards' frames of `table` (in shard order) into the run's.
pub fn concat(table: RunTable, parts: Vec<DataFrame>) -> Result<DataFrame> {
    let what = "the merged shard tables";
    if table == RunTable::Segments {
        return computing(what, sum_segments(parts));
    }
    let mut parts = parts.into_iter();
    let mut out = parts
        .next()
        .unwrap_or_else(|| DataFrame::empty_with_schema(&table.schema()));
    for part in parts {
        computing(what, out.vstack_mut_owned(part))?;
    }
    // A user's rows, a unit's minutes and a user's revocations are all in one shard, in
    // the run's order; a stable sort on these keys interleaves the shards as the run
    // would have.
    let keys: &[&str] = match table {
        RunTable::Users => &[uc::USER],
        RunTable::Timeseries => &[ts::UNIT],
        RunTable::Revocations => &[rc::TIME_MINUTES, rc::USER],
        RunTable::Segments => unreachable!("summed above"),
    };
    let sorted = out.sort(
        keys.iter()
            .map(|k| PlSmallStr::from(*k))
            .collect::<Vec<_>>(),
        SortMultipleOptions::default().with_maintain_order(true),
    );
    computing(what, sorted)
}

/// Every shard has a row per minute and segment, in the same order, with the blocked
/// users of its own units: the run's are their sums.
fn sum_segments(parts: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let mut parts = parts.into_iter();
    let Some(mut out) = parts.next() else {
        return Ok(DataFrame::empty_with_schema(&RunTable::Segments.schema()));
    };
    for part in parts {
        let same = |c: &str| -> PolarsResult<bool> {
            Ok(out
                .column(c)?
                .as_materialized_series()
                .equals(part.column(c)?.as_materialized_series()))
        };
        if !(same(sc::MINUTE)? && same(sc::SEGMENT)?) {
            polars_bail!(ShapeMismatch: "the shards' segment tables have different minutes or segments");
        }
        let sum = (out.column(sc::BLOCKED_USERS)? + part.column(sc::BLOCKED_USERS)?)?;
        out.replace(sc::BLOCKED_USERS, sum)?;
    }
    Ok(out)
}
