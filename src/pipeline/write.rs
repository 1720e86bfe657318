//! The write stage: a run's in-memory tables stored in a folder (Parquet, and CSV
//! unless told not to), with the effective `model.toml` and `summary.json`.

use super::pool;
use crate::analytics::RunTables;
use crate::analytics::summary::summarize;
use crate::metrics::schema;
use crate::metrics::store::Formats;
use crate::metrics::{RunResult, Summary, atomic};
use std::path::Path;

/// Writes the tables ([`write_tables`]), then `model.toml` and `summary`, into `dir`.
pub fn write_folder(
    dir: &Path,
    tables: &RunTables,
    summary: &Summary,
    formats: Formats,
    threads: usize,
) -> std::io::Result<()> {
    write_tables(dir, tables, formats, threads)?;
    write_model(dir, tables)?;
    summary.write(dir)
}

/// Writes every table into `dir` (created if need be) in `formats`, on `threads`
/// threads, each file whole on one.
pub fn write_tables(
    dir: &Path,
    tables: &RunTables,
    formats: Formats,
    threads: usize,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let files = tables.files(formats);
    pool::map(files.len(), threads, |i| tables.write_file(dir, files[i]))?;
    Ok(())
}

/// Writes the run's effective `model.toml` into `dir`.
pub fn write_model(dir: &Path, tables: &RunTables) -> std::io::Result<()> {
    let model = crate::scenario::load::to_toml(&tables.scenario.raw);
    atomic::write_bytes(&dir.join(schema::MODEL_TOML), model.as_bytes())
}

impl RunResult {
    /// Writes the run's tables (Parquet and CSV), `model.toml` and `summary.json` into
    /// `dir` on every core, and returns the summary.
    pub fn write_all(&self, dir: &Path) -> std::io::Result<Summary> {
        let tables = RunTables::from_result(self).map_err(std::io::Error::other)?;
        let summary = summarize(&tables).map_err(std::io::Error::other)?;
        write_folder(dir, &tables, &summary, Formats::default(), pool::cores())?;
        Ok(summary)
    }
}
