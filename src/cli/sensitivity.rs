//! `tokensim sensitivity`: which unpublished parameters move the headline figures.

use super::model_args::ModelArgs;
use crate::pipeline::sweep::run_variants;
use crate::report::sensitivity::{self, Param};
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

pub(super) const HELP: &str = "\
Every --param takes a --set path and a range lo..hi: durations (30s..15m), counts
(2..10) or shares (0.1..0.9). The design is the model as it is, each parameter at its
low and high end with the others at the model's value (one-at-a-time), then R Morris
trajectories (4 levels, step 2/3 of the range, each moving every parameter once).

Outputs (in --out, default reports/sensitivity-<scenario name>/):
  sensitivity.csv/.parquet  per parameter and headline metric: value at the low and high
                            end, Morris mu_star (mean |elementary effect|) and sigma, rank
  design.csv/.parquet       the design matrix (durations in minutes) with every point's
                            headline figures: read it with pandas or SALib
  tornado-<metric>.png/svg  one chart per headline figure some parameter moves
  report.md                 which parameters move each figure most
  runs/pNNN/                every design point's run folder

Example:
  tokensim sensitivity models/sensitivity-backup.toml \\
    --param platform.backup.switchover=30s..15m --param platform.backup.capacity_share=0.1..1";

/// Arguments of `sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// A parameter and its range: KEY=LO..HI; repeatable.
    #[arg(long, required = true, value_name = "KEY=LO..HI")]
    param: Vec<Param>,
    /// Morris trajectories (each runs parameters + 1 points).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=200))]
    trajectories: u32,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long)]
    threads: Option<usize>,
    /// Output folder (default: reports/sensitivity-<scenario name>).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Runs the design and writes the outputs.
pub fn sensitivity(args: SensitivityArgs) -> anyhow::Result<()> {
    let base = args.model.load()?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("sensitivity-{}", base.name)));
    let threads = args.threads.unwrap_or_else(crate::pipeline::pool::cores);
    let r = args.trajectories as usize;
    let points = sensitivity::design(&args.param, r, base.seed);
    let variants = sensitivity::variants(&args.param, &points)?;
    // Every point is checked before anything runs, so a bad range fails at once.
    for v in &variants {
        args.model
            .load_with(&v.sets)
            .with_context(|| format!("design point {} ({})", v.id, v.label))?;
    }
    let load = |sets: &[crate::scenario::Override]| args.model.load_with(sets);
    let headlines = run_variants(
        &variants,
        &load,
        threads,
        Some(&out.join("runs")),
        &|_, _, _| true,
    )
    .with_context(|| format!("the sensitivity runs into {} failed", out.display()))?;
    let md = sensitivity::write(&out, &args.param, &points, &headlines, r)
        .with_context(|| format!("cannot write the outputs in {}", out.display()))?;
    println!(
        "{} parameters, {} runs; sensitivity.csv, design.csv, tornado charts and {} in {}",
        args.param.len(),
        points.len(),
        md.display(),
        out.display()
    );
    Ok(())
}
