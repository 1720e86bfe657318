//! `tokensim sweep`: run a grid of model variants in parallel and chart the frontier.

use super::memory::MemoryGuard;
use super::model_args::{ModelArgs, Replicate};
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
    let base = args.model.load()?;
    let variants = sweep::grid(&args.vary)?;
    let load = |sets: &[crate::scenario::Override]| args.model.load_with(sets);
    // Every variant is valid, fits in memory and has somewhere to go before any runs.
    let (largest, unit_days) = sweep::check_variants(&variants, &load)?;
    let n = args.replicate.replications as usize;
    let runs = sweep::replicas(&variants, &seeds(base.seed, n))?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    args.memory
        .check(&largest, threads.min(runs.len()) as u64)?;
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("sweep-{}", base.name)));
    let staged = Staged::prepare(&out)
        .with_context(|| format!("cannot write the sweep to {}", out.display()))?;
    let bar = ProgressBar::new(unit_days * n as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} sweeping {msg} [{bar:30}] {pos}/{len} unit-days, {elapsed} (eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(format!("{} variants × {n} replications", variants.len()));
    let runs_dir = staged.path().join("runs");
    let headlines =
        crate::pipeline::sweep::run_variants(&runs, &load, threads, Some(&runs_dir), &|_, _, k| {
            bar.inc(k);
            true
        })
        .with_context(|| format!("the sweep into {} failed", out.display()))?;
    bar.finish_and_clear();
    let y = args.y.unwrap_or_else(|| {
        let has_exposure = headlines
            .iter()
            .any(|h| h.get("exposure_p95_minutes").ok().flatten().is_some());
        if has_exposure {
            "exposure_p95_minutes"
        } else {
            "prompts_per_user_month"
        }
        .into()
    });
    let per_variant: Vec<Vec<_>> = headlines.chunks(n).map(<[_]>::to_vec).collect();
    sweep::write(
        staged.path(),
        &args.vary,
        &variants,
        &per_variant,
        (&args.x, &y),
    )?;
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
