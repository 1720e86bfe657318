//! A run folder's canonical tables read back: the Parquet file when there is one, else
//! the CSV (folders of older versions), with the columns checked by name and cast to
//! [`RunTable::schema`] (the users' text turned into the model's codes), so a folder
//! analyses exactly like the frames it was written from.

use super::{AnalyticsError, Result, verify};
use crate::metrics::labels::Labels;
use crate::metrics::schema::tables::RunTable;
use crate::scenario::Scenario;
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// Reads `table` of the run folder `dir` of a run of `s`; returns it with the file it
/// came from.
pub fn table(dir: &Path, table: RunTable, s: &Scenario) -> Result<(DataFrame, PathBuf)> {
    let parquet = dir.join(table.parquet());
    let csv = dir.join(table.csv());
    let (df, file) = if parquet.exists() {
        (read_parquet(&parquet, table)?, parquet)
    } else if csv.exists() {
        (read_csv_table(&csv, table)?, csv)
    } else {
        return Err(AnalyticsError::Missing { file: parquet });
    };
    // Revocation windows, and the units table's incident, are empty by design where
    // they do not apply.
    if table != RunTable::Revocations && table != RunTable::Units {
        verify::complete(&file, &df)?;
    }
    if table != RunTable::Users {
        return Ok((df, file));
    }
    match Labels::of(s).encode(df) {
        Ok(df) => Ok((df, file)),
        Err(message) => Err(AnalyticsError::Mismatch { file, message }),
    }
}

fn names(schema: &Schema) -> Vec<String> {
    schema.iter_names().map(|n| n.to_string()).collect()
}

fn read_parquet(path: &Path, table: RunTable) -> Result<DataFrame> {
    let failed = |source| AnalyticsError::Read {
        file: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(|source| AnalyticsError::ReadText {
        file: path.to_path_buf(),
        source,
    })?;
    let mut reader = ParquetReader::new(file);
    let found = reader.schema().map_err(failed)?;
    let found: Vec<&str> = found.iter_names().map(|n| n.as_str()).collect();
    verify::columns(path, &found, &names(&table.file_schema()))?;
    let schema = table.read_schema();
    let df = reader
        .with_columns(Some(names(&schema)))
        .finish()
        .map_err(failed)?;
    let columns = schema
        .iter()
        .map(|(name, dtype)| df.column(name)?.cast(dtype))
        .collect::<PolarsResult<Vec<Column>>>()
        .map_err(failed)?;
    DataFrame::new(df.height(), columns).map_err(failed)
}

/// Reads a CSV table tokensim wrote, with the known types of its columns (no
/// inference pass); the time series without its calendar column.
fn read_csv_table(path: &Path, table: RunTable) -> Result<DataFrame> {
    let all = table.file_schema();
    verify::header(path, &names(&all))?;
    let wanted: Arc<[PlSmallStr]> = table.read_schema().iter_names().cloned().collect();
    let options = CsvReadOptions::default()
        .with_schema(Some(Arc::new(all)))
        .with_columns(Some(wanted));
    read_with(path, options)
}

/// Reads a CSV table with a header, inferring column types from the whole file.
pub fn read_csv(path: &Path) -> Result<DataFrame> {
    read_with(path, CsvReadOptions::default())
}

fn read_with(path: &Path, options: CsvReadOptions) -> Result<DataFrame> {
    options
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|source| {
            // polars' hints (`infer_schema_length`, `ignore_errors`) are for its own
            // users; for a table tokensim wrote, a bad value means the file was edited.
            let text = source.to_string();
            let first = text.lines().next().unwrap_or_default();
            if first.starts_with("could not parse") {
                AnalyticsError::Mismatch {
                    file: path.to_path_buf(),
                    message: format!("{first}, a type tokensim never writes there"),
                }
            } else {
                AnalyticsError::Read {
                    file: path.to_path_buf(),
                    source,
                }
            }
        })
}
