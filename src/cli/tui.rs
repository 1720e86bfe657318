//! `tokensim tui`: explore a scenario interactively in the terminal.

use super::memory::MemoryGuard;
use super::model_args::{ModelArgs, Threads};
use crate::tui::{self, Base, Paths};
use clap::Args;
use std::path::PathBuf;

pub(super) const HELP: &str = "\
Tabs: Levers (change the parameters that matter), Timeline (load, capacity and blocked
users per minute, outage shaded, a cursor showing one minute's figures), Impact (headline
figures and per-segment / per-profile tables beside the model as loaded), Exposure
(revocation exposure, CAE vs non-CAE), User (the worst affected users and the timeline of
one of them). Every lever change re-runs the simulation in the background.

Keys: ? key map, Tab/1-5 tabs, s save the levers as a model file, e export the run's
outputs as `tokensim run` writes them, n replications per run (1, 3, 5, 10; the seeds of
`tokensim run --replications N`, and Impact shows each headline figure as mean ± 95 % CI
half-width), q or Esc quit.

Examples:
  tokensim tui
  tokensim tui models/default.toml --set scenario.horizon=7d
  tokensim tui --set scenario.users=2000 --save my-levers.toml";

/// Arguments of `tui`.
#[derive(Debug, Args)]
pub struct TuiArgs {
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    threads: Threads,
    #[command(flatten)]
    memory: MemoryGuard,
    /// Folder for `e` (export; default: reports/<scenario name>-tui).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Model file written by `s` (save; default: <scenario name>-tui.toml).
    #[arg(long)]
    save: Option<PathBuf>,
}

/// Loads the model, checks it, and runs the terminal UI until the user quits.
pub fn tui(args: TuiArgs) -> anyhow::Result<()> {
    let (text, label) = args.model.text()?;
    let base = Base::new(text, label, args.model.overrides()?)?;
    // Before the terminal is taken over: a failed allocation would abort the process
    // and leave the terminal on the alternate screen.
    args.memory.check(base.scenario(), 1)?;
    let name = base.scenario().name.clone();
    let paths = Paths {
        export: args
            .out
            .unwrap_or_else(|| PathBuf::from("reports").join(format!("{name}-tui"))),
        save: args
            .save
            .unwrap_or_else(|| PathBuf::from(format!("{name}-tui.toml"))),
    };
    tui::run(base, paths, args.threads.get())?;
    Ok(())
}
