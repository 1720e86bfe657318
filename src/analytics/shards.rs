//! The tables of a run's parts (its shards, or the small tables of its units as they
//! finish) joined into the tables of the whole run, in the order the run writes them,
//! so the joined tables are byte-identical whatever the parts.

use super::{Result, RunTables, computing};
use crate::metrics::schema::tables::RunTable;
use crate::metrics::schema::{
    revocations as rc, segments as sc, timeseries as ts, units as un, users as uc,
};
use crate::scenario::Scenario;
use polars::prelude::*;

/// A run's tables, in [`RunTable::ALL`] order.
pub type Tables = [DataFrame; RunTable::ALL.len()];

impl RunTables {
    /// The tables of a run from those of its parts (units or shards, in unit order):
    /// each table joined as [`concat`](fn@concat) does.
    pub fn concat(scenario: Scenario, parts: Vec<Tables>) -> Result<RunTables> {
        let mut by_table: Vec<Vec<DataFrame>> = RunTable::ALL.iter().map(|_| Vec::new()).collect();
        for part in parts {
            for (k, df) in part.into_iter().enumerate() {
                by_table[k].push(df);
            }
        }
        let mut joined = Vec::with_capacity(by_table.len());
        for (table, frames) in RunTable::ALL.into_iter().zip(by_table) {
            joined.push(concat(table, frames)?);
        }
        let [users, timeseries, segments, revocations, units]: Tables =
            joined.try_into().expect("one frame per table");
        Ok(RunTables {
            scenario,
            summary: None,
            users,
            timeseries,
            segments,
            revocations: (revocations.height() > 0).then_some(revocations),
            units,
        })
    }

    /// The tables as frames in [`RunTable::ALL`] order (an empty revocations table for
    /// a run without revocations).
    pub fn into_frames(self) -> Tables {
        let revocations = self
            .revocations
            .unwrap_or_else(|| DataFrame::empty_with_schema(&RunTable::Revocations.schema()));
        [
            self.users,
            self.timeseries,
            self.segments,
            revocations,
            self.units,
        ]
    }
}

/// Joins the parts' frames of `table` (in unit order) into the run's.
pub fn concat(table: RunTable, parts: Vec<DataFrame>) -> Result<DataFrame> {
    let what = "the joined tables of a run's parts";
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
    // A user's rows, a unit's minutes and rows, and a user's revocations are all in one
    // part, in the run's order; a stable sort on these keys interleaves the parts as
    // the run would have.
    let keys: &[&str] = match table {
        RunTable::Users => &[uc::USER],
        RunTable::Timeseries => &[ts::UNIT],
        RunTable::Units => &[un::UNIT],
        RunTable::Revocations => &[rc::TIME_MINUTES, rc::USER],
        RunTable::Segments => unreachable!("summed above"),
    };
    computing(what, reorder(out, keys))
}

/// `df` in the stable order of `keys`, as one chunk per column (what the writers and
/// the analytics expect), made one column at a time, so memory holds the table and one
/// new column rather than two tables; columns already in order (the time series of
/// units in unit order) are only joined into one chunk.
fn reorder(mut df: DataFrame, keys: &[&str]) -> PolarsResult<DataFrame> {
    const ROW: &str = "__row";
    let order = df
        .select(keys.iter().copied())?
        .with_row_index(ROW.into(), None)?
        .sort(
            keys.iter()
                .map(|k| PlSmallStr::from(*k))
                .collect::<Vec<_>>(),
            SortMultipleOptions::default().with_maintain_order(true),
        )?;
    let idx = order.column(ROW)?.idx()?.clone();
    drop(order);
    let in_order = idx
        .into_no_null_iter()
        .enumerate()
        .all(|(i, row)| row as usize == i);
    let names: Vec<PlSmallStr> = df.get_column_names_owned();
    let mut columns = Vec::with_capacity(names.len());
    for name in &names {
        let column = df.drop_in_place(name)?;
        columns.push(if in_order {
            column.rechunk()
        } else {
            column.take(&idx)?
        });
    }
    DataFrame::new(idx.len(), columns)
}

/// Every shard has a row per minute and segment, in the same order, with the blocked
/// users of its own units: the run's are their sums. Parts without rows (a unit's part,
/// whose counts the pipeline sums as units finish) are left out.
fn sum_segments(parts: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    let mut parts = parts.into_iter().filter(|p| p.height() > 0);
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
