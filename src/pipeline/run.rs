//! The stages after the simulation: the run's tables built once in memory, then
//! written, analysed and rendered from those same frames.

use crate::analytics::RunTables;
use crate::analytics::tables::SummaryView;
use crate::metrics::store::Formats;
use crate::metrics::{RunResult, Summary};
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
    /// [`super::folder::Staged::path`]): the tables in `formats`, `model.toml`,
    /// `summary.json`, the analytics tables, charts and `report.md`. Returns the summary.
    pub fn save(mut self, dir: &Path, formats: Formats) -> Result<Summary, ReportError> {
        super::write::write_folder(dir, &self.tables, &self.summary, formats).map_err(
            |source| ReportError::Write {
                file: dir.to_path_buf(),
                source,
            },
        )?;
        // The summary may have gained its replications since the tables were built.
        self.tables.summary = Some(SummaryView::of(&self.summary));
        report::render_tables(self.tables, self.summary.clone(), dir)?;
        Ok(self.summary)
    }
}
