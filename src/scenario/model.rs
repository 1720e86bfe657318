//! The validated scenario every other layer reads.

use super::raw::RawModel;
use crate::domain::EventModel;
use crate::domain::outage::Incident;
use crate::domain::{Outage, PlatformConfig, PlatformUnit, Segment};
use crate::engine::SimDuration;
use crate::policy::cae::CaePolicy;
use crate::policy::{RevocationMatrix, TokenPolicy};
use chrono::NaiveDateTime;

/// A scenario that passed every check.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name, also the default output folder.
    pub name: String,
    /// Where it came from (file label and overrides), for reports.
    pub source: String,
    /// Calendar start, UTC.
    pub start: NaiveDateTime,
    /// Simulated span.
    pub horizon: SimDuration,
    /// Seed of every random stream.
    pub seed: u64,
    /// Population size.
    pub users: u32,
    /// Number of scale units.
    pub scale_units: u32,
    /// Token lifetimes and timeouts.
    pub policy: TokenPolicy,
    /// Token endpoint and backup service.
    pub platform: PlatformConfig,
    /// Outages, in model order.
    pub outages: Vec<Outage>,
    /// Population mix.
    pub segments: Vec<Segment>,
    /// Users before each segment, cumulative (`segments.len() + 1` entries).
    pub segment_bounds: Vec<u32>,
    /// Continuous Access Evaluation settings.
    pub cae: CaePolicy,
    /// Campaigns and event settings (rates are per segment).
    pub events: EventModel,
    /// The revocation matrix of the selected variant.
    pub matrix: RevocationMatrix,
    /// The model as written plus overrides, for saving and reports.
    pub raw: RawModel,
}

impl Scenario {
    /// Milliseconds from the Unix epoch to the scenario start.
    pub fn start_unix_ms(&self) -> i64 {
        self.start.and_utc().timestamp_millis()
    }

    /// Indices of the outages that hit `unit`.
    pub fn outages_of_unit(&self, unit: u32) -> Vec<usize> {
        (0..self.outages.len())
            .filter(|&i| self.outages[i].targets(unit, self.scale_units, self.seed, i))
            .collect()
    }

    /// The outages grouped into incidents (a preset's phases are one), in model order.
    pub fn incidents(&self) -> Vec<Incident> {
        Incident::group(&self.outages)
    }

    /// The units some phase of `incident` hits, ascending.
    pub fn incident_units(&self, incident: &Incident) -> Vec<u32> {
        (0..self.scale_units)
            .filter(|&u| {
                let hit = self.outages_of_unit(u);
                incident.phases.iter().any(|k| hit.contains(k))
            })
            .collect()
    }

    /// The token endpoint of `unit`, with the outages that hit it.
    pub fn platform_unit(&self, unit: u32) -> PlatformUnit {
        let outages = self
            .outages_of_unit(unit)
            .into_iter()
            .map(|i| self.outages[i].clone())
            .collect();
        PlatformUnit::new(self.platform, outages, self.seed, unit)
    }

    /// Horizon in whole days, for summaries.
    pub fn horizon_days(&self) -> f64 {
        self.horizon.as_days_f64()
    }
}
