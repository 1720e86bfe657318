//! The stages after the simulation: the run's tables built once in memory, then
//! written, analysed and rendered from those same frames.

use crate::analytics::RunTables;
use crate::analytics::tables::SummaryView;
use crate::metrics::store::Formats;
use crate::metrics::{RunResult, Summary};
use super::pool;
use crate::report::{self, ReportError};
use std::path::Path;

/// A run in memory: its tables and its summary (the recorders can be dropped).
pub struct Finished {
    /// The run's tables.
    pub tables: RunTables,
    /// Its headline figures (`summary.json`).
    pub summary: Summary,
    /// Events the engine processed.
    pub events: u64,
}

/// The tables stage of a finished run held whole (the TUI keeps it for traces): its
/// tables built in memory, and its summary.
pub fn finish(run: &RunResult) -> Result<Finished, ReportError> {
    summarized(RunTables::from_result(run)?)
}

/// The summary of a run's tables (from [`super::simulate::simulate_tables`]).
pub fn summarized(tables: RunTables) -> Result<Finished, ReportError> {
    let summary = crate::analytics::summary::summarize(&tables)?;
    Ok(Finished {
        events: summary.events_processed,
        tables,
        summary,
    })
}

impl Finished {
    /// The write, analyse and render stages into `dir` (a fresh folder, e.g.
    /// [`super::folder::Staged::path`]) on `threads` threads: the tables in `formats`,
    /// `model.toml`, `summary.json`, the analytics tables, charts and `report.md`.
    /// Analysis reads the frames in memory, so it runs beside the writing: first the
    /// report, beside the largest table file, then the files largest first. Every file
    /// is written whole by one thread, so the bytes never depend on the thread count.
    /// Returns the summary.
    pub fn save(mut self, dir: &Path, formats: Formats, threads: usize) -> Result<Summary, ReportError> {
        let write_err = |source| ReportError::Write {
            file: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(write_err)?;
        // The summary may have gained its replications since the tables were built.
        self.tables.summary = Some(SummaryView::of(&self.summary));
        let (tables, summary) = (&self.tables, &self.summary);
        let files = tables.files(formats);
        pool::map(files.len() + 1, threads, |i| match i.checked_sub(1) {
            None => report::render_tables(tables, summary.clone(), dir).map(|_| ()),
            Some(k) => tables.write_file(dir, files[k]).map_err(write_err),
        })?;
        super::write::write_model_and_summary(dir, tables, summary).map_err(write_err)?;
        Ok(self.summary)
    }
}
