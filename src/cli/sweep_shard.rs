//! Sharded sweeps: `tokensim sweep … --shard I/N --out DIR` runs the I-th round-robin
//! slice of the variants × replications list into `DIR/shard=I/runs/<id>/` with a
//! manifest; `tokensim merge DIR` checks the N manifests and writes the same
//! `sweep.csv`, frontier and `sweep.md` as the unsharded sweep from the runs' tables.

use crate::analytics::Headline;
use crate::analytics::headline::of_run;
use crate::pipeline::manifest::model_hash;
use crate::pipeline::replicate::seeds;
use crate::pipeline::shard::{FOLDER_PREFIX, Shard};
use crate::report::sweep::{self, Variant, Vary};
use crate::scenario::Scenario;
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name of a sweep shard's manifest (a run shard's is `manifest.json`).
pub const SWEEP_MANIFEST: &str = "sweep-manifest.json";
/// Folder of the runs inside a sweep or sweep shard folder.
pub(super) const RUNS: &str = "runs";

/// What every shard of one sweep must agree on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Identity {
    seed: u64,
    tool_version: String,
    /// FNV-1a of the effective base model (`model.toml` text with `--set`, `--seed`).
    model_hash: String,
    vary: Vec<String>,
    replications: u32,
    x: String,
    y: Option<String>,
    shards: u32,
}

/// A sweep shard's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Manifest {
    sweep: Identity,
    /// This shard's index.
    shard: u32,
    /// The ids of the runs it wrote, in sweep order.
    runs: Vec<String>,
}

/// The sweep being sharded: what the manifest records.
pub(super) struct Plan<'a> {
    /// The base model, with `--set` and `--seed`.
    pub base: &'a Scenario,
    /// The `--vary` options.
    pub vary: &'a [Vary],
    /// Replications per variant.
    pub replications: u32,
    /// Frontier axes as given (`y` `None`: chosen from the headlines).
    pub x: &'a str,
    /// See `x`.
    pub y: Option<&'a str>,
}

/// The runs of `all` (variants × replications, variant-major) that `shard` owns; all of
/// them without a shard.
pub(super) fn slice(all: &[Variant], shard: Option<Shard>) -> Vec<Variant> {
    all.iter()
        .enumerate()
        .filter(|(k, _)| shard.is_none_or(|s| *k % s.count as usize == s.index as usize))
        .map(|(_, v)| v.clone())
        .collect()
}

/// Where a sweep (shard) is written: `out`, or `out/shard=I`.
pub(super) fn folder(out: &Path, shard: Option<Shard>) -> PathBuf {
    match shard {
        Some(s) => out.join(format!("{FOLDER_PREFIX}{}", s.index)),
        None => out.to_path_buf(),
    }
}

