//! Outages of the token service: what fails, when, and at which scale units.

use crate::engine::{Purpose, Rng, SimDuration, SimTime};

/// What goes wrong during an outage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutageKind {
    /// Every request fails: HTTP 5xx at once, or the server hangs for `hang` then drops.
    Full {
        /// `Some(d)`: the server hangs for `d` instead of answering 5xx.
        hang: Option<SimDuration>,
        /// Retry-After sent with the 5xx, if any.
        retry_after: Option<SimDuration>,
    },
    /// Requests succeed with probability `success`, each answer delayed by `latency`.
    Degraded {
        /// Probability that a request succeeds.
        success: f64,
        /// Added latency.
        latency: SimDuration,
    },
    /// Capacity falls to `factor` of normal.
    Capacity {
        /// Remaining share of capacity.
        factor: f64,
    },
    /// Resources reject every access token issued before the start (a signing-key
    /// incident): every client must re-acquire at once.
    SigningKey,
}

impl OutageKind {
    /// Label used in tables.
    pub fn label(&self) -> &'static str {
        match self {
            OutageKind::Full { .. } => "full",
            OutageKind::Degraded { .. } => "degraded",
            OutageKind::Capacity { .. } => "capacity",
            OutageKind::SigningKey => "signing-key",
        }
    }

    /// Kinds during which the primary fails requests, so backup authentication may serve.
    pub fn fails_requests(&self) -> bool {
        matches!(self, OutageKind::Full { .. } | OutageKind::Degraded { .. })
    }
}

/// Which scale units an outage hits.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitSelection {
    /// Every unit.
    All,
    /// These unit indices.
    List(Vec<u32>),
    /// This share of the units, chosen with the run's seed.
    Share(f64),
}

/// How long a server hangs in a `timeout` outage (or a scripted `timeout` answer) before
/// it drops the connection, when the model does not say.
pub const DEFAULT_HANG: SimDuration = SimDuration::from_secs(120);

/// A validated outage: one phase of an incident (a preset can have several).
#[derive(Debug, Clone, PartialEq)]
pub struct Outage {
    /// Name of its incident, in reports.
    pub name: String,
    /// Index of its incident: the `[[outage]]` entry it came from.
    pub incident: usize,
    /// Phase number within the incident, from 1.
    pub phase: u32,
    /// Start.
    pub start: SimTime,
    /// End (exclusive).
    pub end: SimTime,
    /// What fails.
    pub kind: OutageKind,
    /// Where.
    pub units: UnitSelection,
}

impl Outage {
    /// Whether `t` falls inside the outage.
    pub fn active_at(&self, t: SimTime) -> bool {
        self.start <= t && t < self.end
    }

    /// Whether unit `unit` of `n_units` is hit. A share picks units by a seeded
    /// shuffle, so the same seed hits the same units.
    pub fn targets(&self, unit: u32, n_units: u32, seed: u64, index: usize) -> bool {
        match &self.units {
            UnitSelection::All => true,
            UnitSelection::List(list) => list.contains(&unit),
            UnitSelection::Share(share) => {
                let hit = ((share * n_units as f64).ceil() as u32).min(n_units);
                let mut order: Vec<u32> = (0..n_units).collect();
                let mut rng = Rng::stream(seed, 0, index as u64, Purpose::Outage);
                for i in (1..order.len()).rev() {
                    let j = rng.range_inclusive(0, i as u64) as usize;
                    order.swap(i, j);
                }
                order[..hit as usize].contains(&unit)
            }
        }
    }
}

/// One `[[outage]]` entry as a whole: a preset's phases are one incident, reported
/// once, so that its figures never count a user or a minute twice.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Name in reports.
    pub name: String,
    /// Its phases: indices into the scenario's outages, in phase order.
    pub phases: Vec<usize>,
    /// Start of the first phase.
    pub start: SimTime,
    /// End of the last phase to end.
    pub end: SimTime,
}

impl Incident {
    /// The incidents of `outages` (phases of one incident are adjacent), in model order.
    pub fn group(outages: &[Outage]) -> Vec<Incident> {
        let mut out: Vec<Incident> = Vec::new();
        for (i, o) in outages.iter().enumerate() {
            match out.last_mut() {
                Some(last) if outages[last.phases[0]].incident == o.incident => {
                    last.phases.push(i);
                    last.start = last.start.min(o.start);
                    last.end = last.end.max(o.end);
                }
                _ => out.push(Incident {
                    name: o.name.clone(),
                    phases: vec![i],
                    start: o.start,
                    end: o.end,
                }),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage(units: UnitSelection) -> Outage {
        Outage {
            name: "t".into(),
            incident: 0,
            phase: 1,
            start: SimTime(10),
            end: SimTime(20),
            kind: OutageKind::SigningKey,
            units,
        }
    }

    #[test]
    fn share_hits_the_rounded_up_count_of_units() {
        let o = outage(UnitSelection::Share(0.25));
        let hit = (0..10).filter(|&u| o.targets(u, 10, 9, 0)).count();
        assert_eq!(hit, 3);
        let again = (0..10).filter(|&u| o.targets(u, 10, 9, 0)).count();
        assert_eq!(hit, again);
    }

    #[test]
    fn window_is_half_open() {
        let o = outage(UnitSelection::All);
        assert!(!o.active_at(SimTime(9)));
        assert!(o.active_at(SimTime(10)));
        assert!(!o.active_at(SimTime(20)));
    }
}
