//! Arguments shared by every command that loads a model.

use crate::pipeline::replicate::Plan;
use crate::scenario::{self, Override, Scenario};
use clap::Args;
use std::path::PathBuf;

/// A model file (or the embedded default) with overrides.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// Model file (TOML); without it, the embedded default scenario (models/default.toml).
    pub model: Option<PathBuf>,
    /// Override any model field by its dotted path, e.g. --set platform.capacity=20 or
    /// --set segment.0.app.1.profile=guided; repeatable. Values are checked like the file.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Seed of every random stream (overrides scenario.seed).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Parses one `--set KEY=VALUE`.
pub(super) fn parse_override(text: &str) -> Result<Override, String> {
    text.parse()
        .map_err(|e: scenario::ModelError| e.to_string())
}

impl ModelArgs {
    /// Loads and validates the model with the overrides.
    pub fn load(&self) -> Result<Scenario, scenario::ModelError> {
        let overrides = self.overrides()?;
        match &self.model {
            Some(path) => scenario::load_file(path, &overrides),
            None => scenario::load_default(&overrides),
        }
    }

    /// Loads the model with its overrides and then `sets` (a variant's or a
    /// replication's, which win over `--set` and `--seed`).
    pub fn load_with(&self, sets: &[Override]) -> Result<Scenario, scenario::ModelError> {
        let mut model = self.clone();
        model.set = self.overrides()?;
        model.seed = None;
        model.set.extend_from_slice(sets);
        model.load()
    }

    /// The `--set` overrides, with `--seed` as a last one.
    pub fn overrides(&self) -> Result<Vec<Override>, scenario::ModelError> {
        let mut overrides = self.set.clone();
        if let Some(seed) = self.seed {
            overrides.push(format!("scenario.seed={seed}").parse()?);
        }
        Ok(overrides)
    }

    /// The model text and the label naming it in messages (the file, or the embedded default).
    pub fn text(&self) -> Result<(String, String), scenario::ModelError> {
        match &self.model {
            Some(path) => scenario::load::read_file(path),
            None => Ok((
                scenario::DEFAULT_MODEL.to_string(),
                scenario::load::DEFAULT_LABEL.to_string(),
            )),
        }
    }
}

/// `--threads`, shared by the commands that simulate.
#[derive(Debug, Clone, Args)]
pub struct Threads {
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long = "threads")]
    threads: Option<usize>,
}

impl Threads {
    /// The number asked for, or every core.
    pub fn get(&self) -> usize {
        self.threads.unwrap_or_else(crate::pipeline::pool::cores)
    }
}

/// `--replications` and `--target-precision`, shared by `run`, `sweep` and `compare`.
#[derive(Debug, Clone, Args)]
pub struct Replicate {
    /// Replications: runs with seeds derived from the base seed; every headline figure
    /// is then reported as a mean with its Student-t 95 % CI. Replication 1 is the
    /// plain run with the base seed.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub replications: u32,
    /// Add replications until every headline figure's 95 % CI half-width is at most
    /// this share of its mean (e.g. 0.1), up to --max-replications.
    #[arg(long, value_name = "SHARE")]
    pub target_precision: Option<f64>,
    /// Cap for --target-precision.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(2..=1000))]
    pub max_replications: u32,
}

impl Replicate {
    /// The plan, checked: `--target-precision` is a share in (0, 1].
    pub fn plan(&self) -> anyhow::Result<Plan> {
        if let Some(p) = self.target_precision
            && !(p > 0.0 && p <= 1.0)
        {
            anyhow::bail!(
                "--target-precision '{p}' is not a share in (0, 1] (e.g. 0.1 for 10 % of the mean)"
            );
        }
        Ok(Plan {
            n: self.replications as usize,
            target: self.target_precision,
            cap: (self.max_replications as usize).max(self.replications as usize),
        })
    }

    /// True when more than one run is wanted.
    pub fn replicated(&self) -> bool {
        self.replications > 1 || self.target_precision.is_some()
    }
}
