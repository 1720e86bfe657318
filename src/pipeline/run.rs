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

/// The tables stage: the run's summary and tables, built in memory.
pub fn finish(run: &RunResult) -> Result<Finished, ReportError> {
    let tables = RunTables::from_result(run)?;
    let summary = crate::analytics::summary::summarize(&tables)?;
    Ok(Finished {
        tables,
        summary,
        events: run.events(),
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
        report::render_tables(self.tables, dir)?;
        Ok(self.summary)
    }
}
