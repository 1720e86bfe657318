//! `tokensim merge DIR`: join the shards of a sharded run folder (written by
//! `run --shard I/N --out DIR`) and write the run's tables, summary and report into it;
//! or those of a sharded sweep (`sweep … --shard I/N --out DIR`) into its sweep.csv,
//! frontier and sweep.md.

use crate::metrics::store::Formats;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// A folder of shard folders `shard=0/`, `shard=1/`, … each with a manifest.json.
    pub dir: PathBuf,
    /// Write the merged tables as Parquet only, without their CSV copies.
    #[arg(long)]
    pub no_csv: bool,
}

/// Merges the shards and renders the run's report.
pub fn merge(args: MergeArgs) -> anyhow::Result<()> {
    if super::sweep_shard::is_sharded_sweep(&args.dir) {
        let variants = super::sweep_shard::merge(&args.dir)
            .with_context(|| format!("cannot merge the shards in {}", args.dir.display()))?;
        println!(
            "{variants} variants; sweep.csv, frontier and {} in {}",
            crate::report::sweep::SWEEP_MD,
            args.dir.display()
        );
        return Ok(());
    }
    let formats = Formats { csv: !args.no_csv };
    let summary = crate::pipeline::merge::merge(&args.dir, formats)
        .with_context(|| format!("cannot merge the shards in {}", args.dir.display()))?;
    print!("{summary}");
    println!(
        "  report: {}",
        args.dir.join(crate::report::REPORT_MD).display()
    );
    Ok(())
}
