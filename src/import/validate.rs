//! `tokensim validate`: a model's simulation against sign-in logs, per app and per hour
//! of the week (UTC). Both sides are counted the same way: a silent token request that
//! completed at the service, an interactive sign-in, an error code, a backup-served
//! token (the simulation's side through [`super::synth::Rows`]).
//!
//! Verdict per app: *within* when silent requests and interactive sign-ins per
//! user-week each differ by at most the larger of 3 standard errors (sampling noise of
//! both means, from the per-user counts: a correct model falls outside 3 σ about once
//! in 370 apps) and 10 % of the logs' value (a floor for what a model of a tenant can
//! be expected to match: the logs are one draw of a real population, not of the model).

use super::fit;
use super::sessions;
use super::signins::SignInLog;
use super::synth::{self, Row};
use crate::domain::user::{HOURS_PER_WEEK, hour_of_week};
use crate::scenario::Scenario;
use crate::sim::RunError;
use std::collections::{BTreeMap, HashMap};

/// Standard errors allowed.
pub const Z: f64 = 3.0;
/// Relative floor of the tolerance.
pub const FLOOR: f64 = 0.10;

/// One side (logs or simulation) of one app.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// Users who have the app.
    pub users: u64,
    /// Silent requests per user and week, mean.
    pub silent: f64,
    /// Its standard error.
    pub silent_se: f64,
    /// Successful interactive sign-ins per user and week, mean.
    pub prompts: f64,
    /// Its standard error.
    pub prompts_se: f64,
    /// Share of records with each non-zero error code.
    pub errors: BTreeMap<i32, f64>,
    /// Share of records served by the backup service.
    pub backup: f64,
    /// Backup-served tokens per user and week, mean, and its standard error (an
    /// outage hits users together, so the per-user spread, not a binomial, is the noise).
    pub backup_per_user: (f64, f64),
    /// Silent requests per user in each hour of the week (mean over the weeks).
    pub per_hour: Vec<f64>,
}

/// One app's comparison.
#[derive(Debug, Clone)]
pub struct AppComparison {
    /// Model app name.
    pub app: String,
    /// From the logs.
    pub logs: Side,
    /// From the simulation.
    pub sim: Side,
    /// Allowed difference of silent requests per user-week.
    pub silent_tolerance: f64,
    /// Allowed difference of interactive sign-ins per user-week.
    pub prompts_tolerance: f64,
}

impl AppComparison {
    /// Whether both measures are within their tolerance.
    pub fn within(&self) -> bool {
        (self.sim.silent - self.logs.silent).abs() <= self.silent_tolerance
            && (self.sim.prompts - self.logs.prompts).abs() <= self.prompts_tolerance
    }

    /// `within` or `outside`.
    pub fn verdict(&self) -> &'static str {
        if self.within() { "within" } else { "outside" }
    }
}

/// One app's counts while they accumulate.
#[derive(Default)]
struct Tally {
    silent: HashMap<u32, u64>,
    prompts: HashMap<u32, u64>,
    errors: BTreeMap<i32, u64>,
    backup: u64,
    backup_users: HashMap<u32, u64>,
    records: u64,
    per_hour: Vec<u64>,
}

impl Tally {
    fn add(&mut self, user: u32, t_ms: i64, interactive: bool, error_code: i32, backup: bool) {
        if self.per_hour.is_empty() {
            self.per_hour = vec![0; HOURS_PER_WEEK];
        }
        self.records += 1;
        self.backup += backup as u64;
        if backup {
            *self.backup_users.entry(user).or_default() += 1;
        }
        if error_code != 0 {
            *self.errors.entry(error_code).or_default() += 1;
        }
        if interactive {
            // A sign-in interrupted for MFA or "stay signed in" logs a failed row
            // before the one that succeeds: only the successful one is a prompt.
            if error_code == 0 {
                *self.prompts.entry(user).or_default() += 1;
            }
        } else {
            *self.silent.entry(user).or_default() += 1;
            self.per_hour[hour_of_week(t_ms)] += 1;
        }
    }

