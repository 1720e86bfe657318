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

fn parse_override(text: &str) -> Result<Override, String> {
    text.parse()
        .map_err(|e: scenario::ModelError| e.to_string())
}

impl ModelArgs {
    /// Loads and validates the model with the overrides.
    pub fn load(&self) -> Result<Scenario, scenario::ModelError> {
        let mut overrides = self.set.clone();
        if let Some(seed) = self.seed {
            overrides.push(format!("scenario.seed={seed}").parse()?);
        }
        match &self.model {
            Some(path) => scenario::load_file(path, &overrides),
            None => scenario::load_default(&overrides),
        }
    }
}
