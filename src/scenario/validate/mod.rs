//! Raw model → [`Scenario`]: ranges, cross-field rules and preset expansion. Every error
//! names the field path and the bad value and says what is allowed. This file holds the
//! checker and the order of the checks; each family of rules has its own file.

use super::error::ModelError;
use super::model::Scenario;
use super::presets::{self, PresetPhase};
use super::raw::*;
use crate::domain::app::AppSpec;
use crate::domain::events::{Campaign, EventModel, EventRates};
use crate::domain::idp::{BackupConfig, PlatformConfig};
use crate::domain::user::{Absence, Activity, Segment};
use crate::domain::{ClientType, Outage, OutageKind, SignIn, UnitSelection};
use crate::domain::{Profile, RetryPolicy};
use crate::engine::{SimDuration, SimTime};
use crate::policy::MatrixTable;
use crate::policy::cae::CaePolicy;
use crate::policy::lifetimes::{FactorLimits, TokenPolicy};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

mod cae;
mod device;
mod events;
mod outage;
mod platform;
mod policy;
mod scenario;
mod segment;

use cae::validate_cae;
use events::{validate_events, validate_rates};
use outage::validate_outage;
use platform::validate_platform;
use policy::validate_policy;
use scenario::{check_queue_fits, validate_scenario};
use segment::{allocate, validate_segments};

/// Shortest configurable token lifetime.
pub(super) const MIN_LIFETIME: SimDuration = SimDuration::from_mins(10);
/// Longest configurable access-token lifetime.
pub(super) const MAX_AT: SimDuration = SimDuration::from_days(1);
/// Shortest and longest horizon.
pub(super) const HORIZON: (SimDuration, SimDuration) =
    (SimDuration::from_mins(1), SimDuration::from_days(400));
/// Shortest and longest interval between an app's calls.
pub(super) const CALL_INTERVAL: (SimDuration, SimDuration) =
    (SimDuration::from_secs(1), SimDuration::from_days(1));
/// CAE tokens are documented "up to 28 h".
pub(super) const MAX_CAE_AT: SimDuration = SimDuration::from_hours(28);
/// Longest refresh-token inactivity window (`MaxInactiveTime`), also the backup window's cap.
pub(super) const MAX_INACTIVE: SimDuration = SimDuration::from_days(90);
/// Longest explicit max age.
pub(super) const MAX_AGE: SimDuration = SimDuration::from_days(365);
/// Longest scenario, segment or app name: a folder name, also as `sweep-<name>` and
/// with the hidden `.<name>.tmp-<pid>` of the folder being written, stays far below
/// the 255 bytes file systems allow.
pub(super) const MAX_NAME: usize = 100;
/// Longest Retry-After, client timeout or queue wait: MSAL caps Retry-After at an hour.
pub(super) const HOUR: SimDuration = SimDuration::from_hours(1);
/// Longest hang, backup switchover or retry backoff.
pub(super) const DAY: SimDuration = SimDuration::from_days(1);

struct Checker<'a> {
    file: &'a str,
}

type Checked<T> = Result<T, ModelError>;

impl Checker<'_> {
    fn fail<T>(&self, field: impl Into<String>, message: impl Into<String>) -> Checked<T> {
        Err(ModelError::Field {
            file: self.file.into(),
            field: field.into(),
            message: message.into(),
        })
    }

    fn range(
        &self,
        field: &str,
        d: SimDuration,
        lo: SimDuration,
        hi: SimDuration,
    ) -> Checked<SimDuration> {
        if d < lo || d > hi {
            return self.fail(
                field,
                format!("'{d}' is out of range (allowed {lo} to {hi})"),
            );
        }
        Ok(d)
    }

    fn share(&self, field: &str, v: f64, lo_open: bool) -> Checked<f64> {
        let ok = v.is_finite() && v <= 1.0 && if lo_open { v > 0.0 } else { v >= 0.0 };
        if !ok {
            let lo = if lo_open { "above 0" } else { "from 0" };
            return self.fail(
                field,
                format!("'{v}' is not a share (use a number {lo} up to 1)"),
            );
        }
        Ok(v)
    }

    /// A moment of the run: an offset from the start (`7d9h`) or a calendar date-time
    /// on or after the start, before the end of the horizon.
    fn instant(
        &self,
        field: &str,
        text: &str,
        start: NaiveDateTime,
        horizon: SimDuration,
    ) -> Checked<SimTime> {
        let at = match text.parse::<SimDuration>() {
            Ok(offset) => SimTime::ZERO + offset,
            Err(_) => match parse_datetime(text) {
                Some(dt) if dt >= start => {
                    SimTime::ZERO + SimDuration((dt - start).num_milliseconds() as u64)
                }
                _ => {
                    return self.fail(field, format!("'{text}' is not an offset (7d9h) or a date-time on or after the scenario start ({start})"));
                }
            },
        };
        if at.as_millis() >= horizon.as_millis() {
            return self.fail(
                field,
                format!("'{text}' is at or after the end of the horizon ({horizon})"),
            );
        }
        Ok(at)
    }

    fn limit(&self, field: &str, l: Limit) -> Checked<Option<SimDuration>> {
        l.0.map(|d| self.range(field, d, MIN_LIFETIME, MAX_AGE))
            .transpose()
    }
}

/// Validates `raw` read from `file`.
pub fn validate(raw: RawModel, file: &str) -> Checked<Scenario> {
    let c = Checker { file };
    let s = &raw.scenario;
    let (start, horizon) = validate_scenario(&c, s)?;
    let policy = validate_policy(&c, &raw.policy)?;
    let platform = validate_platform(&c, &raw.platform)?;
    let outages = raw
        .outage
        .iter()
        .enumerate()
        .map(|(i, o)| validate_outage(&c, i, o, start, horizon, s.scale_units))
        .collect::<Checked<Vec<Vec<Outage>>>>()?
        .into_iter()
        .flatten()
        .collect();
    let global_rates =
        validate_rates(&c, "events.rates", &raw.events.rates, EventRates::default())?;
    let segments = validate_segments(&c, &raw.segment, global_rates)?;
    check_queue_fits(&c, s, &segments)?;
    let segment_bounds = allocate(&segments, s.users);
    let cae = validate_cae(&c, &raw.policy.cae)?;
    let events = validate_events(&c, &raw.events, &segments, start, horizon)?;
    let matrix = MatrixTable::embedded()
        .or_else(|e| c.fail("events.matrix", e.to_string()))?
        .resolve(raw.events.matrix);
    Ok(Scenario {
        name: s.name.clone(),
        source: file.to_string(),
        start,
        horizon,
        seed: s.seed,
        users: s.users,
        scale_units: s.scale_units,
        policy,
        platform,
        outages,
        segments,
        segment_bounds,
        cae,
        events,
        matrix,
        raw,
    })
}

fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    })
}
