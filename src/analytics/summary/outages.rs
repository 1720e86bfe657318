//! The outage figures of the summary: per incident (its phases inside it) the users,
//! minutes and calls lost in its impact window, recovery by [`recovery::rule`] over the
//! units hit together, peak load after each phase and backup-served requests; and the
//! union over all incidents ("blocked during outages"), each user and minute once.

use super::super::exprs::{in_units, num};
use super::super::recovery::{self, RECOVERY, between, minute_window};
use super::super::{Result, RunTables, computing};
use super::{hundredths, scalar, unit_sum};
use crate::domain::outage::Incident;
use crate::engine::SimTime;
use crate::metrics::schema::{timeseries as ts, units as un};
use crate::metrics::summary::{DuringOutages, OutageImpact, OutagePhase};
use polars::prelude::*;

/// Minutes after a phase's end over which its peak load is measured.
const PEAK_WINDOW: i64 = 120;

/// One entry per incident, in model order.
pub fn outage_impacts(tables: &RunTables) -> Result<Vec<OutageImpact>> {
    let incidents = tables.scenario.incidents();
    incidents
        .iter()
        .enumerate()
        .map(|(k, i)| impact(tables, k, i))
        .collect()
}

/// The union over every incident's impact window; `None` without outages.
pub fn during_outages(tables: &RunTables) -> Result<Option<DuringOutages>> {
    if tables.scenario.outages.is_empty() {
        return Ok(None);
    }
    lost(tables, un::DURING_OUTAGES, None).map(Some)
}

/// What the users lost inside the `units` rows of kind `window` (and `incident`).
fn lost(tables: &RunTables, window: &str, incident: Option<usize>) -> Result<DuringOutages> {
    let sum = |c| unit_sum(tables, window, incident, c);
    Ok(DuringOutages {
        users_blocked: sum(un::USERS_BLOCKED)? as u64,
        blocked_user_minutes: hundredths(Some(sum(un::BLOCKED_MINUTES)?)),
        calls_failed: sum(un::CALLS_FAILED)? as u64,
    })
}

/// Recovery minutes after minute `end` of the units `hit` together, against their
/// baseline before minute `start`.
fn recovery_minutes(tables: &RunTables, hit: &[u32], start: i64, end: i64) -> Result<Option<u64>> {
    const KEY: &str = "units_hit";
    let together = tables
        .timeseries
        .clone()
        .lazy()
        .filter(in_units(hit))
        .group_by([col(ts::MINUTE)])
        .agg([num(ts::BLOCKED_USERS).sum()])
        .with_column(lit(0i64).alias(KEY));
    let df = computing(
        "the recovery time",
        recovery::rule(together, KEY, start, end).collect(),
    )?;
    Ok(scalar(&df, RECOVERY)?.map(|m| m as u64))
}

/// Peak offered ÷ capacity over `units` in the [`PEAK_WINDOW`] minutes from `from`.
pub fn peak_load(tables: &RunTables, units: &[u32], from: i64) -> Result<f64> {
    let capacity = || col(ts::CAPACITY);
    let df = computing(
        "the peak load",
        tables
            .timeseries
            .clone()
            .lazy()
            .filter(in_units(units).and(between(from, from + PEAK_WINDOW)))
            .group_by([col(ts::MINUTE)])
            .agg([num(ts::OFFERED).sum(), num(ts::CAPACITY).sum()])
            .select([when(capacity().gt(lit(0.0)))
                .then(col(ts::OFFERED) / capacity())
                .otherwise(lit(0.0))
                .max()
                .alias(ts::OFFERED)])
            .collect(),
    )?;
    Ok(scalar(&df, ts::OFFERED)?.unwrap_or(0.0))
}

/// Requests served by the backup service in `units` during minutes `[from, to)`.
pub fn backup_served(tables: &RunTables, units: &[u32], (from, to): (i64, i64)) -> Result<u64> {
    let df = computing(
        "the backup-served requests",
        tables
            .timeseries
            .clone()
            .lazy()
            .filter(in_units(units).and(between(from, to)))
            .select([num(ts::BACKUP_SERVED).sum()])
            .collect(),
    )?;
    Ok(scalar(&df, ts::BACKUP_SERVED)?.unwrap_or(0.0) as u64)
}

fn impact(tables: &RunTables, k: usize, incident: &Incident) -> Result<OutageImpact> {
    let s = &tables.scenario;
    let at = |t: SimTime| {
        (s.start + chrono::Duration::milliseconds(t.as_millis() as i64))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let hit = s.incident_units(incident);
    let (start, end) = minute_window(tables, incident.start, incident.end);
    let phases = incident
        .phases
        .iter()
        .map(|&p| {
            let o = &s.outages[p];
            let units: Vec<u32> = (0..s.scale_units)
                .filter(|&u| s.outages_of_unit(u).contains(&p))
                .collect();
            let window = minute_window(tables, o.start, o.end);
            Ok(OutagePhase {
                phase: o.phase,
                kind: o.kind.label().into(),
                start: at(o.start),
                end: at(o.end),
                units_hit: units.len() as u32,
                recovery_minutes: recovery_minutes(tables, &hit, start, window.1)?,
                peak_load_ratio: peak_load(tables, &units, window.1)?,
                backup_served: backup_served(tables, &units, window)?,
            })
        })
        .collect::<Result<Vec<OutagePhase>>>()?;
    let lost = lost(tables, un::INCIDENT_WINDOW, Some(k))?;
    let mut kinds: Vec<&str> = Vec::new();
    for p in &phases {
        if !kinds.contains(&p.kind.as_str()) {
            kinds.push(&p.kind);
        }
    }
    Ok(OutageImpact {
        name: incident.name.clone(),
        kind: kinds.join("+"),
        start: at(incident.start),
        end: at(incident.end),
        units_hit: hit.len() as u32,
        users_blocked: lost.users_blocked,
        blocked_user_minutes: lost.blocked_user_minutes,
        calls_failed: lost.calls_failed,
        recovery_minutes: recovery_minutes(tables, &hit, start, end)?,
        peak_load_ratio: phases.iter().map(|p| p.peak_load_ratio).fold(0.0, f64::max),
        backup_served: backup_served(tables, &hit, (start, end))?,
        phases,
    })
}
