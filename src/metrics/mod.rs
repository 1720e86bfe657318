//! From observations to tables: the recorder (an [`crate::sim::Observer`] per unit), the
//! merged run result, its canonical tables as DataFrames, the summary, and atomic
//! writers (Parquet and CSV) for the run's output files.

pub mod atomic;
pub mod columns;
pub mod exposure;
pub mod frames;
pub mod impact;
pub mod labels;
pub mod recorder;
pub mod result;
pub mod schema;
pub mod stats;
pub mod store;
pub mod summary;
pub mod unit_tallies;
pub mod units;
pub mod window;

pub use recorder::Recorder;
pub use result::RunResult;
pub use summary::Summary;
