//! How much memory a run of a scenario needs, estimated from the model alone, so an
//! impossible run is refused before any work instead of aborting on a failed allocation.
//!
//! The estimate is a sum of terms, each a count from the model times a per-item cost:
//!
//! ```text
//! bytes = BASE
//!       + PER_APP             × users × apps per user   (app state, per-app counters,
//!                                                        users.csv read back as columns)
//!       + PER_UNIT_MINUTE     × scale_units × minutes   (per-minute columns, timeseries.csv)
//!       + PER_SEGMENT_MINUTE  × segments × scale_units × minutes
//!                                                       (blocked users per segment and minute)
//!       + PER_REVOCATION      × expected revocation rows (event rates × users × years ×
//!                                                        apps, plus campaign targets × apps)
//! ```
//!
//! The costs were calibrated on measured peak resident memory of `tokensim run` with
//! the dev build (`opt-level = 1` for the crate, dependencies unoptimised) on the
//! default model at 20,000, 100,000 and 300,000 users; the peak is reached while the
//! report reads the tables back. `models/README.md` lists the measurements.

use super::Scenario;
use crate::engine::time::MS_PER_MINUTE;

/// Process, libraries, polars and chart buffers, whatever the model.
pub const BASE: u64 = 64 << 20;
/// Per user and app.
pub const PER_APP: u64 = 1_600;
/// Per scale unit and minute of the horizon.
pub const PER_UNIT_MINUTE: u64 = 200;
/// Per segment, scale unit and minute.
pub const PER_SEGMENT_MINUTE: u64 = 24;
/// Per revocation row (event × app).
pub const PER_REVOCATION: u64 = 400;

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

/// Bytes in human units: `1.4 GB`, `350 MB`.
pub fn human(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let mb = bytes as f64 / MB;
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else {
        format!("{mb:.0} MB")
    }
}
