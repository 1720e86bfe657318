//! The headline figures of a run, one value per [`Metric`]: the row of a sweep, the
//! lines of a comparison, the first table of a report.

use super::percentiles::{BLOCKED_PER_USER, METRIC, P95};
use crate::metrics::Summary;
use polars::prelude::*;

/// A headline metric: its column name in `sweep.csv` and its label with unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// Column name (also the value of `--x`/`--y` of a sweep).
    pub key: &'static str,
    /// Human label with its unit.
    pub label: &'static str,
}

const fn metric(key: &'static str, label: &'static str) -> Metric {
    Metric { key, label }
}

/// Every headline metric, in table order.
pub const METRICS: [Metric; 14] = [
    metric("users", "users"),
    metric("blocked_users", "users blocked at least once"),
    metric("blocked_user_minutes", "blocked user-minutes"),
    metric("calls_failed", "app calls that got no token"),
    metric("outage_users_blocked", "users blocked during outages"),
    metric(
        "outage_blocked_user_minutes",
        "outage impact (blocked user-minutes)",
    ),
    metric("recovery_minutes", "slowest recovery after an outage (min)"),
    metric("peak_load_ratio", "peak load after an outage (× capacity)"),
    metric(
        "blocked_p95_minutes",
        "p95 blocked minutes per blocked user",
    ),
    metric("prompts_per_user_month", "prompts per user-month"),
    metric("requests_429", "token requests answered 429"),
    metric(
        "backup_share",
        "share of tokens issued by the backup service",
    ),
    metric(
        "exposure_p95_minutes",
        "p95 exposure of revoked sessions, headline events and attacker (min)",
    ),
    metric(
        "exposure_left_alive_share",
        "share of sessions the headline events leave alive",
    ),
];

/// Position of the metric `key` in [`METRICS`], or the list of keys.
pub fn metric_index(key: &str) -> Result<usize, String> {
    METRICS.iter().position(|m| m.key == key).ok_or_else(|| {
        let keys: Vec<&str> = METRICS.iter().map(|m| m.key).collect();
        format!("'{key}' is not a metric (use one of {})", keys.join(", "))
    })
}

/// The headline values of one run, indexed like [`METRICS`]; `None` is not available
/// (no outage, nothing blocked, no revocations, or never recovered).
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// One value per metric.
    pub values: [Option<f64>; METRICS.len()],
}

impl Headline {
    /// The headline of a run from its summary and its percentiles table.
    pub fn new(summary: &Summary, percentiles: &DataFrame) -> Headline {
        let outages = &summary.outages;
        let requests = |k: &str| summary.token_requests.get(k).copied().unwrap_or(0) as f64;
        let issued = requests("ok") + requests("backup");
        let any = !outages.is_empty();
        let during = summary.during_outages.as_ref();
        let recovery = if outages.iter().all(|o| o.recovery_minutes.is_some()) {
            outages.iter().filter_map(|o| o.recovery_minutes).max()
        } else {
            None
        };
        let values = [
            Some(f64::from(summary.users)),
            Some(summary.blocked.users as f64),
            Some(summary.blocked.user_minutes),
            Some(summary.blocked.calls_failed as f64),
            during.map(|d| d.users_blocked as f64),
            during.map(|d| d.blocked_user_minutes),
            recovery.map(|m| m as f64),
            any.then(|| {
                outages
                    .iter()
                    .map(|o| o.peak_load_ratio)
                    .fold(0.0, f64::max)
            }),
            pick(percentiles, BLOCKED_PER_USER, P95),
            Some(summary.prompts.per_user_month),
            Some(requests("429")),
            (issued > 0.0).then(|| requests("backup") / issued),
            summary.exposure.all.p95_minutes,
            summary.exposure.left_alive_share,
        ];
        Headline { values }
    }

    /// The value of the metric `key`.
    pub fn get(&self, key: &str) -> Result<Option<f64>, String> {
        metric_index(key).map(|i| self.values[i])
    }
}

/// The value of `column` in the row whose `metric` is `metric`, if any.
fn pick(df: &DataFrame, metric: &str, column: &str) -> Option<f64> {
    let names = df.column(METRIC).ok()?.str().ok()?;
    let row = names.iter().position(|n| n == Some(metric))?;
    df.column(column).ok()?.f64().ok()?.get(row)
}

/// Formats a headline value for tables: NA when missing, integers without decimals.
pub fn format_value(v: Option<f64>) -> String {
    match v {
        None => "NA".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Some(x) if x.abs() < 10.0 => format!("{x:.3}"),
        Some(x) => format!("{x:.1}"),
    }
}

/// The headline of the run folder `dir` (reads its tables; writes nothing).
pub fn of_run(dir: &std::path::Path) -> super::Result<Headline> {
    of_tables(&super::RunTables::load(dir)?)
}

/// The headline of a run's tables.
pub fn of_tables(tables: &super::RunTables) -> super::Result<Headline> {
    of_summary(tables, &super::summary::summarize(tables)?)
}

/// The headline of a run's tables whose `summary` is already computed (not again).
pub fn of_summary(tables: &super::RunTables, summary: &Summary) -> super::Result<Headline> {
    let percentiles = super::percentiles::percentiles(tables)?;
    Ok(Headline::new(summary, &percentiles))
}
