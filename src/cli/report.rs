//! `tokensim report DIR`: re-render a run's analytics tables, charts and report.md
//! from its stored tables, without re-running the simulation.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run folder written by `tokensim run` (it holds the users, timeseries,
    /// segment_timeseries and revocations tables as Parquet, or as CSV when written by
    /// an older version, with summary.json and model.toml), or a sharded run folder
    /// (shard=I/ folders, merged as `tokensim merge` does).
    pub dir: PathBuf,
}

/// Renders the report of a run folder; a sharded run folder is merged first.
pub fn report(args: ReportArgs) -> anyhow::Result<()> {
    if crate::pipeline::merge::is_sharded(&args.dir) {
        return super::merge::merge(super::merge::MergeArgs {
            dir: args.dir,
            no_csv: false,
        });
    }
    let path = crate::report::render(&args.dir)
        .with_context(|| format!("cannot report on {}", args.dir.display()))?;
    println!("report: {}", path.display());
    Ok(())
}
