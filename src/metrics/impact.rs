//! The outage figures of `summary.json`: one entry per incident (a preset's phases are
//! listed inside it, never reported as outages of their own) and the totals over all
//! incidents as a union, so no user, user-minute or call counts twice — not for the
//! phases of one incident, nor for two incidents within 24 h of each other.

use super::result::RunResult;
use super::window::WindowTally;
use crate::domain::outage::Incident;
use crate::engine::SimTime;
use crate::engine::time::MS_PER_MINUTE;
use serde::{Deserialize, Serialize};

/// One phase of an incident.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutagePhase {
    /// Phase number within the incident, from 1.
    pub phase: u32,
    /// Kind.
    pub kind: String,
    /// Start, UTC.
    pub start: String,
    /// End, UTC.
    pub end: String,
    /// Units it hit.
    pub units_hit: u32,
    /// Minutes from the phase's end until the incident's units are back to the baseline
    /// of the hour before the incident (a hard phase may recover long before a residual
    /// one ends); `null` if never within the horizon.
    pub recovery_minutes: Option<u64>,
    /// Peak offered load in the two hours after the phase's end ÷ capacity, over the
    /// units it hit.
    pub peak_load_ratio: f64,
    /// Requests served by the backup service during the phase, in the units it hit.
    pub backup_served: u64,
}

/// The impact of one incident (counted from its start to 24 h after its end).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutageImpact {
    /// Name.
    pub name: String,
    /// Kind; a multi-phase incident lists its phases' kinds joined by `+`.
    pub kind: String,
    /// Start of its first phase, UTC.
    pub start: String,
    /// End of its last phase, UTC.
    pub end: String,
    /// Units some phase hit.
    pub units_hit: u32,
    /// Users of the units hit who were blocked (or had a call fail) in the impact window.
    pub users_blocked: u64,
    /// Blocked user-minutes in the impact window.
    pub blocked_user_minutes: f64,
    /// App calls in the impact window that got no token.
    #[serde(default)]
    pub calls_failed: u64,
    /// Minutes from the end until blocked users are back to the baseline of the hour
    /// before the start; `null` if they never are within the horizon.
    pub recovery_minutes: Option<u64>,
    /// The highest peak load ratio of its phases.
    pub peak_load_ratio: f64,
    /// Requests served by the backup service from its start to its end.
    pub backup_served: u64,
    /// Its phases, in phase order (one for an incident of a single phase).
    #[serde(default)]
    pub phases: Vec<OutagePhase>,
}

/// What users lost during outages: over the union of every incident's impact window.
/// The one definition of "blocked during outages" that every output shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DuringOutages {
    /// Users blocked (or with a failed call) in some impact window, each counted once.
    pub users_blocked: u64,
    /// Blocked user-minutes inside the union of the impact windows.
    pub blocked_user_minutes: f64,
    /// App calls inside the union that got no token.
    pub calls_failed: u64,
}

/// Recovery time as a person reads it.
fn recovery_text(minutes: Option<u64>) -> String {
    minutes.map_or("not within the horizon".to_string(), |m| {
        super::units::duration(m as f64)
    })
}

impl OutagePhase {
    /// Recovery time after the phase as a person reads it.
    pub fn recovery_text(&self) -> String {
        recovery_text(self.recovery_minutes)
    }
}

impl OutageImpact {
    /// Recovery time as a person reads it.
    pub fn recovery_text(&self) -> String {
        recovery_text(self.recovery_minutes)
    }

    /// The incidents of `run`, in model order.
    pub fn of_run(run: &RunResult) -> Vec<OutageImpact> {
        run.scenario
            .incidents()
            .iter()
            .enumerate()
            .map(|(k, i)| incident_impact(run, k, i))
            .collect()
    }
}

impl DuringOutages {
    /// The union over `run`'s incidents; `None` without outages.
    pub fn of_run(run: &RunResult) -> Option<DuringOutages> {
        (!run.scenario.outages.is_empty()).then(|| tally(run, &|u| &u.observer.during_outages))
    }
}

fn tally(
    run: &RunResult,
    pick: &dyn Fn(&crate::sim::UnitRun<super::Recorder>) -> &WindowTally,
) -> DuringOutages {
    let sum = |f: &dyn Fn(&WindowTally) -> u64| run.units.iter().map(|u| f(pick(u))).sum();
    DuringOutages {
        users_blocked: sum(&|t| t.users_blocked()),
        blocked_user_minutes: sum(&|t| t.blocked_ms) as f64 / MS_PER_MINUTE as f64,
        calls_failed: sum(&|t| t.calls_failed),
    }
}

