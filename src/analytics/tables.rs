//! A run folder read back: its tables as DataFrames, its summary and its scenario.

use super::{AnalyticsError, Result, verify};
use crate::metrics::RunResult;
use crate::metrics::schema::{self, revocations as rc, timeseries as ts, users as uc};
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
    /// What `summary.json` holds beyond the tables, when the folder has one.
    pub summary: Option<SummaryView>,
    /// `users.csv`: one row per user and app.
    pub users: DataFrame,
    /// `timeseries.csv`: one row per minute and unit.
    pub timeseries: DataFrame,
    /// `segment_timeseries.csv`: one row per minute and segment.
    pub segments: DataFrame,
    /// `revocations.csv`, when the run simulated revocations.
    pub revocations: Option<DataFrame>,
    /// `units.csv`: per unit and outage window, the tallies no other table has.
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

impl RunTables {
    /// Reads the run folder `dir`.
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
        let units = units_table(dir)?;
        let tables = RunTables {
            dir: dir.to_path_buf(),
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
                &RunResult::users_header(),
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
            segments: read_checked(dir, schema::SEGMENTS_CSV, &schema::segments::ALL)?,
            revocations: read_checked(dir, schema::REVOCATIONS_CSV, &rc::all())
                .map(|df| (df.height() > 0).then_some(df))?,
            units,
            scenario,
            summary,
        };
        tables.check_rows()?;
        Ok(tables)
    }

    /// Every table has the rows its summary and model say, and the summary is of the
    /// model's run: a folder mixing two runs, or a table cut short, is refused.
    fn check_rows(&self) -> Result<()> {
        let s = &self.scenario;
        if let Some(summary) = self.summary.as_ref().filter(|v| v.seed != s.seed) {
            return Err(AnalyticsError::Mismatch {
                file: self.dir.join(schema::SUMMARY_JSON),
                message: format!(
                    "seed {} but {} says seed {}: the folder mixes two runs",
                    summary.seed,
                    schema::MODEL_TOML,
                    s.seed
                ),
            });
        }
        let count = |column: &str| -> Result<u64> {
            let total = self.units.column(column).and_then(|c| {
                c.cast(&DataType::Int64)
                    .map(|c| c.i64().map(|v| v.sum().unwrap_or(0)))
            });
            match total {
                Ok(Ok(n)) => Ok(n as u64),
                Ok(Err(source)) | Err(source) => Err(AnalyticsError::Read {
                    file: self.dir.join(schema::UNITS_CSV),
                    source,
                }),
            }
        };
        let minutes = self.minutes() as u64;
        let file = |name| self.dir.join(name);
        verify::rows(
            &file(schema::USERS_CSV),
            self.users.height(),
            count(schema::units::APPS)?,
            "units.csv's apps",
        )?;
        verify::rows(
            &file(schema::TIMESERIES_CSV),
            self.timeseries.height(),
            minutes * s.scale_units as u64,
            "the model's minutes × scale units",
        )?;
        verify::rows(
            &file(schema::SEGMENTS_CSV),
            self.segments.height(),
            minutes * s.segments.len() as u64,
            "the model's minutes × segments",
        )?;
        verify::rows(
            &file(schema::REVOCATIONS_CSV),
            self.revocations.as_ref().map_or(0, DataFrame::height),
            count(schema::units::REVOCATION_ROWS)?,
            "units.csv's revocation rows",
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

/// `units.csv`; a folder without it was written by a tokensim older than the table.
fn units_table(dir: &Path) -> Result<DataFrame> {
    let path = dir.join(schema::UNITS_CSV);
    if !path.exists() {
        return Err(AnalyticsError::OldFolder {
            file: path,
            model: dir.join(schema::MODEL_TOML),
            dir: dir.to_path_buf(),
        });
    }
    read_checked(dir, schema::UNITS_CSV, &schema::units::ALL)
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
    verify::header(path, all)?;
    let names: Arc<[PlSmallStr]> = wanted.iter().map(|c| c.as_str().into()).collect();
    let options = CsvReadOptions::default()
        .with_schema(Some(Arc::new(schema)))
        .with_columns(Some(names));
    let df = read_with(path, options)?;
    verify::complete(path, &df)?;
    Ok(df)
}

/// Reads a smaller table of the folder whose header must be `all`, inferring types.
fn read_checked(dir: &Path, name: &str, all: &[&str]) -> Result<DataFrame> {
    let path = required(dir, name)?;
    verify::header(
        &path,
        &all.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
    )?;
    read_csv(&path)
}

fn read_with(path: &Path, options: CsvReadOptions) -> Result<DataFrame> {
    options
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|source| {
            // polars' hints (`infer_schema_length`, `ignore_errors`) are for its own
            // users; for a table tokensim wrote, a bad value means the file was edited.
            let text = source.to_string();
            let first = text.lines().next().unwrap_or_default();
            if first.starts_with("could not parse") {
                AnalyticsError::Mismatch {
                    file: path.to_path_buf(),
                    message: format!("{first}, a type tokensim never writes there"),
                }
            } else {
                AnalyticsError::Read {
                    file: path.to_path_buf(),
                    source,
                }
            }
        })
}
