//! `summary.json`: the headline figures of a run, and the short text summary. They are
//! computed from the run's tables by `analytics::summary::summarize`, so each has one
//! definition shared with the report, sweeps, comparisons and the TUI.

pub use super::exposure::{Exposure, ExposureStats};
pub use super::impact::{DuringOutages, OutageImpact, OutagePhase};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Headline figures of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Model file (and overrides) it came from.
    pub source: String,
    /// Seed.
    pub seed: u64,
    /// Calendar start, UTC.
    pub start: String,
    /// Users simulated.
    pub users: u32,
    /// Apps simulated (users × apps per user).
    pub apps: u64,
    /// Simulated days.
    pub horizon_days: f64,
    /// Scale units.
    pub scale_units: u32,
    /// Events the engine processed.
    pub events_processed: u64,
    /// Token requests by outcome.
    pub token_requests: BTreeMap<String, u64>,
    /// Interactive prompts.
    pub prompts: Prompts,
    /// Users who could not get a token when they needed one.
    pub blocked: Blocked,
    /// User-minutes in sessions.
    pub minutes_wanted: f64,
    /// Highest requests offered to the whole platform in one minute.
    pub peak_offered_per_minute: u64,
    /// One entry per outage incident (a preset's phases are one incident).
    pub outages: Vec<OutageImpact>,
    /// Totals over every outage's impact window, as a union; `null` without outages.
    pub during_outages: Option<DuringOutages>,
    /// Exposure windows after access-cutting events.
    pub exposure: Exposure,
    /// Every headline figure across replications (`--replications N`, N > 1); absent
    /// for a single run, whose fields above are replication 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replications: Option<super::stats::Replications>,
}

/// Prompt figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Prompts {
    /// All prompts.
    pub total: u64,
    /// Prompts per user per 30 days.
    pub per_user_month: f64,
    /// Prompts by cause.
    pub by_cause: BTreeMap<String, u64>,
    /// Other apps those prompts also served, by re-establishing a PRT, browser session
    /// or family token their apps share (0 without devices).
    #[serde(default)]
    pub shared_sign_in_apps: u64,
}

/// Blocked figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Blocked {
    /// Users blocked at least once: some time without a token, or a call that got none.
    pub users: u64,
    /// Minutes during which a user had at least one blocked app, summed over users.
    pub user_minutes: f64,
    /// App calls that got no token.
    #[serde(default)]
    pub calls_failed: u64,
}

impl Summary {
    /// Writes the summary as `summary.json` into `dir`, atomically.
    pub fn write(&self, dir: &std::path::Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        super::atomic::write_bytes(&dir.join(super::schema::SUMMARY_JSON), &json)
    }
}

impl fmt::Display for Summary {
    /// The short text summary printed after a run.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "tokensim: {} ({}), seed {}",
            self.scenario, self.source, self.seed
        )?;
        writeln!(
            f,
            "  {} users, {} apps, {} scale units, {:.0} days from {} UTC; {} events",
            self.users,
            self.apps,
            self.scale_units,
            self.horizon_days,
            self.start,
            self.events_processed
        )?;
        let req: Vec<String> = self
            .token_requests
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        writeln!(f, "  token requests: {}", req.join(", "))?;
        let causes: Vec<String> = self
            .prompts
            .by_cause
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        writeln!(
            f,
            "  prompts: {} ({:.2} per user-month){}",
            self.prompts.total,
            self.prompts.per_user_month,
            if causes.is_empty() {
                String::new()
            } else {
                format!(": {}", causes.join(", "))
            }
        )?;
        writeln!(
            f,
            "  blocked: {} users, {:.0} user-minutes, {} calls failed",
            self.blocked.users, self.blocked.user_minutes, self.blocked.calls_failed
        )?;
        for h in &self.exposure.headlines {
            writeln!(f, "  exposure: {h}")?;
        }
        for o in &self.outages {
            let recovery = o.recovery_text();
            writeln!(
                f,
                "  outage {} ({}, {} to {}, {} units): {} users blocked, {:.0} user-minutes, {} calls failed, recovery {}, peak load {:.2}× capacity, {} served by backup",
                o.name,
                o.kind,
                o.start,
                o.end,
                o.units_hit,
                o.users_blocked,
                o.blocked_user_minutes,
                o.calls_failed,
                recovery,
                o.peak_load_ratio,
                o.backup_served
            )?;
            if o.phases.len() > 1 {
                for p in &o.phases {
                    writeln!(
                        f,
                        "    phase {} ({}, {} to {}, {} units): recovery {}",
                        p.phase,
                        p.kind,
                        p.start,
                        p.end,
                        p.units_hit,
                        p.recovery_text()
                    )?;
                }
            }
        }
        if let Some(d) = &self.during_outages {
            writeln!(
                f,
                "  during outages (each user and minute once): {} users blocked, {:.0} user-minutes, {} calls failed",
                d.users_blocked, d.blocked_user_minutes, d.calls_failed
            )?;
        }
        Ok(())
    }
}
