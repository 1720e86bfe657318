//! `tokensim compare A B`: headline figures of two runs side by side, with differences.
//! A and B are run folders, or model files that are run first and analysed in memory.
//! With `--replications N`, both models run with the same replication seeds (common
//! random numbers) and each difference gets its paired CI.

use super::model_args::Replicate;
use crate::analytics::headline::{format_value, of_run, of_tables};
use crate::analytics::replication::paired_table;
use crate::analytics::{Headline, METRICS, Table};
use crate::pipeline::replicate::replicate;
use crate::scenario;
use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// First run folder or model file.
    pub a: PathBuf,
    /// Second run folder or model file.
    pub b: PathBuf,
    /// Worker threads for models that must be run first.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Replications of both models (model files only), paired by seed.
    #[command(flatten)]
    pub replicate: Replicate,
}

/// Prints the comparison.
pub fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let threads = args.threads.unwrap_or_else(crate::pipeline::pool::cores);
    if args.replicate.replicated() {
        return paired(&args, threads);
    }
    let a = headline(&args.a, threads)?;
    let b = headline(&args.b, threads)?;
    print!(
        "{}",
        table(
            &a,
            &b,
            &args.a.display().to_string(),
            &args.b.display().to_string()
        )
        .markdown()
    );
    Ok(())
}

fn headline(path: &Path, threads: usize) -> anyhow::Result<Headline> {
    if path.is_dir() {
        return of_run(path).with_context(|| format!("cannot read the run in {}", path.display()));
    }
    let scenario = scenario::load_file(path, &[])?;
    let units = crate::pipeline::all_units(&scenario);
    let tables = crate::pipeline::simulate_tables(&scenario, &units, threads, &|_| true)?;
    of_tables(&tables).with_context(|| format!("cannot analyse the run of {}", path.display()))
}

/// Runs both models with the same replication seeds (the base seed is A's) and prints
/// the paired differences.
fn paired(args: &CompareArgs, threads: usize) -> anyhow::Result<()> {
    let plan = args.replicate.plan()?;
    for p in [&args.a, &args.b] {
        if p.is_dir() {
            anyhow::bail!(
                "{} is a run folder; --replications needs model files, which are run with paired seeds",
                p.display()
            );
        }
    }
    let seed = scenario::load_file(&args.a, &[])?.seed;
    let same_seed: scenario::Override = format!("scenario.seed={seed}").parse()?;
    let mut runs = Vec::new();
    for path in [&args.a, &args.b] {
        let load = |sets: &[scenario::Override]| {
            let mut all = vec![same_seed.clone()];
            all.extend_from_slice(sets);
            scenario::load_file(path, &all)
        };
        // Nothing is written: the headlines come from the tables in memory.
        let done = replicate(Vec::new(), seed, plan, &load, threads, None, &|_, _, _| {
            true
        });
        runs.push(done.with_context(|| format!("cannot replicate {}", path.display()))?);
    }
    let (a, b) = (&runs[0].0, &runs[1].0);
    let n = a.len().min(b.len());
    println!(
        "{n} paired replications (same seeds for A and B, from A's seed {seed}); B − A is {}\n",
        crate::metrics::stats::METHOD
            .replace("mean of the replications", "the mean paired difference")
    );
    let names = (args.a.display().to_string(), args.b.display().to_string());
    print!(
        "{}",
        paired_table(&a[..n], &b[..n], (&names.0, &names.1)).markdown()
    );
    Ok(())
}

/// The side-by-side table: metric, A, B, B − A, and the change in percent.
pub fn table(a: &Headline, b: &Headline, name_a: &str, name_b: &str) -> Table {
    let rows = METRICS
        .iter()
        .zip(a.values.iter().zip(&b.values))
        .map(|(m, (x, y))| {
            let diff = x.zip(*y).map(|(x, y)| y - x);
            let pct = x
                .zip(*y)
                .and_then(|(x, y)| (x != 0.0).then(|| (y - x) / x.abs() * 100.0));
            vec![
                m.label.to_string(),
                format_value(*x),
                format_value(*y),
                format_value(diff),
                pct.map_or("NA".into(), |p| format!("{p:+.1} %")),
            ]
        })
        .collect();
    Table {
        header: vec![
            "metric".into(),
            format!("A: {name_a}"),
            format!("B: {name_b}"),
            "B − A".into(),
            "change".into(),
        ],
        rows,
    }
}
