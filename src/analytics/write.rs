//! A run's canonical tables written into a folder, each through
//! [`crate::metrics::store::write`] (Parquet, and CSV unless told not to).

use super::RunTables;
use crate::metrics::schema::tables::RunTable;
use crate::metrics::store::{self, Formats};
use polars::prelude::DataFrame;
use std::path::Path;

impl RunTables {
    /// Writes the four tables into `dir` (created if need be); a run without
    /// revocations gets an empty revocations table.
    pub fn write_tables(&self, dir: &Path, formats: Formats) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let start = self.scenario.start;
        let none = DataFrame::empty_with_schema(&RunTable::Revocations.schema());
        for (table, df) in [
            (RunTable::Users, &self.users),
            (RunTable::Timeseries, &self.timeseries),
            (RunTable::Segments, &self.segments),
            (
                RunTable::Revocations,
                self.revocations.as_ref().unwrap_or(&none),
            ),
        ] {
            store::write(dir, table, df, start, formats)?;
        }
        Ok(())
    }

    /// Rows of each table, by file stem (what a shard's manifest records).
    pub fn rows(&self) -> std::collections::BTreeMap<String, u64> {
        [
            (RunTable::Users, self.users.height()),
            (RunTable::Timeseries, self.timeseries.height()),
            (RunTable::Segments, self.segments.height()),
            (
                RunTable::Revocations,
                self.revocations.as_ref().map_or(0, DataFrame::height),
            ),
        ]
        .into_iter()
        .map(|(t, n)| (t.stem().to_string(), n as u64))
        .collect()
    }
}
