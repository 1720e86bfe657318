//! `tokensim run`: simulate a scenario, print the summary, write the tables.

use super::memory::MemoryGuard;
use super::model_args::{ModelArgs, Replicate, Threads};
use super::shard::ShardArgs;
use crate::analytics::headline::of_tables;
use crate::analytics::replication::{advice, table};
use crate::metrics::store::Formats;
use crate::pipeline::folder::Staged;
use crate::pipeline::merge::write_shard;
use crate::pipeline::replicate::{Plan, replicate};
use crate::pipeline::shard::Shard;
use crate::pipeline::{all_units, simulate_tables};
use crate::sim::progress_total;
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(super) const HELP: &str = "\
Outputs (in --out, default reports/<scenario name>/), written as a whole: into a hidden
sibling folder swapped in at the end, so a killed run leaves the old run or the new one:
  summary.json     headline figures: requests by outcome, prompts by cause, blocked users
                   and user-minutes, per outage: users blocked, recovery time, peak load,
                   and exposure: measure (a) for revoked sessions, (b) share left alive,
                   per event kind and attacker model, with the headline sentences
  users, timeseries, revocations, segment_timeseries: the run's tables, each as Parquet
                   (.parquet, what `tokensim report` reads) and as CSV (.csv, the same
                   columns; not with --no-csv)
  users.csv        one row per user and app: minutes wanted and blocked, requests, prompts
  timeseries.csv   one row per minute and scale unit: offered/admitted load, capacity,
                   429s, failures, backup-served, active and blocked users
  revocations.csv  one row per access-cutting event and app of its user: token classes
                   revoked and left alive, fate, CAE, Token Protection, and per
                   attacker model the measure (tail / left-alive / nothing) and minutes
  segment_timeseries.csv, model.toml   blocked users per segment; the effective model
  report.md        the report, with charts (PNG, SVG) and analytics tables (CSV, Parquet)
  shard=I/         with --shard I/N: only units u with u % N == I, their tables as
                   Parquet, model.toml and manifest.json (model hash, seed, shard,
                   units, version, rows); `tokensim merge OUT` checks and joins the N
                   shards into the run's tables, summary.json and report
  replications/rNN/  with --replications N > 1: the tables of replications 2..N; the run
                   folder itself is replication 1 (the base seed), and summary.json gains
                   a `replications` object: seeds and, per headline figure, mean, sd and
                   the Student-t 95 % CI (n − 1 degrees of freedom)

Examples:
  tokensim run
  tokensim run models/global-outage-2020.toml --threads 2
  tokensim run --set 'outage.0.start=2026-03-10T14:00' --seed 7 --out reports/tuesday
  tokensim run models/global-outage-2020.toml --replications 10
  tokensim run --replications 5 --target-precision 0.1 --max-replications 40
  tokensim run models/global-outage-2020.toml --shard 1/4 --out out/global";

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    threads: Threads,
    #[command(flatten)]
    memory: MemoryGuard,
    #[command(flatten)]
    replicate: Replicate,
    /// Output folder (default: reports/<scenario name>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the run's tables as Parquet only, without their CSV copies.
    #[arg(long)]
    no_csv: bool,
    #[command(flatten)]
    shard: ShardArgs,
}

/// Runs the scenario end to end.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let plan = args.replicate.plan()?;
    let scenario = args.model.load()?;
    let base_seed = scenario.seed;
    let threads = args.threads.get();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&scenario.name));
    // Before simulating: a run too big for the machine or a bad --out fails now, not
    // after the whole run. Replications after the first run one per thread.
    let concurrent = if plan.n > 1 { threads.max(1) as u64 } else { 1 };
    args.memory.check(&scenario, concurrent)?;
    if let Some(shard) = args.shard.get()? {
        if args.replicate.replicated() {
            anyhow::bail!("--shard runs one slice of one run; replicate with a sweep instead");
        }
        return run_shard(scenario, shard, threads, &out);
    }
    let staged = Staged::prepare(&out)
        .with_context(|| format!("cannot write the outputs to {}", out.display()))?;
    let bar = ProgressBar::new(progress_total(&scenario) * plan.n as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} simulating {msg} [{bar:30}] {pos}/{len} unit-days, {elapsed} (eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(scenario.name.clone());
    let started = Instant::now();
    let tables = simulate_tables(&scenario, &all_units(&scenario), threads, &|n| {
        bar.inc(n);
        true
    })?;
    let mut elapsed = started.elapsed();
    let dir = staged.path();
    let mut replications = None;
    if args.replicate.replicated() {
        let first = of_tables(&tables)?;
        replications = Some(replicated(&args, plan, base_seed, first, dir, &bar)?);
        elapsed = started.elapsed();
    }
    bar.finish_and_clear();
    let formats = Formats { csv: !args.no_csv };
    let summary = crate::pipeline::save(&tables, replications, dir, formats, threads)
        .with_context(|| format!("cannot write the outputs to {}", out.display()))?;
    staged
        .commit()
        .with_context(|| format!("cannot write the outputs to {}", out.display()))?;
    let report = out.join(crate::report::REPORT_MD);
    print!("{summary}");
    if let Some(r) = &summary.replications {
        print_replications(r);
        println!(
            "  {} replications simulated and written in {:.1} s; outputs in {}",
            r.n,
            elapsed.as_secs_f64(),
            out.display()
        );
    } else {
        println!(
            "  simulated in {:.1} s ({:.1} M events/s); outputs in {}",
            elapsed.as_secs_f64(),
            summary.events_processed as f64 / elapsed.as_secs_f64().max(1e-9) / 1e6,
            out.display()
        );
    }
    println!("  report: {}", report.display());
    Ok(())
}

/// Runs the units of `shard` and writes them into `out/shard=I/`.
fn run_shard(
    scenario: crate::scenario::Scenario,
    shard: Shard,
    threads: usize,
    out: &Path,
) -> anyhow::Result<()> {
    let units = shard.units(&scenario);
    let bar = ProgressBar::new(crate::sim::unit_days(&scenario) * units.len() as u64);
    let started = Instant::now();
    let tables = simulate_tables(&scenario, &units, threads, &|n| {
        bar.inc(n);
        true
    })?;
    bar.finish_and_clear();
    let dir = write_shard(out, shard, &tables, threads)
        .with_context(|| format!("cannot write shard {shard} into {}", out.display()))?;
    println!(
        "shard {shard}: {} of {} units simulated in {:.1} s; tables in {}",
        units.len(),
        scenario.scale_units,
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}

/// Runs replications 2..N into `out/replications/` and returns the figures across
/// all of them (`first` is the headline of replication 1, the run itself).
fn replicated(
    args: &RunArgs,
    plan: Plan,
    base_seed: u64,
    first: crate::analytics::Headline,
    out: &Path,
    bar: &ProgressBar,
) -> anyhow::Result<crate::metrics::stats::Replications> {
    let load = |sets: &[crate::scenario::Override]| args.model.load_with(sets);
    let runs = out.join(crate::metrics::schema::REPLICATIONS_DIR);
    let (_, figures) = replicate(
        vec![first],
        base_seed,
        plan,
        &load,
        args.threads.get(),
        Some(&runs),
        &|_, _, n| {
            bar.inc(n);
            true
        },
    )
    .with_context(|| format!("the replications into {} failed", runs.display()))?;
    Ok(figures)
}

fn print_replications(r: &crate::metrics::stats::Replications) {
    println!("  {} replications ({}):", r.n, r.method);
    print!("{}", table(r).markdown());
    for line in advice(r) {
        println!("  note: {line}");
    }
}
