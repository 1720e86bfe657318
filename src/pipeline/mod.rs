//! One path from simulation to figures. Every command goes through the same stages:
//! simulate the scale units on the pipeline's threads ([`pool`], [`simulate`]), turn
//! the recorders into the run's canonical tables in memory
//! ([`crate::analytics::RunTables::from_result`]), then ([`save`], on the same threads)
//! write them ([`write`](mod@write): Parquet, and CSV unless told not to) while the summary and
//! the report are computed from the same frames without reading them back
//! ([`crate::report::render_tables`]). `tokensim report DIR` enters at the analyse
//! stage with the tables read from a folder.

pub mod folder;
pub mod manifest;
pub mod merge;
pub mod pool;
pub mod replicate;
pub mod run;
pub mod shard;
pub mod simulate;
pub mod sweep;
pub mod write;

pub use run::save;
pub use simulate::{all_units, run_units, simulate_tables};
