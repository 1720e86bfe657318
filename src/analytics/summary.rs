//! `summary.json` computed from a run's tables, with the same named functions the
//! report, sweep, compare and the TUI use: every figure has one definition, whether the
//! run is analysed in memory or its folder is read back by `tokensim report`.

mod exposure;
mod outages;

use super::breakdown::per_user;
use super::exprs::{self, num};
use super::{Result, RunTables, computing};
use crate::domain::PromptCause;
use crate::metrics::schema::{timeseries as ts, units as un, users as uc};
use crate::metrics::summary::{Blocked, Prompts, Summary};
use crate::sim::Outcome;
use polars::prelude::*;

pub use outages::{during_outages, outage_impacts};

/// Every figure of `summary.json` from `tables`.
pub fn summarize(tables: &RunTables) -> Result<Summary> {
    let s = &tables.scenario;
    let totals = Totals::of(tables)?;
    let prompts: u64 = totals.prompts.iter().map(|(_, n)| n).sum();
    Ok(Summary {
        scenario: s.name.clone(),
        source: s.source.clone(),
        seed: s.seed,
        start: s.start.format("%Y-%m-%dT%H:%M").to_string(),
        users: s.users,
        apps: tables.users.height() as u64,
        horizon_days: s.horizon_days(),
        scale_units: s.scale_units,
        events_processed: unit_sum(tables, un::RUN, None, un::EVENTS)? as u64,
        token_requests: totals.requests.into_iter().collect(),
        prompts: Prompts {
            total: prompts,
            per_user_month: prompts as f64 / s.users as f64 / tables.months(),
            by_cause: totals.prompts.into_iter().collect(),
            shared_sign_in_apps: unit_sum(tables, un::RUN, None, un::SHARED_SIGN_IN_APPS)? as u64,
        },
        blocked: Blocked {
            users: totals.blocked_users,
            user_minutes: totals.blocked_minutes,
            calls_failed: totals.calls_failed,
        },
        minutes_wanted: totals.minutes_wanted,
        peak_offered_per_minute: peak_offered(tables)?,
        outages: outage_impacts(tables)?,
        during_outages: during_outages(tables)?,
        exposure: exposure::exposure(tables)?,
        replications: tables.summary.as_ref().and_then(|v| v.replications.clone()),
    })
}

/// The run-wide sums over `users.csv`.
struct Totals {
    requests: Vec<(String, u64)>,
    prompts: Vec<(String, u64)>,
    blocked_users: u64,
    blocked_minutes: f64,
    calls_failed: u64,
    minutes_wanted: f64,
}

impl Totals {
    fn of(tables: &RunTables) -> Result<Totals> {
        const WHAT: &str = "the summary's totals";
        let requests: Vec<String> = Outcome::ALL.iter().map(|o| o.label().into()).collect();
        let causes: Vec<String> = PromptCause::ALL.iter().map(|c| c.label().into()).collect();
        let mut sums: Vec<Expr> = requests
            .iter()
            .map(|l| format!("{}{l}", uc::REQUESTS_PREFIX))
            .chain(causes.iter().map(|l| format!("{}{l}", uc::PROMPTS_PREFIX)))
            .map(|c| num(&c).sum().alias(c))
            .collect();
        sums.push(num(uc::CALLS_FAILED).sum().alias(uc::CALLS_FAILED));
        let apps = computing(WHAT, tables.users.clone().lazy().select(sums).collect())?;
        let users = computing(
            WHAT,
            per_user(tables)
                .select([
                    exprs::user_blocked().sum().alias(un::USERS_BLOCKED),
                    num(uc::USER_MINUTES_BLOCKED)
                        .sum()
                        .alias(uc::USER_MINUTES_BLOCKED),
                    num(uc::MINUTES_WANTED).sum().alias(uc::MINUTES_WANTED),
                ])
                .collect(),
        )?;
        let count = |df: &DataFrame, c: &str| scalar(df, c).map(|v| v.unwrap_or(0.0) as u64);
        let counts = |prefix: &str, labels: Vec<String>| -> Result<Vec<(String, u64)>> {
            labels
                .into_iter()
                .map(|l| Ok((l.clone(), count(&apps, &format!("{prefix}{l}"))?)))
                .collect()
        };
        Ok(Totals {
            requests: counts(uc::REQUESTS_PREFIX, requests)?,
            prompts: counts(uc::PROMPTS_PREFIX, causes)?,
            blocked_users: count(&users, un::USERS_BLOCKED)?,
            blocked_minutes: hundredths(scalar(&users, uc::USER_MINUTES_BLOCKED)?),
            calls_failed: count(&apps, uc::CALLS_FAILED)?,
            minutes_wanted: hundredths(scalar(&users, uc::MINUTES_WANTED)?),
        })
    }
}

/// The highest requests offered to the whole platform in one minute.
pub fn peak_offered(tables: &RunTables) -> Result<u64> {
    let df = computing(
        "the peak offered load",
        tables
            .timeseries
            .clone()
            .lazy()
            .group_by([col(ts::MINUTE)])
            .agg([num(ts::OFFERED).sum()])
            .select([col(ts::OFFERED).max()])
            .collect(),
    )?;
    Ok(scalar(&df, ts::OFFERED)?.unwrap_or(0.0) as u64)
}

/// The sum of `column` over the `units` rows of kind `window` (and incident `incident`).
fn unit_sum(
    tables: &RunTables,
    window: &str,
    incident: Option<usize>,
    column: &str,
) -> Result<f64> {
    let mut rows = col(un::WINDOW).cast(DataType::String).eq(lit(window));
    if let Some(k) = incident {
        rows = rows.and(num(un::INCIDENT).eq(lit(k as f64)));
    }
    let df = computing(
        "the units table",
        tables
            .units
            .clone()
            .lazy()
            .filter(rows)
            .select([num(column).sum()])
            .collect(),
    )?;
    Ok(scalar(&df, column)?.unwrap_or(0.0))
}

/// The value of `column` in the first row of `df`, as `f64`.
fn scalar(df: &DataFrame, column: &str) -> Result<Option<f64>> {
    const WHAT: &str = "a summary figure";
    let c = computing(WHAT, df.column(column))?;
    let c = computing(WHAT, c.cast(&DataType::Float64))?;
    Ok(computing(WHAT, c.f64())?.get(0))
}

/// A sum of hundredths of a minute, without the float noise of adding them up.
fn hundredths(minutes: Option<f64>) -> f64 {
    (minutes.unwrap_or(0.0) * 100.0).round() / 100.0
}
