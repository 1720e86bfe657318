//! `tokensim sweep`: run a grid of model variants in parallel and chart the frontier.

use super::model_args::{ModelArgs, Replicate};
use crate::analytics::headline::metric_index;
use crate::report::replicate::seeds;
use crate::report::sweep::{self, Vary};
use crate::sim::progress_total;
use anyhow::Context;
use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
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
    let n = args.replicate.replications as usize;
    let runs = sweep::replicas(&variants, &seeds(base.seed, n))?;
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("sweep-{}", base.name)));
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let bars = MultiProgress::new();
    let style = ProgressStyle::with_template("{prefix:>4} [{bar:30}] {pos}/{len} unit-days {msg}")
        .expect("valid template")
        .progress_chars("=> ");
    let progress: Vec<ProgressBar> = variants
        .iter()
        .map(|v| {
            let bar = bars.add(ProgressBar::new(0));
            bar.set_style(style.clone());
            bar.set_prefix(v.id.clone());
            bar.set_message(v.label.clone());
            bar
        })
        .collect();
    let load = |sets: &[crate::scenario::Override]| args.model.load_with(sets);
    let headlines = sweep::run_variants(&runs, &load, threads, &out.join("runs"), &|i, s, k| {
        let bar = &progress[i / n];
        if bar.length() == Some(0) {
            bar.set_length(progress_total(s) * n as u64);
        }
        bar.inc(k);
        true
    })
    .with_context(|| format!("the sweep into {} failed", out.display()))?;
    progress.iter().for_each(ProgressBar::finish);
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
    let md = sweep::write(&out, &args.vary, &variants, &per_variant, (&args.x, &y))?;
    println!(
        "{} variants; sweep.csv, frontier and {} in {}",
        variants.len(),
        md.display(),
        out.display()
    );
    Ok(())
}
