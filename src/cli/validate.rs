//! `tokensim validate MODEL --against signins.json`: simulate the model over the logs'
//! period and compare per app and per hour of the week, with a verdict per app.

use super::model_args::{ModelArgs, Threads};
use crate::analytics::Table;
use crate::import::{
    self,
    validate::{self, AppComparison},
};
use crate::metrics::atomic;
use anyhow::Context;
use clap::Args;
use std::fmt::Write;
use std::path::PathBuf;

pub(super) const HELP: &str = "\
The model runs from the hour of the first record to the hour after the last (its
scenario.start and horizon are replaced). Per app: silent token requests and
successful interactive sign-ins per user-week, error-code shares and the backup-served share;
'within' when both rates differ by at most max(3 standard errors, 10 %).
Writes validate.md, validate.csv, validate-hours.csv and one chart per app into --out.

Examples:
  tokensim validate tenant.toml --against signins.json
  tokensim validate tenant.toml --against a.json --against b.json --out reports/validate";

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Sign-in log exports to compare with; repeatable.
    #[arg(long, value_name = "FILE", required = true)]
    pub against: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "reports/validate")]
    pub out: PathBuf,
    #[command(flatten)]
    threads: Threads,
}

/// Runs the command; fails (exit 1) when any app is outside its tolerance.
pub fn validate(args: ValidateArgs) -> anyhow::Result<()> {
    let (log, _) = import::read_signins(&args.against)?;
    let (start, end) = log.hours().context("the logs hold no record")?;
    let at = chrono::DateTime::from_timestamp_millis(start).context("record time out of range")?;
    let mut model = args.model.clone();
    model
        .set
        .push(format!("scenario.start={}", at.format("%Y-%m-%dT%H:%M")).parse()?);
    model.set.push(
        format!(
            "scenario.horizon={}",
            crate::engine::SimDuration((end - start) as u64)
        )
        .parse()?,
    );
    let scenario = model.load()?;
    let apps = validate::compare(&scenario, &log, args.threads.get())?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let table = table(&apps);
    let md = format!(
        "# Validation against {}\n\n{}\n{}",
        files(&args.against),
        table.markdown(),
        TOLERANCE
    );
    atomic::write_bytes(&args.out.join("validate.md"), md.as_bytes())?;
    atomic::write_bytes(&args.out.join("validate.csv"), csv(&table).as_bytes())?;
    atomic::write_bytes(
        &args.out.join("validate-hours.csv"),
        hours(&apps).as_bytes(),
    )?;
    for a in &apps {
        import::chart::save(a, &args.out).map_err(anyhow::Error::msg)?;
    }
    print!("{}", table.markdown());
    let outside = apps.iter().filter(|a| !a.within()).count();
    println!(
        "{} of {} apps within tolerance; details in {}",
        apps.len() - outside,
        apps.len(),
        args.out.display()
    );
    if outside > 0 {
        anyhow::bail!(
            "{outside} apps are outside their tolerance: the model does not reproduce the logs"
        );
    }
    Ok(())
}

const TOLERANCE: &str = "\
Tolerance: max(3 standard errors of the difference of the per-user means, 10 % of the
logs' value). 3 σ bounds the sampling noise of both sides (a correct model is flagged
about once in 370 apps); the 10 % floor stands for what a model of a real tenant can be
expected to match, since the logs are one draw of a real population, not of the model.\n";

fn files(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn errors(side: &validate::Side) -> String {
    if side.errors.is_empty() {
        return "–".into();
    }
    side.errors
        .iter()
        .map(|(c, s)| format!("{c}: {:.2} %", s * 100.0))
        .collect::<Vec<_>>()
        .join("; ")
}

fn table(apps: &[AppComparison]) -> Table {
    let header = [
        "app",
        "users (logs / model)",
        "silent requests per user-week (logs)",
        "(simulated)",
        "± allowed",
        "sign-ins per user-week (logs)",
        "(simulated)",
        "± allowed",
        "error codes (logs)",
        "(simulated)",
        "backup-served (logs / simulated)",
        "verdict",
    ];
    Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: apps
            .iter()
            .map(|a| {
                vec![
                    a.app.clone(),
                    format!("{} / {}", a.logs.users, a.sim.users),
                    format!("{:.2}", a.logs.silent),
                    format!("{:.2}", a.sim.silent),
                    format!("{:.2}", a.silent_tolerance),
                    format!("{:.3}", a.logs.prompts),
                    format!("{:.3}", a.sim.prompts),
                    format!("{:.3}", a.prompts_tolerance),
                    errors(&a.logs),
                    errors(&a.sim),
                    format!(
                        "{:.2} % / {:.2} %",
                        a.logs.backup * 100.0,
                        a.sim.backup * 100.0
                    ),
                    a.verdict().to_string(),
                ]
            })
            .collect(),
    }
}

fn csv(table: &Table) -> String {
    let quote = |c: &String| format!("\"{}\"", c.replace('"', "\"\""));
    let mut out = String::new();
    for row in std::iter::once(&table.header).chain(&table.rows) {
        let _ = writeln!(
            out,
            "{}",
            row.iter().map(quote).collect::<Vec<_>>().join(",")
        );
    }
    out
}

fn hours(apps: &[AppComparison]) -> String {
    let mut out = String::from("app,hour_of_week,logs_per_user,simulated_per_user\n");
    for a in apps {
        for h in 0..a.logs.per_hour.len() {
            let _ = writeln!(
                out,
                "{},{h},{:.5},{:.5}",
                a.app, a.logs.per_hour[h], a.sim.per_hour[h]
            );
        }
    }
    out
}
