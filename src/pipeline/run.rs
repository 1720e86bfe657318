//! The stages after the simulation: the run's tables built once in memory, then
//! summarised, written, analysed and rendered from those same frames.

use super::pool;
use crate::analytics::RunTables;
use crate::analytics::summary::summarize;
use crate::metrics::Summary;
use crate::metrics::stats::Replications;
use crate::metrics::store::Formats;
use crate::report::{self, ReportError};
use std::path::Path;

/// The summarise, write, analyse and render stages of a run's `tables` into `dir` (a
/// fresh folder, e.g. [`super::folder::Staged::path`]) on `threads` threads: the tables
/// in `formats`, `model.toml`, the analytics tables, charts, `report.md` and
/// `summary.json` (with `replications` when the run was replicated). Analysis reads
/// the frames in memory, so it runs beside the writing: the first job computes the
/// summary and renders the report, the others write the table files, largest first.
/// Every file is written whole by one thread, so the bytes never depend on the
/// thread count. Returns the summary.
pub fn save(
    tables: &RunTables,
    replications: Option<Replications>,
    dir: &Path,
    formats: Formats,
    threads: usize,
) -> Result<Summary, ReportError> {
    let write_err = |source| ReportError::Write {
        file: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(write_err)?;
    super::write::write_model(dir, tables).map_err(write_err)?;
    let files = tables.files(formats);
    let summary_and_report = || -> Result<Summary, ReportError> {
        let mut summary = summarize(tables)?;
        if let Some(r) = &replications {
            summary.replications = Some(r.clone());
        }
        report::render_tables(tables, summary.clone(), dir)?;
        Ok(summary)
    };
    let mut done = pool::map(files.len() + 1, threads, |i| match i.checked_sub(1) {
        None => summary_and_report().map(Some),
        Some(k) => tables
            .write_file(dir, files[k])
            .map(|()| None)
            .map_err(write_err),
    })?;
    let summary = done[0].take().expect("the first job returns the summary");
    summary.write(dir).map_err(write_err)?;
    Ok(summary)
}
