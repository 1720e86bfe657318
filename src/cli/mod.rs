//! The `tokensim` commands. Arguments are parsed by clap here; each command lives in
//! its own file and returns an error that `main` prints with its causes.

mod check;
mod compare;
mod import;
mod matrix;
pub(crate) mod memory;
mod merge;
mod model_args;
mod report;
mod run;
mod sensitivity;
pub(crate) mod shard;
mod sweep;
pub(crate) mod sweep_shard;
mod trace;
mod tui;
mod validate;

use clap::{Parser, Subcommand};

pub use model_args::ModelArgs;

/// tokensim: what token lifetimes, revocation, CAE, client behaviour and outages of
/// the token service do to your users, your service and your exposure.
#[derive(Debug, Parser)]
#[command(name = "tokensim", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  tokensim run                                   run the embedded default scenario
  tokensim run models/retry-storm.toml --threads 2 --out reports/storm
  tokensim run --set policy.access_token.lifetime_min=2h --set policy.access_token.lifetime_max=2h
  tokensim check models/*.toml                   validate model files
  tokensim matrix                                print the revocation matrix
  tokensim tui --set scenario.horizon=7d         explore the default scenario interactively
  tokensim report reports/default                re-render a run's report from its tables
  tokensim run --shard 0/4 --out out/run         one of four shards; then tokensim merge out/run
  tokensim sweep models/sweep-global-outage.toml --vary policy.access_token.lifetime_max=1h,4h
  tokensim compare reports/a reports/b           headline figures side by side
  tokensim import --signins signins.json --out tenant.toml   a model from your tenant's exports
  tokensim validate tenant.toml --against signins.json      the model's simulation against the logs
  tokensim run --replications 10                 every headline figure with its 95 % CI
  tokensim compare a.toml b.toml --replications 10   paired differences on the same seeds
  tokensim sensitivity models/sensitivity-backup.toml --param platform.backup.switchover=30s..30m";

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write summary.json, users.csv, timeseries.csv and revocations.csv.
    #[command(after_help = run::HELP)]
    Run(run::RunArgs),
    /// Validate model files; every error names the file, the field and the bad value.
    #[command(after_help = check::HELP)]
    Check(check::CheckArgs),
    /// Run one client app against a scripted timeline of platform answers and print
    /// every app call and every request that reaches the platform, to the second.
    #[command(after_help = trace::HELP)]
    Trace(trace::TraceArgs),
    /// Print the revocation matrix: which events revoke which refresh tokens and cookies.
    Matrix(matrix::MatrixArgs),
    /// Explore a scenario interactively: change levers, see the impact at once.
    #[command(after_help = tui::HELP)]
    Tui(tui::TuiArgs),
    /// Re-render a run folder's analytics tables, charts and report.md from its tables.
    Report(report::ReportArgs),
    /// Join the shards of a run (`run --shard I/N`) into the run's tables and report,
    /// or of a sweep (`sweep … --shard I/N`) into its sweep.csv, frontier and sweep.md.
    Merge(merge::MergeArgs),
    /// Run a grid of variants of a model and chart the trade-off frontier.
    #[command(after_help = sweep::HELP)]
    Sweep(sweep::SweepArgs),
    /// Compare the headline figures of two run folders or two models.
    Compare(compare::CompareArgs),
    /// Build a model from a tenant's Graph exports (sign-in logs, Conditional Access and
    /// token lifetime policies), with an import report.
    #[command(after_help = import::HELP)]
    Import(import::ImportArgs),
    /// Simulate a model over the period of sign-in logs and compare per app and hour of week.
    #[command(after_help = validate::HELP)]
    Validate(validate::ValidateArgs),
    /// Which parameters move the headline figures: one-at-a-time and Morris screening.
    #[command(after_help = sensitivity::HELP)]
    Sensitivity(sensitivity::SensitivityArgs),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Check(args) => check::check(args),
        Command::Trace(args) => trace::trace(args),
        Command::Matrix(args) => matrix::matrix(args),
        Command::Tui(args) => tui::tui(args),
        Command::Report(args) => report::report(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Compare(args) => compare::compare(args),
        Command::Merge(args) => merge::merge(args),
        Command::Import(args) => import::import(args),
        Command::Validate(args) => validate::validate(args),
        Command::Sensitivity(args) => sensitivity::sensitivity(args),
    }
}
