//! The outage figures of `summary.json`: one entry per incident (a preset's phases are
//! listed inside it, never reported as outages of their own) and the totals over all
//! incidents as a union, so no user, user-minute or call counts twice — not for the
//! phases of one incident, nor for two incidents within 24 h of each other. Computed
//! by `analytics::summary` from the tables.

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
}
