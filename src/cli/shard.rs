//! `--shard I/N`: which slice of a run's scale units this process runs (the index
//! contract a job array drives; see [`crate::pipeline::shard`]).

use crate::pipeline::shard::Shard;
use clap::Args;

/// The shard arguments of `run`.
#[derive(Debug, Args)]
pub struct ShardArgs {
    /// Run only shard I of N (units u with u % N == I) and write its tables as
    /// Parquet with a manifest into OUT/shard=I/; `tokensim merge OUT` joins the shards.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
}

impl ShardArgs {
    /// The shard to run, if any.
    pub fn get(&self) -> anyhow::Result<Option<Shard>> {
        Ok(self.shard)
    }
}
