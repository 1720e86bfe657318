//! `tokensim sweep`: run a grid of model variants in parallel and chart the frontier.

use super::memory::MemoryGuard;
use super::model_args::{ModelArgs, Replicate};
use super::shard::ShardArgs;
use super::sweep_shard::{self, Plan};
use crate::analytics::headline::metric_index;
use crate::pipeline::folder::Staged;
use crate::pipeline::replicate::seeds;
use crate::report::sweep::{self, Vary};
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

pub(super) const HELP: &str = "\
Every --vary takes a --set path and comma-separated values; the variants are the
cartesian product (the first --vary changes slowest). Each variant runs on one thread,
variants run in parallel, so results are the same for any --threads.

Outputs (in --out, default reports/sweep-<scenario name>/):
  sweep.csv        one row per variant: its values, the headline metrics, pareto
  frontier.png/svg the trade-off frontier of --x against --y
  sweep.md         the frontier and a table
  runs/vNN/        each variant's run folder (tokensim report / compare work on them);
                   with --replications N, runs/vNN-rMM/ per replication, every variant on
                   the same seeds, and sweep.csv gains each metric's Student-t 95 % CI
                   (<metric>_ci95_low/_high) and `overlaps`: the variants whose CIs
                   overlap on both frontier axes (not distinguishable)
Every variant is validated before the first runs; the folder is written as a whole
(swapped in at the end, like a run folder), so a killed sweep leaves the old one.

Sharded (--shard I/N, or --shard-from-env --shards N on a Kubernetes Indexed Job or a
Slurm array): the runs (variants × replications, variant-major) are dealt round-robin,
run k to shard k mod N; shard I writes OUT/shard=I/runs/<id>/ and
OUT/shard=I/sweep-manifest.json, as a whole. `tokensim merge OUT` checks that every
shard is there once, of the same sweep, and writes sweep.csv, the frontier and sweep.md
into OUT, byte-identical to the unsharded sweep's.

Metrics for --x and --y: users, blocked_users, blocked_user_minutes, calls_failed,
outage_users_blocked, outage_blocked_user_minutes, recovery_minutes, peak_load_ratio,
blocked_p95_minutes, prompts_per_user_month, requests_429, backup_share,
exposure_p95_minutes (measure a of the headline events, `events.exposure_events`),
exposure_left_alive_share (measure b).

Example:
  tokensim sweep models/sweep-global-outage.toml \\
    --vary policy.access_token.lifetime_max=90m,4h,24h --vary segment.2.app.1.profile=msal-python,guided";

/// Arguments of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// A varied parameter: KEY=V1,V2,…; repeatable.
    #[arg(long, required = true, value_name = "KEY=V1,V2,…")]
    vary: Vec<Vary>,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    memory: MemoryGuard,
    #[command(flatten)]
    replicate: Replicate,
    #[command(flatten)]
    shard: ShardArgs,
    /// Output folder (default: reports/sweep-<scenario name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Metric on the x axis of the frontier (outage impact by default).
    #[arg(long, default_value = "outage_blocked_user_minutes")]
    x: String,
    /// Metric on the y axis (default: p95 exposure when the variants have revocation
    /// data, else prompts per user-month).
    #[arg(long)]
    y: Option<String>,
}

/// Runs the sweep.
pub fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    metric_index(&args.x).map_err(anyhow::Error::msg)?;
    if let Some(y) = &args.y {
        metric_index(y).map_err(anyhow::Error::msg)?;
    }
    if args.replicate.target_precision.is_some() {
        anyhow::bail!("--target-precision is for run and compare; give sweep --replications N");
    }
    let shard = args.shard.get()?;
    let base = args.model.load()?;
    let variants = sweep::grid(&args.vary)?;
    let load = |sets: &[crate::scenario::Override]| args.model.load_with(sets);
    // Every variant is valid, fits in memory and has somewhere to go before any runs.
    let (mut largest, unit_days) = sweep::check_variants(&variants, &load)?;
    let n = args.replicate.replications as usize;
    let all = sweep::replicas(&variants, &seeds(base.seed, n))?;
    let runs = sweep_shard::slice(&all, shard);
    let mut total = unit_days * n as u64;
    if shard.is_some() {
        total = 0;
        if !runs.is_empty() {
            (largest, total) = sweep::check_variants(&runs, &load)?;
        }
    }
    let threads = args.threads.unwrap_or_else(crate::pipeline::pool::cores);
    args.memory
        .check(&largest, threads.min(runs.len()) as u64)?;
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("sweep-{}", base.name)));
    let folder = sweep_shard::folder(&out, shard);
    let staged = Staged::prepare(&folder)
        .with_context(|| format!("cannot write the sweep to {}", folder.display()))?;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} sweeping {msg} [{bar:30}] {pos}/{len} unit-days, {elapsed} (eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(match shard {
        Some(s) => format!("shard {s}: {} of {} runs", runs.len(), all.len()),
        None => format!("{} variants × {n} replications", variants.len()),
    });
    let runs_dir = staged.path().join(sweep_shard::RUNS);
    let headlines =
        crate::pipeline::sweep::run_variants(&runs, &load, threads, Some(&runs_dir), &|_, _, k| {
            bar.inc(k);
            true
        })
        .with_context(|| format!("the sweep into {} failed", out.display()))?;
    bar.finish_and_clear();
    if let Some(shard) = shard {
        let plan = Plan {
            base: &base,
            vary: &args.vary,
            replications: args.replicate.replications,
            x: &args.x,
            y: args.y.as_deref(),
        };
        sweep_shard::write_manifest(staged.path(), &plan, shard, &runs)?;
        staged
            .commit()
            .with_context(|| format!("cannot write the sweep to {}", folder.display()))?;
        println!(
            "shard {shard}: {} of {} runs in {}; `tokensim merge {}` when all {} shards are done",
            runs.len(),
            all.len(),
            folder.display(),
            out.display(),
            shard.count
        );
        return Ok(());
    }
    let axes = (args.x.as_str(), args.y.as_deref());
    sweep_shard::finish(staged.path(), &args.vary, &variants, &headlines, n, axes)?;
    staged
        .commit()
        .with_context(|| format!("cannot write the sweep to {}", out.display()))?;
    println!(
        "{} variants; sweep.csv, frontier and {} in {}",
        variants.len(),
        sweep::SWEEP_MD,
        out.display()
    );
    Ok(())
}
