//! Arguments shared by every command that loads a model.

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
        self.threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }
}