/// Writes shard `shard`'s manifest into its (staged) folder `dir`.
pub(super) fn write_manifest(
    dir: &Path,
    plan: &Plan,
    shard: Shard,
    runs: &[Variant],
) -> anyhow::Result<()> {
    let manifest = Manifest {
        sweep: Identity {
            tool_version: env!("CARGO_PKG_VERSION").into(),
            model_hash: model_hash(&crate::scenario::load::to_toml(&plan.base.raw)),
            seed: plan.base.seed,
            vary: plan.vary.iter().map(vary_text).collect(),
            replications: plan.replications,
            x: plan.x.into(),
            y: plan.y.map(String::from),
            shards: shard.count,
        },
        shard: shard.index,
        runs: runs.iter().map(|v| v.id.clone()).collect(),
    };
    let path = dir.join(SWEEP_MANIFEST);
    let text = serde_json::to_string_pretty(&manifest)? + "\n";
    crate::metrics::atomic::write_bytes(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Writes `sweep.csv`, the frontier and `sweep.md` into `out` from every run's headline
/// (`headlines`: variant-major, `replications` per variant). Without `y` the frontier's
/// y axis is p95 exposure when any run has revocation data, else prompts per user-month.
pub(super) fn finish(
    out: &Path,
    vary: &[Vary],
    variants: &[Variant],
    headlines: &[Headline],
    replications: usize,
    (x, y): (&str, Option<&str>),
) -> anyhow::Result<()> {
    let y = y.unwrap_or_else(|| {
        let has_exposure = headlines
            .iter()
            .any(|h| h.get("exposure_p95_minutes").ok().flatten().is_some());
        if has_exposure {
            "exposure_p95_minutes"
        } else {
            "prompts_per_user_month"
        }
    });
    let per_variant: Vec<Vec<_>> = headlines.chunks(replications).map(<[_]>::to_vec).collect();
    sweep::write(out, vary, variants, &per_variant, (x, y))?;
    Ok(())
}

/// Whether `dir` holds the shards of a sweep (a `shard=I/sweep-manifest.json`), not
/// of a run.
pub fn is_sharded_sweep(dir: &Path) -> bool {
    shard_folders(dir).is_ok_and(|found| {
        found
            .iter()
            .any(|(_, path)| path.join(SWEEP_MANIFEST).is_file())
    })
}

/// Merges the sweep shards in `dir` into `dir/sweep.csv`, frontier and `sweep.md`;
/// returns the number of variants. Nothing is written unless every shard is there
/// exactly once, every manifest describes the same sweep and every run reads back.
pub fn merge(dir: &Path) -> anyhow::Result<usize> {
    let mut manifests = Vec::new();
    for (index, path) in shard_folders(dir)? {
        let file = path.join(SWEEP_MANIFEST);
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {} (an unfinished shard?)", file.display()))?;
        let manifest: Manifest = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a sweep shard manifest", file.display()))?;
        manifests.push((index, path, manifest));
    }
    let sweep = check(dir, &manifests)?;
    let vary: Vec<Vary> = sweep
        .vary
        .iter()
        .map(|v| v.parse().map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<_>>()?;
    let variants = sweep::grid(&vary)?;
    let n = sweep.replications as usize;
    let all = sweep::replicas(&variants, &seeds(sweep.seed, n))?;
    let mut headlines = Vec::with_capacity(all.len());
    for (k, run) in all.iter().enumerate() {
        let (_, path, _) = &manifests[k % sweep.shards as usize];
        let run_dir = path.join(RUNS).join(&run.id);
        headlines.push(
            of_run(&run_dir)
                .with_context(|| format!("cannot read the run in {}", run_dir.display()))?,
        );
    }
    finish(
        dir,
        &vary,
        &variants,
        &headlines,
        n,
        (&sweep.x, sweep.y.as_deref()),
    )?;
    Ok(variants.len())
}

/// The `shard=I` folders in `dir` with their index, sorted by index (a name whose
/// index is not a number is an error: `shard=01` and `shard=1` are both shard 1).
fn shard_folders(dir: &Path) -> anyhow::Result<Vec<(u32, PathBuf)>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(index) = name.strip_prefix(FOLDER_PREFIX) else {
            continue;
        };
        let index = index.parse().with_context(|| {
            format!(
                "{}: '{name}' is not shard=I with a whole number I",
                dir.display()
            )
        })?;
        found.push((index, entry.path()));
    }
    found.sort();
    Ok(found)
}

/// Checks the manifests (sorted by folder index) describe one sweep, each shard exactly
/// once, each with its own slice of the runs; returns the sweep.
fn check(dir: &Path, found: &[(u32, PathBuf, Manifest)]) -> anyhow::Result<Identity> {
    let Some((_, first_path, first)) = found.first() else {
        bail!("{} holds no shard=I folders", dir.display());
    };
    let name = |p: &Path| {
        p.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    for (index, path, m) in found {
        if m.shard != *index {
            bail!(
                "{} holds shard {} of the sweep (its manifest says so): copied into the wrong folder?",
                path.display(),
                m.shard
            );
        }
        let differences = difference(&first.sweep, &m.sweep);
        if !differences.is_empty() {
            bail!(
                "{} and {} are shards of different sweeps: {}",
                name(first_path),
                name(path),
                differences.join("; ")
            );
        }
    }
    let shards = first.sweep.shards;
    let mut seen: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (index, path, _) in found {
        seen.entry(*index).or_default().push(name(path));
    }
    let duplicated: Vec<String> = seen
        .iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(i, names)| format!("{i} ({})", names.join(", ")))
        .collect();
    let missing: Vec<String> = (0..shards)
        .filter(|i| !seen.contains_key(i))
        .map(|i| i.to_string())
        .collect();
    if !duplicated.is_empty() || !missing.is_empty() {
        let mut problems = Vec::new();
        if !missing.is_empty() {
            problems.push(format!("missing shards: {}", missing.join(", ")));
        }
        if !duplicated.is_empty() {
            problems.push(format!("duplicated shards: {}", duplicated.join("; ")));
        }
        bail!(
            "{} is not a whole sweep of {shards} shards: {}; nothing was written",
            dir.display(),
            problems.join("; ")
        );
    }
    let vary: Vec<Vary> = first
        .sweep
        .vary
        .iter()
        .map(|v| v.parse().map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<_>>()?;
    let seeds = seeds(first.sweep.seed, first.sweep.replications as usize);
    let all = sweep::replicas(&sweep::grid(&vary)?, &seeds)?;
    for (index, path, m) in found {
        let shard = Shard::new(*index, shards).map_err(anyhow::Error::msg)?;
        let expected: Vec<String> = slice(&all, Some(shard)).into_iter().map(|v| v.id).collect();
        if m.runs != expected {
            bail!(
                "{} ran {} but shard {shard} of this sweep is {}",
                name(path),
                m.runs.join(" "),
                expected.join(" ")
            );
        }
    }
    Ok(first.sweep.clone())
}

/// The fields in which two identities differ, each as `field is A in one and B in the
/// other` (values as JSON), in the order of the field names.
fn difference(a: &Identity, b: &Identity) -> Vec<String> {
    let json = |i: &Identity| serde_json::to_value(i).unwrap_or_default();
    let (a, b) = (json(a), json(b));
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return Vec::new();
    };
    a.iter()
        .filter_map(|(k, v)| {
            let w = b.get(k).cloned().unwrap_or_default();
            (*v != w).then(|| format!("{k} is {v} in one and {w} in the other"))
        })
        .collect()
}

/// `key=v1,v2` as written on the command line.
fn vary_text(v: &Vary) -> String {
    format!("{}={}", v.key, v.values.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            tool_version: "0.1.0".into(),
            model_hash: model_hash("[scenario]"),
            seed: 7,
            vary: vec!["a.b=1,2".into(), "c=x,y".into()],
            replications: 1,
            x: "outage_blocked_user_minutes".into(),
            y: None,
            shards: 3,
        }
    }

    /// Shards 0..3 of the 2 × 2 grid `identity` describes, as found on disk.
    fn shards(indices: &[(u32, &str)]) -> Vec<(u32, PathBuf, Manifest)> {
        let runs = |i: u32| -> Vec<String> {
            ["v01", "v02", "v03", "v04"]
                .iter()
                .enumerate()
                .filter(|(k, _)| *k as u32 % 3 == i)
                .map(|(_, id)| id.to_string())
                .collect()
        };
        indices
            .iter()
            .map(|&(i, folder)| {
                let m = Manifest {
                    sweep: identity(),
                    shard: i,
                    runs: runs(i),
                };
                (i, PathBuf::from(folder), m)
            })
            .collect()
    }

    fn error(found: &[(u32, PathBuf, Manifest)]) -> String {
        check(Path::new("out"), found).unwrap_err().to_string()
    }

    #[test]
    fn a_whole_sweep_passes() {
        let found = shards(&[(0, "shard=0"), (1, "shard=1"), (2, "shard=2")]);
        assert_eq!(check(Path::new("out"), &found).unwrap(), identity());
    }

    #[test]
    fn missing_and_duplicated_shards_are_listed() {
        let e = error(&shards(&[(0, "shard=0")]));
        assert!(
            e.contains("missing shards: 1, 2; nothing was written"),
            "{e}"
        );
        let e = error(&shards(&[(0, "shard=0"), (1, "shard=01"), (1, "shard=1")]));
        assert!(
            e.contains("missing shards: 2; duplicated shards: 1 (shard=01, shard=1)"),
            "{e}"
        );
    }

    #[test]
    fn a_different_seed_names_the_field() {
        let mut found = shards(&[(0, "shard=0"), (1, "shard=1"), (2, "shard=2")]);
        found[2].2.sweep.seed = 8;
        found[2].2.sweep.model_hash = model_hash("[scenario]\nseed = 8");
        let e = error(&found);
        assert!(
            e.starts_with("shard=0 and shard=2 are shards of different sweeps: model_hash is \"")
                && e.ends_with("; seed is 7 in one and 8 in the other"),
            "{e}"
        );
    }

    #[test]
    fn a_copied_shard_or_another_slicing_is_refused() {
        let mut found = shards(&[(0, "shard=0"), (1, "shard=1"), (2, "shard=2")]);
        found[1].2.shard = 2;
        assert!(error(&found).contains("holds shard 2 of the sweep"));
        let mut found = shards(&[(0, "shard=0"), (1, "shard=1"), (2, "shard=2")]);
        found[0].2.runs = vec!["v01".into(), "v02".into()];
        let e = error(&found);
        assert_eq!(
            e,
            "shard=0 ran v01 v02 but shard 0/3 of this sweep is v01 v04"
        );
    }
}
