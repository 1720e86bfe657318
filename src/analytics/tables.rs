//! The tables of one run as DataFrames, with its summary and its scenario: built in
//! memory from a finished run, or read back from a run folder.

use super::{AnalyticsError, Result, computing, read, verify};
use crate::metrics::schema::{self, tables::RunTable};
use crate::metrics::summary::{Blocked, DuringOutages, OutageImpact, Prompts, Summary};
use crate::metrics::{RunResult, frames};
use crate::scenario::{self, Scenario};
use polars::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The tables of one run, with the canonical types of [`RunTable::schema`].
pub struct RunTables {
    /// The scenario that ran (for a folder, rebuilt from its `model.toml`).
    pub scenario: Scenario,
    /// The headline figures the recorder computed (`summary.json`).
    pub summary: SummaryView,
    /// `users`: one row per user and app.
    pub users: DataFrame,
    /// `timeseries`: one row per minute and unit.
    pub timeseries: DataFrame,
    /// `segment_timeseries`: one row per minute and segment.
    pub segments: DataFrame,
    /// `revocations`, when the run simulated revocations.
    pub revocations: Option<DataFrame>,
}

/// The parts of `summary.json` the analytics read (other fields are ignored, so the
/// summary can grow without breaking old readers); the nested parts reuse the
/// summary's own types.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryView {
    /// The model file and overrides the run came from.
    pub source: String,
    /// Seed of the run (checked against `model.toml`).
    pub seed: u64,
    /// Users simulated.
    pub users: u64,
    /// User × app rows (the rows of `users.csv`).
    pub apps: u64,
    /// Token requests by outcome label.
    pub token_requests: std::collections::BTreeMap<String, u64>,
    /// Prompt figures.
    pub prompts: Prompts,
    /// Blocked figures.
    pub blocked: Blocked,
    /// One entry per outage incident.
    pub outages: Vec<OutageImpact>,
    /// The exposure headline (absent in summaries older than the exposure analysis).
    #[serde(default)]
    pub exposure: crate::metrics::exposure::ExposureView,
    /// Totals over the outages as a union (absent in summaries of older versions).
    #[serde(default)]
    pub during_outages: Option<DuringOutages>,
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
        Self::with_summary(run, &Summary::from_run(run))
    }

    /// [`RunTables::from_result`] with the run's summary already computed.
    pub fn with_summary(run: &RunResult, summary: &Summary) -> Result<RunTables> {
        let revocations = computing("the revocations table", frames::revocations(run))?;
        Ok(RunTables {
            scenario: run.scenario.clone(),
            summary: SummaryView::of(summary),
            users: computing("the users table", frames::users(run))?,
            timeseries: computing("the time series", frames::timeseries(run))?,
            segments: computing("the segment time series", frames::segments(run))?,
            revocations: (revocations.height() > 0).then_some(revocations),
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
        let scenario = scenario::parse_model(&text, &model_path.display().to_string(), &[])?;
        let summary_path = required(dir, schema::SUMMARY_JSON)?;
        let summary: SummaryView = std::fs::read(&summary_path)
            .map_err(serde_json::Error::io)
            .and_then(|bytes| serde_json::from_slice(&bytes))
            .map_err(|source| AnalyticsError::Summary {
                file: summary_path,
                source,
            })?;
        let (users, users_file) = read::table(dir, RunTable::Users)?;
        let (timeseries, timeseries_file) = read::table(dir, RunTable::Timeseries)?;
        let (segments, segments_file) = read::table(dir, RunTable::Segments)?;
        let (revocations, revocations_file) = read::table(dir, RunTable::Revocations)?;
        let tables = RunTables {
            users,
            timeseries,
            segments,
            revocations: (revocations.height() > 0).then_some(revocations),
            scenario,
            summary,
        };
        let files = [users_file, timeseries_file, segments_file, revocations_file];
        tables.check_rows(dir, &files)?;
        Ok(tables)
    }

    /// Every table has the rows its summary and model say, and the summary is of the
    /// model's run: a folder mixing two runs, or a table cut short, is refused.
    /// `files` are the files the tables came from, in [`RunTable::ALL`] order.
    fn check_rows(&self, dir: &Path, files: &[PathBuf; 4]) -> Result<()> {
        let s = &self.scenario;
        if self.summary.seed != s.seed {
            return Err(AnalyticsError::Mismatch {
                file: dir.join(schema::SUMMARY_JSON),
                message: format!(
                    "seed {} but {} says seed {}: the folder mixes two runs",
                    self.summary.seed,
                    schema::MODEL_TOML,
                    s.seed
                ),
            });
        }
        let minutes = self.minutes() as u64;
        verify::rows(
            &files[0],
            self.users.height(),
            self.summary.apps,
            "summary.json's apps",
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
            self.summary.exposure.rows(),
            "summary.json's exposure rows (by_event)",
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

fn required(dir: &Path, name: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(AnalyticsError::Missing { file: path })
    }
}
