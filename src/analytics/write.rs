//! A run's canonical tables written into a folder, each through
//! [`crate::metrics::store::write`] (Parquet, and CSV unless told not to).

use super::RunTables;
use crate::metrics::schema::tables::RunTable;
use crate::metrics::store::{self, Formats};
use polars::prelude::DataFrame;
use std::path::Path;

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

    /// Writes every table into `dir` (created if need be); a run without revocations
    /// gets an empty revocations table.
    pub fn write_tables(&self, dir: &Path, formats: Formats) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for table in RunTable::ALL {
            let empty;
            let df = match self.frame(table) {
                Some(df) => df,
                None => {
                    empty = DataFrame::empty_with_schema(&table.schema());
                    &empty
                }
            };
            store::write(dir, table, df, &self.scenario, formats)?;
        }
        Ok(())
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
