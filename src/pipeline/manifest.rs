//! A shard's `manifest.json`: what ran (model hash, seed, tool version), which slice
//! (shard I/N and its units) and how many rows each table has, so a merge can refuse
//! shards of different runs, missing or duplicated shards and cut tables.

use super::shard::Shard;
use crate::metrics::atomic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// File name of a shard's manifest.
pub const MANIFEST_JSON: &str = "manifest.json";

/// The manifest of one shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Version of tokensim that wrote the shard.
    pub version: String,
    /// Hash of the effective `model.toml` text (see [`model_hash`]).
    pub model_hash: String,
    /// Seed of the run.
    pub seed: u64,
    /// The model file and overrides it came from (the merged summary's `source`).
    pub source: String,
    /// Which shard.
    pub shard: Shard,
    /// The scale units it ran, ascending.
    pub units: Vec<u32>,
    /// Rows of each table, by file stem.
    pub rows: BTreeMap<String, u64>,
}

/// The version written into manifests.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// 64-bit FNV-1a of the effective model text, in hex: equal for shards of one model
/// (and its overrides), different for any change to it.
pub fn model_hash(model_toml: &str) -> String {
    let hash = model_toml.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("fnv1a64:{hash:016x}")
}

impl Manifest {
    /// Writes the manifest into `dir`, atomically.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        atomic::write_bytes(&dir.join(MANIFEST_JSON), &json)
    }

    /// Reads the manifest of the shard folder `dir`.
    pub fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join(MANIFEST_JSON);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "{}: {e} (a shard that did not finish has no manifest: rerun it)",
                path.display()
            )
        })?;
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("{}: not a tokensim shard manifest: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::model_hash;

    #[test]
    fn the_model_hash_changes_with_any_byte_of_the_model() {
        assert_eq!(model_hash("a"), model_hash("a"));
        assert_ne!(model_hash("seed = 1"), model_hash("seed = 2"));
        assert_eq!(model_hash(""), "fnv1a64:cbf29ce484222325");
    }
}
