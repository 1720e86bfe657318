//! A run folder read back: its tables as DataFrames, its summary and its scenario.

use super::{AnalyticsError, Result};
use crate::metrics::RunResult;
use crate::metrics::schema::{self, timeseries as ts, users as uc};
use crate::metrics::summary::{Blocked, DuringOutages, OutageImpact, Prompts};
use crate::scenario::{self, Scenario};
use polars::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The tables of one run.
pub struct RunTables {
    /// The run folder.
    pub dir: PathBuf,
    /// The scenario that ran, rebuilt from the folder's `model.toml`.
    pub scenario: Scenario,
    /// The headline figures the recorder computed (`summary.json`).
    pub summary: SummaryView,
    /// `users.csv`: one row per user and app.
    pub users: DataFrame,
    /// `timeseries.csv`: one row per minute and unit.
    pub timeseries: DataFrame,
    /// `segment_timeseries.csv`: one row per minute and segment.
    pub segments: DataFrame,
    /// `revocations.csv`, when the run simulated revocations.
    pub revocations: Option<DataFrame>,
}

/// The parts of `summary.json` the analytics read (other fields are ignored, so the
/// summary can grow without breaking old readers); the nested parts reuse the
/// summary's own types.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryView {
    /// The model file and overrides the run came from.
    pub source: String,
    /// Users simulated.
    pub users: u64,
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

impl RunTables {
    /// Reads the run folder `dir`.
    pub fn load(dir: &Path) -> Result<RunTables> {
        let model_path = required(dir, schema::MODEL_TOML)?;
        let text =
            std::fs::read_to_string(&model_path).map_err(|source| AnalyticsError::ReadText {
                file: model_path.clone(),
                source,
            })?;
        let scenario = scenario::parse_model(&text, &model_path.display().to_string(), &[])?;
        let summary_path = required(dir, schema::SUMMARY_JSON)?;
        let summary = std::fs::read(&summary_path)
            .map_err(serde_json::Error::io)
            .and_then(|bytes| serde_json::from_slice(&bytes))
            .map_err(|source| AnalyticsError::Summary {
                file: summary_path,
                source,
            })?;
        let revocations_path = dir.join(schema::REVOCATIONS_CSV);
        Ok(RunTables {
            dir: dir.to_path_buf(),
            scenario,
            summary,
            users: read_columns(
                &required(dir, schema::USERS_CSV)?,
                &RunResult::users_header(),
                |name| match name {
                    uc::SEGMENT | uc::APP | uc::PROFILE | uc::CLIENT | uc::SIGN_IN => {
                        DataType::String
                    }
                    uc::MINUTES_WANTED | uc::MINUTES_BLOCKED | uc::USER_MINUTES_BLOCKED => {
                        DataType::Float64
                    }
                    _ => DataType::Int64,
                },
                &users_read(),
            )?,
            timeseries: read_columns(
                &required(dir, schema::TIMESERIES_CSV)?,
                &ts::ALL.map(String::from),
                |name| match name {
                    ts::TIME => DataType::String,
                    _ => DataType::Int64,
                },
                &TIMESERIES_READ.map(String::from),
            )?,
            segments: read_csv(&required(dir, schema::SEGMENTS_CSV)?)?,
            revocations: if has_rows(&revocations_path) {
                Some(read_csv(&revocations_path)?)
            } else {
                None
            },
        })
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

/// The columns of `timeseries.csv` the analytics use. The two big tables (a row per
/// minute and unit, a row per user and app) are read with only these columns, which
/// halves the memory a report of a million users takes.
const TIMESERIES_READ: [&str; 7] = [
    ts::MINUTE,
    ts::UNIT,
    ts::OFFERED,
    ts::ADMITTED,
    ts::BACKUP_SERVED,
    ts::CAPACITY,
    ts::BLOCKED_USERS,
];

/// The columns of `users.csv` the analytics use: all but minutes wanted and the
/// request counters.
fn users_read() -> Vec<String> {
    RunResult::users_header()
        .into_iter()
        .filter(|c| c != uc::MINUTES_WANTED && !c.starts_with(uc::REQUESTS_PREFIX))
        .collect()
}

/// Reads a CSV table with a header, inferring column types from the whole file.
pub fn read_csv(path: &Path) -> Result<DataFrame> {
    read_with(path, CsvReadOptions::default())
}

/// Reads only `wanted` of a table tokensim wrote, whose columns and their types
/// are known (`all` in file order, typed by `dtype`), so no inference pass is needed.
fn read_columns(
    path: &Path,
    all: &[String],
    dtype: impl Fn(&str) -> DataType,
    wanted: &[String],
) -> Result<DataFrame> {
    let schema: Schema = all
        .iter()
        .map(|c| Field::new(c.as_str().into(), dtype(c)))
        .collect();
    let names: Arc<[PlSmallStr]> = wanted.iter().map(|c| c.as_str().into()).collect();
    let options = CsvReadOptions::default()
        .with_schema(Some(Arc::new(schema)))
        .with_columns(Some(names));
    read_with(path, options)
}

fn read_with(path: &Path, options: CsvReadOptions) -> Result<DataFrame> {
    options
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|source| AnalyticsError::Read {
            file: path.to_path_buf(),
            source,
        })
}

/// Whether a CSV file exists and has at least one row below its header (a run without
/// revocation events writes a header-only `revocations.csv`).
fn has_rows(path: &Path) -> bool {
    use std::io::BufRead;
    std::fs::File::open(path).is_ok_and(|f| std::io::BufReader::new(f).lines().nth(1).is_some())
}