/// Per-minute sums over a set of units.
struct Minutes<'a> {
    run: &'a RunResult,
    minutes: usize,
}

impl Minutes<'_> {
    fn blocked(&self, units: &[u32], m: usize) -> f64 {
        units
            .iter()
            .map(|&u| self.run.units[u as usize].observer.minute.blocked_users[m] as f64)
            .sum()
    }

    /// Minutes from minute `end` until `units` are back to `baseline` blocked users.
    fn recovery(&self, units: &[u32], end: usize, baseline: f64) -> Option<u64> {
        (end..self.minutes)
            .find(|&m| self.blocked(units, m) <= baseline)
            .map(|m| (m - end) as u64)
    }

    fn window(&self, start: SimTime, end: SimTime) -> (usize, usize) {
        (
            (start.minute() as usize).min(self.minutes),
            (end.as_millis().div_ceil(MS_PER_MINUTE) as usize).min(self.minutes),
        )
    }

    /// Peak offered ÷ capacity over `units` in the two hours from minute `from`.
    fn peak_load(&self, units: &[u32], from: usize) -> f64 {
        let capacity: Vec<Vec<f64>> = units
            .iter()
            .map(|&u| self.run.capacity_per_minute(u))
            .collect();
        (from..(from + 120).min(self.minutes))
            .map(|m| {
                let offered: f64 = units
                    .iter()
                    .map(|&u| self.run.units[u as usize].observer.minute.offered[m] as f64)
                    .sum();
                let cap: f64 = capacity.iter().map(|c| c[m]).sum();
                if cap > 0.0 { offered / cap } else { 0.0 }
            })
            .fold(0.0, f64::max)
    }

    fn backup(&self, units: &[u32], (from, to): (usize, usize)) -> u64 {
        units
            .iter()
            .map(|&u| {
                self.run.units[u as usize].observer.minute.backup[from..to]
                    .iter()
                    .map(|v| *v as u64)
                    .sum::<u64>()
            })
            .sum()
    }
}

fn incident_impact(run: &RunResult, k: usize, incident: &Incident) -> OutageImpact {
    let s = &run.scenario;
    let at = |t: SimTime| {
        (s.start + chrono::Duration::milliseconds(t.as_millis() as i64))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let mins = Minutes {
        run,
        minutes: run
            .units
            .first()
            .map_or(0, |u| u.observer.minute.offered.len()),
    };
    let hit = s.incident_units(incident);
    let (start_m, end_m) = mins.window(incident.start, incident.end);
    let baseline = (start_m.saturating_sub(60)..start_m)
        .map(|m| mins.blocked(&hit, m))
        .fold(0.0, f64::max);
    let phases: Vec<OutagePhase> = incident
        .phases
        .iter()
        .map(|&p| {
            let o = &s.outages[p];
            let units: Vec<u32> = (0..s.scale_units)
                .filter(|&u| s.outages_of_unit(u).contains(&p))
                .collect();
            let window = mins.window(o.start, o.end);
            OutagePhase {
                phase: o.phase,
                kind: o.kind.label().into(),
                start: at(o.start),
                end: at(o.end),
                units_hit: units.len() as u32,
                recovery_minutes: mins.recovery(&hit, window.1, baseline),
                peak_load_ratio: mins.peak_load(&units, window.1),
                backup_served: mins.backup(&units, window),
            }
        })
        .collect();
    let recovery_minutes = mins.recovery(&hit, end_m, baseline);
    let lost = tally(run, &|u| &u.observer.incidents[k]);
    let mut kinds: Vec<&str> = Vec::new();
    for p in &phases {
        if !kinds.contains(&p.kind.as_str()) {
            kinds.push(&p.kind);
        }
    }
    OutageImpact {
        name: incident.name.clone(),
        kind: kinds.join("+"),
        start: at(incident.start),
        end: at(incident.end),
        units_hit: hit.len() as u32,
        users_blocked: lost.users_blocked,
        blocked_user_minutes: lost.blocked_user_minutes,
        calls_failed: lost.calls_failed,
        recovery_minutes,
        peak_load_ratio: phases.iter().map(|p| p.peak_load_ratio).fold(0.0, f64::max),
        backup_served: mins.backup(&hit, (start_m, end_m)),
        phases,
    }
}
