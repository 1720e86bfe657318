//! Sharded runs: `run --shard I/N` writes its slice of units into `OUT/shard=I/`
//! (tables as Parquet, `model.toml`, `manifest.json`); `merge DIR` checks the
//! manifests, joins the shards' tables in the run's order and continues the pipeline
//! from the tables stage into `DIR`, as the unsharded run would have.

use super::manifest::{MANIFEST_JSON, Manifest, VERSION, model_hash};
use super::shard::{FOLDER_PREFIX, Shard};
use crate::analytics::{AnalyticsError, RunTables, read};
use crate::metrics::schema::{self, tables::RunTable};
use crate::metrics::store::Formats;
use crate::metrics::{Summary, atomic};
use crate::report::ReportError;
use crate::scenario::{self, Scenario};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why shards could not be written or merged.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// The shard folders do not make one complete run.
    #[error("{dir}: {message}")]
    Shards {
        /// The sharded run folder.
        dir: PathBuf,
        /// What is wrong, naming the shards.
        message: String,
    },
    /// A shard's table could not be read.
    #[error("cannot read a shard")]
    Read(#[from] AnalyticsError),
    /// A shard's model is invalid.
    #[error("a shard's model is invalid")]
    Model(#[from] scenario::ModelError),
    /// The merged run could not be summarised, analysed or rendered.
    #[error("cannot finish the merged run")]
    Report(#[from] ReportError),
    /// A file could not be written.
    #[error("cannot write {file}")]
    Write {
        /// The file or folder.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

fn write_err(file: &Path) -> impl FnOnce(std::io::Error) -> ShardError + '_ {
    move |source| ShardError::Write {
        file: file.to_path_buf(),
        source,
    }
}

/// Writes `tables` (of the units of `shard`) into `out/shard=I/`: its tables as Parquet,
/// the effective `model.toml`, and last `manifest.json`, each file to a temporary
/// name and renamed, so a killed shard leaves no partial file and a manifest only
/// beside complete tables; the tables on `threads` threads, each file whole on one. A
/// rerun rewrites the same bytes. Returns the folder.
pub fn write_shard(
    out: &Path,
    shard: Shard,
    tables: &RunTables,
    threads: usize,
) -> Result<PathBuf, ShardError> {
    let dir = out.join(shard.folder());
    std::fs::create_dir_all(&dir).map_err(write_err(&dir))?;
    atomic::remove_stale(&dir, |_, _| true).map_err(write_err(&dir))?;
    let parquet = Formats { csv: false };
    super::write::write_tables(&dir, tables, parquet, threads).map_err(write_err(&dir))?;
    let rows = tables.rows();
    let s = &tables.scenario;
    let model = crate::scenario::load::to_toml(&s.raw);
    let model_file = dir.join(schema::MODEL_TOML);
    atomic::write_bytes(&model_file, model.as_bytes()).map_err(write_err(&model_file))?;
    let manifest = Manifest {
        version: VERSION.into(),
        model_hash: model_hash(&model),
        seed: s.seed,
        source: s.source.clone(),
        shard,
        units: shard.units(s),
        rows,
    };
    manifest.write(&dir).map_err(write_err(&dir))?;
    Ok(dir)
}

/// Whether `dir` holds shard folders (`shard=I/`).
pub fn is_sharded(dir: &Path) -> bool {
    shard_dirs(dir).is_ok_and(|d| !d.is_empty())
}

fn shard_dirs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.file_name().to_string_lossy().starts_with(FOLDER_PREFIX))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Merges the shards of `dir` and continues the pipeline from the tables stage: the
/// run's tables (in `formats`), `model.toml`, `summary.json`, analytics tables, charts
/// and `report.md`, written into `dir` only once every check has passed. Returns the
/// summary.
pub fn merge(dir: &Path, formats: Formats) -> Result<Summary, ShardError> {
    let tables = merge_tables(dir)?;
    Ok(super::save(
        &tables,
        None,
        dir,
        formats,
        super::pool::cores(),
    )?)
}

/// Reads and checks every shard of `dir`, and joins their tables in the run's order
/// (no summary yet). Nothing is written.
pub fn merge_tables(dir: &Path) -> Result<RunTables, ShardError> {
    let fail = |message: String| ShardError::Shards {
        dir: dir.to_path_buf(),
        message,
    };
    let dirs = shard_dirs(dir).map_err(|e| fail(format!("cannot list the shards: {e}")))?;
    if dirs.is_empty() {
        return Err(fail(format!(
            "no {FOLDER_PREFIX}I folders: write shards with `tokensim run MODEL --shard I/N --out DIR`"
        )));
    }
    let manifests = dirs
        .iter()
        .map(|d| Manifest::read(d).map_err(&fail))
        .collect::<Result<Vec<_>, _>>()?;
    check_same_run(&dirs, &manifests).map_err(&fail)?;
    let model_path = dirs[0].join(schema::MODEL_TOML);
    let model = std::fs::read_to_string(&model_path)
        .map_err(|e| fail(format!("{}: {e}", model_path.display())))?;
    for (d, m) in dirs.iter().zip(&manifests) {
        let path = d.join(schema::MODEL_TOML);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if model_hash(&text) != m.model_hash {
            return Err(fail(format!(
                "{} does not match the model hash of its {MANIFEST_JSON}: the shard was edited",
                path.display()
            )));
        }
    }
    let mut scenario = scenario::parse_model(&model, &model_path.display().to_string(), &[])?;
    // The run's own source, not the shard folder's copy of its model.
    scenario.source = manifests[0].source.clone();
    check_complete(&scenario, &dirs, &manifests).map_err(&fail)?;
    let mut order: Vec<usize> = (0..dirs.len()).collect();
    order.sort_by_key(|&k| manifests[k].shard.index);
    let mut parts = Vec::new();
    for &k in &order {
        let mut frames = Vec::new();
        for table in RunTable::ALL {
            let (df, file) = read::table(&dirs[k], table, &scenario)?;
            let want = manifests[k].rows.get(table.stem()).copied().unwrap_or(0);
            crate::analytics::verify::rows(&file, df.height(), want, "its manifest.json")?;
            frames.push(df);
        }
        parts.push(frames.try_into().expect("one frame per table"));
    }
    Ok(RunTables::concat(scenario, parts)?)
}

/// Every manifest is of the same run: model hash, tool version, seed and shard count.
fn check_same_run(dirs: &[PathBuf], manifests: &[Manifest]) -> Result<(), String> {
    // The seed is part of the model text: named first, it says more than the hash.
    let facts = |m: &Manifest| {
        [
            ("version", m.version.clone(), "another tokensim version"),
            ("seed", m.seed.to_string(), "another seed"),
            ("shard count", m.shard.count.to_string(), "a different N"),
            (
                "model hash",
                m.model_hash.clone(),
                "a different model or overrides",
            ),
        ]
    };
    let first = facts(&manifests[0]);
    for (d, m) in dirs.iter().zip(manifests).skip(1) {
        for ((what, mine, why), (_, theirs, _)) in facts(m).into_iter().zip(&first) {
            if mine != *theirs {
                return Err(format!(
                    "{}'s {what} is {mine} but {}'s is {theirs}: the shards are not of one run ({why})",
                    folder_name(d),
                    folder_name(&dirs[0])
                ));
            }
        }
    }
    Ok(())
}

fn folder_name(dir: &Path) -> String {
    dir.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string()
}

/// Every shard index of `0..N` exactly once, each with the units its index owns (so
/// none overlap and together they are every unit).
fn check_complete(
    scenario: &Scenario,
    dirs: &[PathBuf],
    manifests: &[Manifest],
) -> Result<(), String> {
    let n = manifests[0].shard.count;
    let mut seen: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (d, m) in dirs.iter().zip(manifests) {
        seen.entry(m.shard.index).or_default().push(folder_name(d));
    }
    let missing: Vec<String> = (0..n)
        .filter(|i| !seen.contains_key(i))
        .map(|i| i.to_string())
        .collect();
    let duplicated: Vec<String> = seen
        .iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(i, names)| format!("{i} (in {})", names.join(", ")))
        .collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing shard(s) {} of {n}", missing.join(", ")));
    }
    if !duplicated.is_empty() {
        problems.push(format!("duplicated shard(s) {}", duplicated.join("; ")));
    }
    if !problems.is_empty() {
        return Err(problems.join("; ") + ": run each shard I/N exactly once into the folder");
    }
    for (d, m) in dirs.iter().zip(manifests) {
        if m.units != m.shard.units(scenario) {
            return Err(format!(
                "{} lists units {:?}, not those of shard {} of this model",
                d.join(MANIFEST_JSON).display(),
                m.units,
                m.shard
            ));
        }
    }
    Ok(())
}
