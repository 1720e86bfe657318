//! Writes a run's canonical tables: Parquet always (the primary format, which any
//! engine reads), CSV beside it unless told not to; each file through
//! [`atomic::write_with`], so a killed writer leaves no half-written table.

use super::atomic;
use super::labels::Labels;
use super::schema::tables::RunTable;
use super::schema::timeseries as ts;
use crate::scenario::Scenario;
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

/// One file format of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The primary format.
    Parquet,
    /// The text copy beside it.
    Csv,
}

impl Formats {
    /// The formats a table is written in, Parquet first.
    pub fn each(self) -> impl Iterator<Item = Format> {
        [Some(Format::Parquet), self.csv.then_some(Format::Csv)]
            .into_iter()
            .flatten()
    }
}

/// Writes `df` (a frame of `table`'s canonical schema) into `dir` as one file in
/// `format`, for a run of `s`: its calendar start makes the time series' `time` column,
/// its names the users' text columns from their codes. Each row group is written from
/// one chunk, so a table joined from parts writes the same bytes as the table of one
/// run. Each file is written on its own, so a pool may write several at once.
pub fn write(
    dir: &Path,
    table: RunTable,
    df: &DataFrame,
    s: &Scenario,
    format: Format,
) -> std::io::Result<()> {
    let parts = Parts::new(table, df, s).map_err(std::io::Error::other)?;
    match format {
        Format::Parquet => atomic::write_with(&dir.join(table.parquet()), |w| {
            let first = parts.get(0).map_err(std::io::Error::other)?;
            let mut out = ParquetWriter::new(w)
                .batched(first.schema())
                .map_err(std::io::Error::other)?;
            for k in 0..parts.len() {
                let part = parts.get(k).map_err(std::io::Error::other)?;
                out.write_batch(&part).map_err(std::io::Error::other)?;
            }
            out.finish().map(|_| ()).map_err(std::io::Error::other)
        }),
        Format::Csv => atomic::write_with(&dir.join(table.csv()), |w| {
            let schema = table.file_schema();
            let mut out = CsvWriter::new(w)
                .include_header(true)
                .with_float_precision(Some(2))
                .batched(&schema)
                .map_err(std::io::Error::other)?;
            for k in 0..parts.len() {
                let part = parts.get(k).map_err(std::io::Error::other)?;
                out.write_batch(&part).map_err(std::io::Error::other)?;
            }
            out.finish().map_err(std::io::Error::other)
        }),
    }
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

/// The frame cut into the pieces written one after the other (Parquet row groups),
/// each made when it is written, so only one exists at a time: the time series one
/// unit at a time with its `time` column added (the text column never exists for the
/// whole table), other tables in row groups of [`ROW_GROUP`] (the users' with their
/// codes as text). Never empty: an empty table is one empty part.
struct Parts<'a> {
    df: &'a DataFrame,
    /// First row and length of each part.
    bounds: Vec<(usize, usize)>,
    /// The time series' `time` text of minutes `0..`, formatted once for all units.
    times: Option<Times>,
    /// The names of the users table's codes.
    labels: Option<Labels>,
}

impl<'a> Parts<'a> {
    fn new(table: RunTable, df: &'a DataFrame, s: &Scenario) -> PolarsResult<Self> {
        let rows = df.height();
        if table != RunTable::Timeseries {
            let bounds = (0..rows.div_ceil(ROW_GROUP).max(1))
                .map(|k| {
                    (
                        k * ROW_GROUP,
                        ROW_GROUP.min(rows.saturating_sub(k * ROW_GROUP)),
                    )
                })
                .collect();
            return Ok(Parts {
                df,
                bounds,
                times: None,
                labels: (table == RunTable::Users).then(|| Labels::of(s)),
            });
        }
        let minutes = df.column(ts::MINUTE)?.i32()?;
        // A unit's rows run from minute 0 up; the next unit starts at minute 0 again.
        let mut starts: Vec<usize> = (1..rows).filter(|&i| minutes.get(i) == Some(0)).collect();
        starts.insert(0, 0);
        starts.push(rows);
        let bounds = starts.windows(2).map(|w| (w[0], w[1] - w[0])).collect();
        let known = minutes
            .max()
            .map_or(0, |m| (m.max(-1) + 1) as usize)
            .min(rows);
        Ok(Parts {
            df,
            bounds,
            times: Some(Times::new(s.start, known)),
            labels: None,
        })
    }

    fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Part `k`, as one chunk per column.
    fn get(&self, k: usize) -> PolarsResult<DataFrame> {
        let (from, len) = self.bounds[k];
        let mut part = one_chunk(self.df.slice(from as i64, len));
        if let Some(times) = &self.times {
            let minutes = part.column(ts::MINUTE)?.i32()?;
            let mut text = StringChunkedBuilder::new(ts::TIME.into(), part.height());
            for m in minutes.into_no_null_iter() {
                text.append_value(times.of(m));
            }
            part.insert_column(1, text.finish().into_column())?;
        }
        match &self.labels {
            Some(labels) => labels.decode(part),
            None => Ok(part),
        }
    }
}

/// The calendar time of each minute as the time series shows it.
struct Times {
    start: chrono::NaiveDateTime,
    /// Minutes `0..n`, formatted.
    known: Vec<String>,
}

impl Times {
    fn new(start: chrono::NaiveDateTime, n: usize) -> Times {
        let known = (0..n as i64).map(|m| format_minute(start, m)).collect();
        Times { start, known }
    }

    /// Minute `m`'s text: formatted once, or now for a minute outside `0..n`.
    fn of(&self, m: i32) -> std::borrow::Cow<'_, str> {
        match usize::try_from(m).ok().and_then(|i| self.known.get(i)) {
            Some(t) => t.as_str().into(),
            None => format_minute(self.start, m.into()).into(),
        }
    }
}

fn format_minute(start: chrono::NaiveDateTime, m: i64) -> String {
    (start + chrono::Duration::minutes(m))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}
