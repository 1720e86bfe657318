//! The tables of one run as DataFrames, with its summary and its scenario: built in
//! memory from a finished run, or read back from a run folder.

use super::{AnalyticsError, Result, computing, read, verify};
use crate::metrics::columns::RunColumns;
use crate::metrics::schema::{self, tables::RunTable};
use crate::metrics::summary::Summary;
use crate::metrics::{RunResult, frames, unit_tallies};
use crate::scenario::{self, Scenario};
use polars::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The tables of one run, with the canonical types of [`RunTable::schema`].
pub struct RunTables {
    /// The scenario that ran (for a folder, rebuilt from its `model.toml`).
    pub scenario: Scenario,
    /// What `summary.json` holds beyond the tables (none for a run in memory).
    pub summary: Option<SummaryView>,
    /// `users`: one row per user and app, its text columns as codes
    /// ([`crate::metrics::labels`]).
    pub users: DataFrame,
    /// `timeseries`: one row per minute and unit.
    pub timeseries: DataFrame,
    /// `segment_timeseries`: one row per minute and segment.
    pub segments: DataFrame,
    /// `revocations`, when the run simulated revocations.
    pub revocations: Option<DataFrame>,
    /// `units`: per unit and outage window, the tallies no other table has.
    pub units: DataFrame,
}

/// The parts of `summary.json` that are not computed from the tables: where the run
/// came from, and the figures across replications (other fields are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryView {
    /// The model file and overrides the run came from.
    pub source: String,
    /// Seed of the run (checked against `model.toml`).
    pub seed: u64,
    /// The figures across replications, when the run had more than one.
    #[serde(default)]
    pub replications: Option<crate::metrics::stats::Replications>,
}

impl SummaryView {
    /// The view of a summary computed in memory: the same fields `summary.json` gives.
    pub fn of(summary: &Summary) -> SummaryView {
        let value = serde_json::to_value(summary).expect("a summary serialises");
        serde_json::from_value(value).expect("a summary has every field of its view")
    }
}

impl RunTables {
    /// The tables of a finished run, built in memory (nothing is read or written).
    pub fn from_result(run: &RunResult) -> Result<RunTables> {
        let revocations = computing("the revocations table", frames::revocations(run))?;
        let [users, timeseries, segments] =
            computing("the users and time series", RunColumns::of(run))?;
        Ok(RunTables {
            scenario: run.scenario.clone(),
            summary: None,
            users,
            timeseries,
            segments,
            revocations: (revocations.height() > 0).then_some(revocations),
            units: computing("the units table", unit_tallies::units_frame(run))?,
        })
    }

    /// Reads the run folder `dir`: each table from Parquet, or from CSV in folders of
    /// older versions.
    pub fn load(dir: &Path) -> Result<RunTables> {
        let model_path = required(dir, schema::MODEL_TOML)?;
        let text =
            std::fs::read_to_string(&model_path).map_err(|source| AnalyticsError::ReadText {
                file: model_path.clone(),
                source,
            })?;
        let mut scenario = scenario::parse_model(&text, &model_path.display().to_string(), &[])?;
        let summary = read_summary(dir)?;
        if let Some(s) = &summary {
            scenario.source = s.source.clone();
        }
        let (units, units_file) = units_table(dir, &scenario)?;
        let (users, users_file) = read::table(dir, RunTable::Users, &scenario)?;
        let (timeseries, timeseries_file) = read::table(dir, RunTable::Timeseries, &scenario)?;
        let (segments, segments_file) = read::table(dir, RunTable::Segments, &scenario)?;
        let (revocations, revocations_file) = read::table(dir, RunTable::Revocations, &scenario)?;
        let tables = RunTables {
            users,
            timeseries,
            segments,
            revocations: (revocations.height() > 0).then_some(revocations),
            units,
            scenario,
            summary,
        };
        let files = [
            users_file,
            timeseries_file,
            segments_file,
            revocations_file,
            units_file,
        ];
        tables.check_rows(dir, &files)?;
        Ok(tables)
    }

    /// Every table has the rows its summary and model say, and the summary is of the
    /// model's run: a folder mixing two runs, or a table cut short, is refused.
    /// `files` are the files the tables came from, in [`RunTable::ALL`] order.
    fn check_rows(&self, dir: &Path, files: &[PathBuf; 5]) -> Result<()> {
        let s = &self.scenario;
        if let Some(summary) = self.summary.as_ref().filter(|v| v.seed != s.seed) {
            return Err(AnalyticsError::Mismatch {
                file: dir.join(schema::SUMMARY_JSON),
                message: format!(
                    "seed {} but {} says seed {}: the folder mixes two runs",
                    summary.seed,
                    schema::MODEL_TOML,
                    s.seed
                ),
            });
        }
        let units = |column: &str| -> Result<u64> {
            let total = computing(
                "the units table's counts",
                self.units.column(column).and_then(|c| {
                    c.cast(&DataType::Int64)
                        .and_then(|c| Ok(c.i64()?.sum().unwrap_or(0)))
                }),
            )?;
            Ok(total as u64)
        };
        let from_units = |what: &str| {
            format!(
                "{}'s {what}",
                files[4].file_name().unwrap_or_default().to_string_lossy()
            )
        };
        let minutes = self.minutes() as u64;
        verify::rows(
            &files[0],
            self.users.height(),
            units(schema::units::APPS)?,
            &from_units("apps"),
        )?;
        verify::rows(
            &files[1],
            self.timeseries.height(),
            minutes * s.scale_units as u64,
            "the model's minutes × scale units",
        )?;
        verify::rows(
            &files[2],
            self.segments.height(),
            minutes * s.segments.len() as u64,
            "the model's minutes × segments",
        )?;
        verify::rows(
            &files[3],
            self.revocations.as_ref().map_or(0, DataFrame::height),
            units(schema::units::REVOCATION_ROWS)?,
            &from_units("revocation rows"),
        )
    }

    /// Minutes in the horizon (rows per unit of the time series).
    pub fn minutes(&self) -> i64 {
        self.scenario
            .horizon
            .as_millis()
            .div_ceil(crate::engine::time::MS_PER_MINUTE) as i64
    }

    /// Length of the horizon in 30-day months.
    pub fn months(&self) -> f64 {
        self.scenario.horizon_days() / 30.0
    }
}

/// `summary.json`, when the folder has one (the tables hold every figure of it).
fn read_summary(dir: &Path) -> Result<Option<SummaryView>> {
    let path = dir.join(schema::SUMMARY_JSON);
    if !path.exists() {
        return Ok(None);
    }
    std::fs::read(&path)
        .map_err(serde_json::Error::io)
        .and_then(|bytes| serde_json::from_slice(&bytes))
        .map(Some)
        .map_err(|source| AnalyticsError::Summary { file: path, source })
}

/// The `units` table; a folder without it was written by a tokensim older than it.
fn units_table(dir: &Path, s: &Scenario) -> Result<(DataFrame, PathBuf)> {
    let table = RunTable::Units;
    if !dir.join(table.parquet()).exists() && !dir.join(table.csv()).exists() {
        return Err(AnalyticsError::OldFolder {
            file: dir.join(table.csv()),
            model: dir.join(schema::MODEL_TOML),
            dir: dir.to_path_buf(),
        });
    }
    read::table(dir, table, s)
}

fn required(dir: &Path, name: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(AnalyticsError::Missing { file: path })
    }
}
