//! How much memory a run of a scenario needs, estimated from the model alone, so an
//! impossible run is refused before any work instead of aborting on a failed allocation.
//!
//! The estimate is a sum of terms, each a count from the model times a per-item cost:
//!
//! ```text
//! bytes = BASE                                            105 MB
//!       + PER_APP              × users × apps per user    320 B (app state, per-app
//!                                                         counters, users.csv read back)
//!       + PER_UNIT_MINUTE      × scale_units × minutes    160 B (per-minute columns and
//!                                                         their diffs, timeseries.csv read back)
//!       + PER_SEGMENT_MINUTE   × segments × scale_units × minutes
//!                                                          12 B (blocked users per segment)
//!       + PER_REVOCATION       × expected revocation rows 256 B (event rates × users ×
//!                                                         years × apps, plus campaign
//!                                                         targets × apps)
//! ```
//!
//! `BASE`, `PER_APP` and `PER_UNIT_MINUTE` were fitted to the peak resident memory of
//! `tokensim run --threads 1` with the dev build (`opt-level = 1` for the crate,
//! dependencies unoptimised) on the default model at 20,000 users (10 and 30 days),
//! 100,000 and 300,000 users (10 days), which it matches within 1 %; the peak comes
//! while the report reads the tables back. `PER_SEGMENT_MINUTE` is the size of the
//! recorder's two per-segment columns (an `i64` and a `u32`), `PER_REVOCATION` a
//! record plus its row read back, not fitted (the default model has no revocations).
//! `models/README.md` lists the measurements.

use super::Scenario;
use crate::engine::time::MS_PER_MINUTE;

/// Process, libraries, polars and chart buffers, whatever the model.
pub const BASE: u64 = 105_000_000;
/// Per user and app.
pub const PER_APP: u64 = 320;
/// Per scale unit and minute of the horizon.
pub const PER_UNIT_MINUTE: u64 = 160;
/// Per segment, scale unit and minute.
pub const PER_SEGMENT_MINUTE: u64 = 12;
/// Per revocation row (event × app).
pub const PER_REVOCATION: u64 = 256;

/// A run's estimated memory and what it is made of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Estimated peak, bytes.
    pub bytes: u64,
    /// User × app rows.
    pub apps: u64,
    /// Scale unit × minute rows.
    pub unit_minutes: u64,
    /// Expected revocation rows.
    pub revocations: u64,
}

/// The estimate for `scenario` (see the module doc for the formula).
pub fn estimate(scenario: &Scenario) -> Estimate {
    let minutes = scenario.horizon.as_millis().div_ceil(MS_PER_MINUTE);
    let unit_minutes = minutes.saturating_mul(scenario.scale_units as u64);
    let years = scenario.horizon_days() / 365.0;
    let mut apps = 0u64;
    let mut revocations = 0f64;
    for (k, segment) in scenario.segments.iter().enumerate() {
        let users = (scenario.segment_bounds[k + 1] - scenario.segment_bounds[k]) as u64;
        let n = segment.apps.len() as u64;
        apps = apps.saturating_add(users.saturating_mul(n));
        revocations += segment.event_rates.total() * years * (users * n) as f64;
        for c in &scenario.events.campaigns {
            if c.segment.is_none_or(|s| s as usize == k) {
                revocations += c.share * (users * n) as f64;
            }
        }
    }
    let revocations = revocations.ceil() as u64;
    let segment_minutes = unit_minutes.saturating_mul(scenario.segments.len() as u64);
    let bytes = [
        BASE,
        PER_APP.saturating_mul(apps),
        PER_UNIT_MINUTE.saturating_mul(unit_minutes),
        PER_SEGMENT_MINUTE.saturating_mul(segment_minutes),
        PER_REVOCATION.saturating_mul(revocations),
    ]
    .into_iter()
    .fold(0u64, u64::saturating_add);
    Estimate {
        bytes,
        apps,
        unit_minutes,
        revocations,
    }
}

/// Bytes in human units (decimal): `1.4 GB`, `350 MB`.
pub fn human(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb >= 1000.0 {
        format!("{:.1} GB", mb / 1000.0)
    } else {
        format!("{mb:.0} MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Peak RSS measured with `/usr/bin/time -v` (dev build, one thread) on the default
    /// model; the estimate must stay within 5 % of each.
    #[test]
    fn estimate_matches_the_measured_peaks() {
        for (users, units, horizon, measured_kb) in [
            (20_000, 4, "10d", 129_264u64),
            (100_000, 20, "10d", 239_624),
            (300_000, 60, "10d", 508_728),
            (20_000, 4, "30d", 154_404),
        ] {
            let sets: Vec<super::super::Override> = [
                format!("scenario.users={users}"),
                format!("scenario.scale_units={units}"),
                format!("scenario.horizon={horizon}"),
            ]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
            let s = super::super::load_default(&sets).unwrap();
            let e = estimate(&s).bytes as f64;
            let m = (measured_kb * 1024) as f64;
            assert!(
                (e / m - 1.0).abs() < 0.05,
                "{users} users {horizon}: {e} vs {m}"
            );
        }
    }
}
