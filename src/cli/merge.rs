//! `tokensim merge DIR`: join the shards of a sharded sweep (`DIR/shard=I/`) into the
//! outputs of the unsharded one.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

pub(super) const HELP: &str = "\
DIR holds shard=0/ … shard=N-1/, written by `tokensim sweep … --shard I/N --out DIR` (or
--shard-from-env --shards N) in any order, on any machines. The manifests must describe
one sweep (same model, seed, --vary, replications, tool version, N), every shard exactly
once; otherwise the error lists what is missing, duplicated or different and nothing is
written. Merging writes sweep.csv, frontier.png/svg and sweep.md into DIR.

Example:
  for i in 0 1 2 3; do tokensim sweep M --vary K=a,b --shard $i/4 --out out/s; done
  tokensim merge out/s";

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The folder holding the shard=I/ folders.
    pub dir: PathBuf,
}

/// Merges the shards in a folder.
pub fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let variants = super::sweep_shard::merge(&args.dir)
        .with_context(|| format!("cannot merge the shards in {}", args.dir.display()))?;
    println!(
        "{variants} variants; sweep.csv, frontier and {} in {}",
        crate::report::sweep::SWEEP_MD,
        args.dir.display()
    );
    Ok(())
}
