//! A finished run: every unit's recorder in unit order (the pipeline simulates it,
//! [`super::columns`] and [`super::frames`] turn it into tables).

use super::frames::hundredths;
use super::recorder::Recorder;
use crate::scenario::Scenario;
use crate::sim::{RevocationRecord, UnitRun};

/// The units of a run (all of them, or a shard's), merged in unit order.
pub struct RunResult {
    /// The scenario that ran.
    pub scenario: Scenario,
    /// Unit results, ascending by unit (index = unit when every unit ran).
    pub units: Vec<UnitRun<Recorder>>,
}

impl RunResult {
    /// Events processed over all units.
    pub fn events(&self) -> u64 {
        self.units.iter().map(|u| u.events).sum()
    }

    /// Every unit's revocation records, ordered by the time the table shows (hundredths
    /// of a minute), then user and app: a stable sort of the unit-ordered lists, so the
    /// order never depends on threads, and the concatenated shards of a run sorted by
    /// the table's own `time_minutes` and `user` come out in the same order (a user's
    /// records are all in one unit, hence one shard).
    pub fn revocations(&self) -> Vec<&RevocationRecord> {
        let mut all: Vec<&RevocationRecord> = self
            .units
            .iter()
            .flat_map(|u| &u.observer.revocations)
            .collect();
        all.sort_by_key(|r| (hundredths(r.t.as_millis()), r.app.user, r.app.slot));
        all
    }
}
