//! A small result table leaving the analytics as text cells (for report.md and the
//! terminal), and the writers that store a DataFrame as CSV and Parquet.

use super::{AnalyticsError, Result};
use crate::metrics::atomic;
use polars::prelude::*;
use std::path::Path;

/// A table of formatted cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells, as many as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Formats every cell of `df`: floats with `decimals` decimals, nulls as `–`.
    pub fn from_frame(df: &DataFrame, decimals: usize) -> Table {
        let header = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let rows = (0..df.height())
            .map(|i| {
                df.columns()
                    .iter()
                    .map(|c| cell(c.get(i).unwrap_or(AnyValue::Null), decimals))
                    .collect()
            })
            .collect();
        Table { header, rows }
    }

    /// The table as GitHub-flavoured Markdown.
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.header);
        out += &line(&vec!["---".to_string(); self.header.len()]);
        for row in &self.rows {
            out += &line(row);
        }
        out
    }
}

fn cell(v: AnyValue, decimals: usize) -> String {
    match v {
        AnyValue::Null => "–".into(),
        AnyValue::Float64(x) => format!("{x:.decimals$}"),
        AnyValue::Float32(x) => format!("{x:.decimals$}"),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// Writes `df` as `<stem>.csv` and `<stem>.parquet` in `dir`, each atomically.
pub fn write_frame(df: &mut DataFrame, dir: &Path, stem: &str) -> Result<()> {
    let csv_path = dir.join(format!("{stem}.csv"));
    let parquet_path = dir.join(format!("{stem}.parquet"));
    atomic::write_with(&csv_path, |w| {
        CsvWriter::new(w).finish(df).map_err(std::io::Error::other)
    })
    .map_err(|source| AnalyticsError::Write {
        file: csv_path,
        source,
    })?;
    atomic::write_with(&parquet_path, |w| {
        ParquetWriter::new(w)
            .finish(df)
            .map(|_| ())
            .map_err(std::io::Error::other)
    })
    .map_err(|source| AnalyticsError::Write {
        file: parquet_path,
        source,
    })
}

/// Writes columns (text ones, then numeric ones with nulls) as `<stem>.csv` and
/// `<stem>.parquet` in `dir`: the exports other tools (pandas, SALib) read.
pub fn write_columns(
    dir: &Path,
    stem: &str,
    text: Vec<(String, Vec<String>)>,
    numbers: Vec<(String, Vec<Option<f64>>)>,
) -> Result<()> {
    let mut columns: Vec<Column> = text
        .into_iter()
        .map(|(name, v)| Column::new(name.into(), v))
        .collect();
    columns.extend(
        numbers
            .into_iter()
            .map(|(name, v)| Column::new(name.into(), v)),
    );
    let mut df =
        DataFrame::new_infer_height(columns).map_err(|source| AnalyticsError::Compute {
            what: "an export table",
            source,
        })?;
    write_frame(&mut df, dir, stem)
}
