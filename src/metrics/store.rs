//! Writes a run's canonical tables: Parquet always (the primary format, which any
//! engine reads), CSV beside it unless told not to; each file through
//! [`atomic::write_with`], so a killed writer leaves no half-written table.

use super::atomic;
use super::schema::tables::RunTable;
use super::schema::timeseries as ts;
use polars::prelude::*;
use std::path::Path;

/// The formats a run folder gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Also write each table as CSV.
    pub csv: bool,
}

impl Default for Formats {
    /// Parquet and CSV: the CSVs stay until every reader of run folders has moved on.
    fn default() -> Self {
        Formats { csv: true }
    }
}

/// Writes `df` (a frame of `table`'s canonical schema) into `dir` in `formats`.
/// `start` is the calendar start, from which the time series' `time` column is made.
/// Each row group is written from one chunk, so a table joined from parts writes the
/// same bytes as the table of one run.
pub fn write(
    dir: &Path,
    table: RunTable,
    df: &DataFrame,
    start: chrono::NaiveDateTime,
    formats: Formats,
) -> std::io::Result<()> {
    let parts = parts(table, df, start).map_err(std::io::Error::other)?;
    atomic::write_with(&dir.join(table.parquet()), |w| {
        let mut out = ParquetWriter::new(w)
            .batched(parts[0].schema())
            .map_err(std::io::Error::other)?;
        for part in &parts {
            out.write_batch(part).map_err(std::io::Error::other)?;
        }
        out.finish().map(|_| ()).map_err(std::io::Error::other)
    })?;
    if formats.csv {
        atomic::write_with(&dir.join(table.csv()), |w| {
            let schema = table.file_schema();
            let mut out = CsvWriter::new(w)
                .include_header(true)
                .with_float_precision(Some(2))
                .batched(&schema)
                .map_err(std::io::Error::other)?;
            for part in &parts {
                out.write_batch(part).map_err(std::io::Error::other)?;
            }
            out.finish().map_err(std::io::Error::other)
        })?;
    }
    Ok(())
}

/// `df` as one chunk per column (a copy only when it has more).
fn one_chunk(mut df: DataFrame) -> DataFrame {
    if df.should_rechunk() || df.first_col_n_chunks() > 1 {
        df.rechunk_mut();
    }
    df
}

/// Rows the Parquet writer puts in one row group (polars' default).
const ROW_GROUP: usize = 512 * 512;

/// The frame cut into the pieces written one after the other (Parquet row groups):
/// the time series one unit at a time with its `time` column added, so the text column
/// never exists for the whole table; other tables in row groups of [`ROW_GROUP`].
/// Never empty: an empty table is one empty part.
fn parts(
    table: RunTable,
    df: &DataFrame,
    start: chrono::NaiveDateTime,
) -> PolarsResult<Vec<DataFrame>> {
    if table != RunTable::Timeseries {
        let n = df.height().div_ceil(ROW_GROUP).max(1);
        return Ok((0..n)
            .map(|k| one_chunk(df.slice((k * ROW_GROUP) as i64, ROW_GROUP)))
            .collect());
    }
    let minutes = df.column(ts::MINUTE)?.i32()?;
    let mut parts = Vec::new();
    let mut from = 0;
    while from < df.height() {
        // A unit's rows run from minute 0 up; the next unit starts at minute 0 again.
        let len = (from + 1..df.height())
            .find(|&i| minutes.get(i) == Some(0))
            .map_or(df.height() - from, |i| i - from);
        let mut part = one_chunk(df.slice(from as i64, len));
        let time: Vec<String> = part
            .column(ts::MINUTE)?
            .i32()?
            .into_no_null_iter()
            .map(|m| {
                (start + chrono::Duration::minutes(m.into()))
                    .format("%Y-%m-%dT%H:%M")
                    .to_string()
            })
            .collect();
        part.insert_column(1, Column::new(ts::TIME.into(), time))?;
        parts.push(part);
        from += len;
    }
    if parts.is_empty() {
        let mut empty = df.clone();
        empty.insert_column(1, Column::new(ts::TIME.into(), Vec::<String>::new()))?;
        parts.push(empty);
    }
    Ok(parts)
}
