//! `tokensim run`: simulate a scenario, print the summary, write the tables.

use super::memory::MemoryGuard;
use super::model_args::{ModelArgs, Threads};
use crate::metrics::RunResult;
use crate::report::folder::{Staged, write_run};
use crate::sim::progress_total;
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Instant;

pub(super) const HELP: &str = "\
Outputs (in --out, default reports/<scenario name>/), written as a whole: into a hidden
sibling folder swapped in at the end, so a killed run leaves the old run or the new one:
  summary.json     headline figures: requests by outcome, prompts by cause, blocked users
                   and user-minutes, per outage: users blocked, recovery time, peak load,
                   and exposure: measure (a) for revoked sessions, (b) share left alive,
                   per event kind and attacker model, with the headline sentences
  users.csv        one row per user and app: minutes wanted and blocked, requests, prompts
  timeseries.csv   one row per minute and scale unit: offered/admitted load, capacity,
                   429s, failures, backup-served, active and blocked users
  revocations.csv  one row per access-cutting event and app of its user: token classes
                   revoked and left alive, fate, CAE, Token Protection, and per
                   attacker model the measure (tail / left-alive / nothing) and minutes
  segment_timeseries.csv, model.toml   blocked users per segment; the effective model
  report.md        the report, with charts (PNG, SVG) and analytics tables (CSV, Parquet)

Examples:
  tokensim run
  tokensim run models/global-outage-2020.toml --threads 2
  tokensim run --set 'outage.0.start=2026-03-10T14:00' --seed 7 --out reports/tuesday";

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    threads: Threads,
    #[command(flatten)]
    memory: MemoryGuard,
    /// Output folder (default: reports/<scenario name>).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Runs the scenario end to end.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let scenario = args.model.load()?;
    let threads = args.threads.get();
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("reports").join(&scenario.name));
    // Before simulating: a run too big for the machine or a bad --out fails now, not
    // after the whole run.
    args.memory.check(&scenario, 1)?;
    let staged = Staged::prepare(&out)
        .with_context(|| format!("cannot write the outputs to {}", out.display()))?;
    let bar = ProgressBar::new(progress_total(&scenario));
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} simulating {msg} [{bar:30}] {pos}/{len} unit-days, {elapsed} (eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(scenario.name.clone());
    let started = Instant::now();
    let result = RunResult::simulate(scenario, threads, &|n| {
        bar.inc(n);
        true
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let events = result.events();
    let summary = write_run(result, staged.path())
        .and_then(|summary| staged.commit().map(|_| summary))
        .with_context(|| format!("cannot write the outputs to {}", out.display()))?;
    let report = out.join(crate::report::REPORT_MD);
    print!("{summary}");
    println!(
        "  simulated in {:.1} s ({:.1} M events/s); outputs in {}",
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64().max(1e-9) / 1e6,
        out.display()
    );
    println!("  report: {}", report.display());
    Ok(())
}