    fn side(&self, users: u64, weeks: f64, hour_occurrences: &[f64]) -> Side {
        let records = self.records.max(1) as f64;
        Side {
            users,
            silent: mean(&self.silent, users) / weeks,
            silent_se: se(&self.silent, users) / weeks,
            prompts: mean(&self.prompts, users) / weeks,
            prompts_se: se(&self.prompts, users) / weeks,
            errors: self
                .errors
                .iter()
                .map(|(c, n)| (*c, *n as f64 / records))
                .collect(),
            backup: self.backup as f64 / records,
            backup_per_user: (
                mean(&self.backup_users, users) / weeks,
                se(&self.backup_users, users) / weeks,
            ),
            per_hour: (0..HOURS_PER_WEEK)
                .map(|h| {
                    let n = self.per_hour.get(h).copied().unwrap_or(0) as f64;
                    if hour_occurrences[h] > 0.0 {
                        n / users.max(1) as f64 / hour_occurrences[h]
                    } else {
                        0.0
                    }
                })
                .collect(),
        }
    }
}

fn mean(counts: &HashMap<u32, u64>, users: u64) -> f64 {
    counts.values().sum::<u64>() as f64 / users.max(1) as f64
}

/// Standard error of the per-user mean, users without a record counting 0.
fn se(counts: &HashMap<u32, u64>, users: u64) -> f64 {
    if users < 2 {
        return 0.0;
    }
    let m = mean(counts, users);
    let n = users as f64;
    let present: f64 = counts.values().map(|&c| (c as f64 - m).powi(2)).sum();
    let absent = (n - counts.len() as f64).max(0.0) * m * m;
    ((present + absent) / (n - 1.0) / n).sqrt()
}

/// Simulates `scenario` (whose start and horizon should be the logs' period) and
/// compares it with `log`, app by app (by model app name), in name order.
pub fn compare(
    scenario: &Scenario,
    log: &SignInLog,
    threads: usize,
) -> Result<Vec<AppComparison>, RunError> {
    let start = scenario.start_unix_ms();
    let end = start + scenario.horizon.as_millis() as i64;
    let weeks = scenario.horizon.as_millis() as f64 / (7 * crate::engine::time::MS_PER_DAY) as f64;
    let occurrences = sessions::hours_of_week(start, end);
    let names = fit::app_names(&log.apps);
    let mut logs: BTreeMap<String, Tally> = BTreeMap::new();
    for e in log.events.iter().filter(|e| (start..end).contains(&e.t_ms)) {
        logs.entry(names[e.app as usize].clone()).or_default().add(
            e.user,
            e.t_ms,
            e.interactive,
            e.error_code,
            e.backup,
        );
    }
    let rows: Vec<Row> = synth::draw(scenario, threads)?;
    let mut sim: BTreeMap<String, Tally> = BTreeMap::new();
    for r in &rows {
        let name = &scenario.segments[r.segment as usize].apps[r.slot as usize].name;
        sim.entry(name.clone()).or_default().add(
            r.user,
            start + r.t.0 as i64,
            r.interactive,
            r.error_code,
            r.backup,
        );
    }
    let mut model_users: BTreeMap<String, u64> = BTreeMap::new();
    for (i, s) in scenario.segments.iter().enumerate() {
        let n = (scenario.segment_bounds[i + 1] - scenario.segment_bounds[i]) as u64;
        for a in &s.apps {
            *model_users.entry(a.name.clone()).or_default() += n;
        }
    }
    let apps: std::collections::BTreeSet<&String> = logs.keys().chain(model_users.keys()).collect();
    let empty = Tally::default();
    Ok(apps
        .into_iter()
        .map(|app| {
            let l = logs.get(app).unwrap_or(&empty);
            let log_users = l
                .silent
                .keys()
                .chain(l.prompts.keys())
                .collect::<std::collections::HashSet<_>>()
                .len() as u64;
            let logs = l.side(log_users, weeks, &occurrences);
            let sim = sim.get(app).unwrap_or(&empty).side(
                model_users.get(app).copied().unwrap_or(0),
                weeks,
                &occurrences,
            );
            let tolerance =
                |a: f64, b: f64, log: f64| (Z * (a * a + b * b).sqrt()).max(FLOOR * log);
            AppComparison {
                app: app.clone(),
                silent_tolerance: tolerance(logs.silent_se, sim.silent_se, logs.silent),
                prompts_tolerance: tolerance(logs.prompts_se, sim.prompts_se, logs.prompts),
                logs,
                sim,
            }
        })
        .collect())
}
