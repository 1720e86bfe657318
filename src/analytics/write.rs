//! A run's canonical tables written into a folder, each file through
//! [`crate::metrics::store::write`] (Parquet, and CSV unless told not to).

use super::RunTables;
use crate::metrics::schema::tables::RunTable;
use crate::metrics::store::{self, Format, Formats};
use polars::prelude::DataFrame;
use std::path::Path;

/// One file of a run's tables: which table, in which format.
pub type TableFile = (RunTable, Format);

impl RunTables {
    /// The frame of `table` (`None`: a run without revocations).
    pub fn frame(&self, table: RunTable) -> Option<&DataFrame> {
        match table {
            RunTable::Users => Some(&self.users),
            RunTable::Timeseries => Some(&self.timeseries),
            RunTable::Segments => Some(&self.segments),
            RunTable::Revocations => self.revocations.as_ref(),
            RunTable::Units => Some(&self.units),
        }
    }

    /// The files of every table in `formats`, largest table first (by cells), so a pool
    /// that takes them in order ends on small ones.
    pub fn files(&self, formats: Formats) -> Vec<TableFile> {
        let cells = |t: RunTable| self.frame(t).map_or(0, |df| df.height() * df.width());
        let mut tables = RunTable::ALL.to_vec();
        tables.sort_by_key(|&t| std::cmp::Reverse(cells(t)));
        tables
            .into_iter()
            .flat_map(|t| formats.each().map(move |f| (t, f)))
            .collect()
    }

    /// Writes one file into `dir` (which exists); a run without revocations gets an
    /// empty revocations table.
    pub fn write_file(&self, dir: &Path, (table, format): TableFile) -> std::io::Result<()> {
        let empty;
        let df = match self.frame(table) {
            Some(df) => df,
            None => {
                empty = DataFrame::empty_with_schema(&table.schema());
                &empty
            }
        };
        store::write(dir, table, df, &self.scenario, format)
    }

    /// Rows of each table, by file stem (what a shard's manifest records).
    pub fn rows(&self) -> std::collections::BTreeMap<String, u64> {
        RunTable::ALL
            .into_iter()
            .map(|t| {
                let n = self.frame(t).map_or(0, DataFrame::height);
                (t.stem().to_string(), n as u64)
            })
            .collect()
    }
}
