//! Analytics over a run's stored tables, with polars.
//!
//! [`RunTables`] holds a run's tables as DataFrames: built in memory from a finished run
//! ([`RunTables::from_result`]) or read back from a run folder ([`RunTables::load`]:
//! `users`, `timeseries`, `segment_timeseries` and `revocations` as Parquet, or CSV in
//! older folders, with `units` and `model.toml`); every figure of `summary.json` is
//! computed from them ([`summary`]). The metrics are small named
//! expression functions ([`exprs`]) combined into lazy pipelines that are collected
//! once per table: breakdowns by segment, app, profile, client type, sign-in method and
//! scale unit ([`breakdown`]), percentiles ([`percentiles`]), revocation exposure per
//! attacker model, event kind, token class, CAE, client type and segment ([`exposure`]),
//! time to recovery per outage
//! and unit ([`recovery`]), the headline figures shared by reports, sweeps and
//! comparisons ([`headline`]), the same across replications and paired
//! ([`replication`]), and the plain series the charts draw ([`series`]).
//! Nothing outside `analytics/` and `metrics/` sees a polars type: results leave as
//! [`Table`]s and vectors.

pub mod breakdown;
pub mod exposure;
pub mod exprs;
pub mod headline;
pub mod percentiles;
pub mod platform;
pub mod read;
pub mod recovery;
pub mod replication;
pub mod series;
pub mod shards;
pub mod summary;
pub mod table;
pub mod tables;
pub mod verify;
pub mod write;

pub use headline::{Headline, METRICS, Metric};
pub use series::{Band, LoadSeries, ReportData};
pub use table::Table;
pub use tables::RunTables;

use std::path::PathBuf;

/// Why a run folder could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    /// A table the analysis needs is missing.
    #[error("{file} does not exist; run `tokensim run --out DIR` to create a run folder")]
    Missing {
        /// The missing file.
        file: PathBuf,
    },
    /// A folder written before the `units` table existed.
    #[error(
        "{file} does not exist: the folder was written by an older tokensim; rerun the run it holds with `tokensim run {model} --out {dir}`"
    )]
    OldFolder {
        /// The missing table.
        file: PathBuf,
        /// The folder's model, which reruns the same run.
        model: PathBuf,
        /// The folder.
        dir: PathBuf,
    },
    /// A table could not be read or has the wrong columns.
    #[error("cannot read {file}")]
    Read {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: polars::prelude::PolarsError,
    },
    /// A text file of the run folder could not be read.
    #[error("cannot read {file}")]
    ReadText {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// `summary.json` is not the summary of a run.
    #[error("{file} is not a tokensim summary")]
    Summary {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// A table does not match what tokensim writes or the rest of the folder.
    #[error("{file}: {message}")]
    Mismatch {
        /// The file.
        file: PathBuf,
        /// What differs.
        message: String,
    },
    /// `model.toml` of the run folder is not a valid model.
    #[error("the run's model is invalid")]
    Model(#[from] crate::scenario::ModelError),
    /// A computation over the tables failed.
    #[error("cannot compute {what}")]
    Compute {
        /// The metric or table being computed.
        what: &'static str,
        /// The cause.
        #[source]
        source: polars::prelude::PolarsError,
    },
    /// An output table could not be written.
    #[error("cannot write {file}")]
    Write {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Shorthand for the results of this module.
pub type Result<T> = std::result::Result<T, AnalyticsError>;

/// Attaches the name of the computation to a polars error.
pub(crate) fn computing<T>(what: &'static str, r: polars::prelude::PolarsResult<T>) -> Result<T> {
    r.map_err(|source| AnalyticsError::Compute { what, source })
}
