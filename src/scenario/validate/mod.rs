//! Raw model → [`Scenario`]: ranges, cross-field rules and preset expansion. Every error
//! names the field path and the bad value and says what is allowed.

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

mod device;
mod events;
mod outage;
mod segment;

use events::{validate_events, validate_rates};
use outage::validate_outage;
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
const MAX_CAE_AT: SimDuration = SimDuration::from_hours(28);
const MAX_INACTIVE: SimDuration = SimDuration::from_days(90);
const MAX_AGE: SimDuration = SimDuration::from_days(365);
/// "Every time" sign-in frequency still tolerates five minutes.
const EVERY_TIME: SimDuration = SimDuration::from_mins(5);
/// Longest scenario, segment or app name: a folder name, also as `sweep-<name>` and
/// with the hidden `.<name>.tmp-<pid>` of the folder being written, stays far below
/// the 255 bytes file systems allow.
const MAX_NAME: usize = 100;
/// Most scale units a run may have.
const MAX_UNITS: u32 = 100_000;
/// Highest capacity a unit may have, requests per second: per minute it stays exact in
/// the integer columns of the time series.
const MAX_CAPACITY: f64 = 1e9;
/// Longest Retry-After, client timeout or queue wait: MSAL caps Retry-After at an hour.
pub(super) const HOUR: SimDuration = SimDuration::from_hours(1);
const DAY: SimDuration = SimDuration::from_days(1);

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
    let name_ok = !s.name.is_empty()
        && s.name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
        && !s.name.starts_with('.');
    if !name_ok {
        return c.fail(
            "scenario.name",
            format!(
                "'{}' must be letters, digits, '-', '_' or '.' (it names the output folder)",
                s.name
            ),
        );
    }
    if s.name.len() > MAX_NAME {
        return c.fail(
            "scenario.name",
            format!(
                "'{}…' is {} characters; at most {MAX_NAME} are allowed (it names the output folder, also as sweep-<name>)",
                &s.name[..20],
                s.name.len()
            ),
        );
    }
    let start = parse_datetime(&s.start).ok_or(()).or_else(|_| {
        c.fail(
            "scenario.start",
            format!(
                "'{}' is not a date-time (use 2026-03-02T00:00 or 2026-03-02T08:30:00, UTC)",
                s.start
            ),
        )
    })?;
    let horizon = c.range("scenario.horizon", s.horizon.0, HORIZON.0, HORIZON.1)?;
    if s.users == 0 || s.users > 50_000_000 {
        return c.fail(
            "scenario.users",
            format!("'{}' is out of range (allowed 1 to 50000000)", s.users),
        );
    }
    if s.scale_units == 0 || s.scale_units > s.users.min(MAX_UNITS) {
        return c.fail(
            "scenario.scale_units",
            format!(
                "'{}' must be from 1 to the number of users ({}), at most {MAX_UNITS}",
                s.scale_units, s.users
            ),
        );
    }
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
    // Each user keeps at most a session event and each app a wake-up and a reply pending
    // (plus a few credential events): the unit's event queue must hold them all.
    let apps_per_user = segments.iter().map(|s| s.apps.len()).max().unwrap_or(0);
    let per_unit = (s.users.div_ceil(s.scale_units) as usize) * (4 + 2 * apps_per_user);
    if per_unit >= crate::engine::queue::MAX_PENDING {
        return c.fail(
            "scenario.scale_units",
            format!(
                "'{}' puts {} users with up to {apps_per_user} apps each in one unit, more than one event queue holds; raise scale_units",
                s.scale_units,
                s.users.div_ceil(s.scale_units)
            ),
        );
    }
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

fn validate_policy(c: &Checker, p: &RawPolicy) -> Checked<TokenPolicy> {
    let at = &p.access_token;
    let at_min = c.range(
        "policy.access_token.lifetime_min",
        at.lifetime_min.0,
        MIN_LIFETIME,
        MAX_AT,
    )?;
    let at_max = c.range(
        "policy.access_token.lifetime_max",
        at.lifetime_max.0,
        MIN_LIFETIME,
        MAX_AT,
    )?;
    if at_max < at_min {
        return c.fail(
            "policy.access_token.lifetime_max",
            format!(
                "'{at_max}' is below lifetime_min ({at_min}); set both equal for a fixed lifetime"
            ),
        );
    }
    let expiry_margin = at.expiry_margin.0;
    if expiry_margin >= at_min {
        return c.fail(
            "policy.access_token.expiry_margin",
            format!("'{expiry_margin}' must be shorter than lifetime_min ({at_min})"),
        );
    }
    let rt = &p.refresh_token;
    let max_inactive = c.range(
        "policy.refresh_token.max_inactive",
        rt.max_inactive.0,
        MIN_LIFETIME,
        MAX_INACTIVE,
    )?;
    let single = c.limit(
        "policy.refresh_token.max_age_single_factor",
        rt.max_age_single_factor,
    )?;
    let multi = c.limit(
        "policy.refresh_token.max_age_multi_factor",
        rt.max_age_multi_factor,
    )?;
    for (field, age) in [
        ("max_age_single_factor", single),
        ("max_age_multi_factor", multi),
    ] {
        if let Some(age) = age.filter(|a| max_inactive >= *a) {
            return c.fail(
                "policy.refresh_token.max_inactive",
                format!("'{max_inactive}' must be lower than {field} ({age}): MaxInactiveTime must be lower than the max ages"),
            );
        }
    }
    let session_max_age = FactorLimits {
        single: c.limit(
            "policy.refresh_token.max_age_session_single_factor",
            rt.max_age_session_single_factor,
        )?,
        multi: c.limit(
            "policy.refresh_token.max_age_session_multi_factor",
            rt.max_age_session_multi_factor,
        )?,
    };
    let sign_in_frequency = match &p.sign_in_frequency {
        None => None,
        Some(s) if s.every == "every-time" => Some(EVERY_TIME),
        Some(s) => {
            let d: SimDuration = s.every.parse().or_else(|e| {
                c.fail(
                    "policy.sign_in_frequency.every",
                    format!("{e}, or \"every-time\""),
                )
            })?;
            Some(c.range(
                "policy.sign_in_frequency.every",
                d,
                SimDuration::from_hours(1),
                MAX_AGE,
            )?)
        }
    };
    let cookie_inactive = if p.session_cookie.persistent {
        SimDuration::from_days(90)
    } else {
        SimDuration::from_days(1)
    };
    Ok(TokenPolicy {
        at_min,
        at_max,
        expiry_margin,
        max_inactive,
        max_age: FactorLimits { single, multi },
        session_max_age,
        cookie_inactive,
        sign_in_frequency,
    })
}

fn validate_platform(c: &Checker, p: &RawPlatform) -> Checked<PlatformConfig> {
    if !(p.capacity.is_finite() && p.capacity > 0.0 && p.capacity <= MAX_CAPACITY) {
        return c.fail(
            "platform.capacity",
            format!(
                "'{}' must be a positive number of requests per second, at most {MAX_CAPACITY:e}",
                p.capacity
            ),
        );
    }
    let ms = SimDuration(1);
    c.range(
        "platform.retry_after",
        p.retry_after.0,
        SimDuration::from_secs(1),
        HOUR,
    )?;
    c.range("platform.max_queue", p.max_queue.0, SimDuration::ZERO, HOUR)?;
    c.range(
        "platform.refresh_in_min_lifetime",
        p.refresh_in_min_lifetime.0,
        SimDuration::ZERO,
        MAX_CAE_AT,
    )?;
    if p.loop_detection > 10_000 {
        return c.fail(
            "platform.loop_detection",
            format!(
                "'{}' is out of range (allowed 0, off, to 10000 tokens in 5 minutes)",
                p.loop_detection
            ),
        );
    }
    c.range(
        "platform.backup.switchover",
        p.backup.switchover.0,
        SimDuration::ZERO,
        DAY,
    )?;
    c.range(
        "platform.backup.session_window",
        p.backup.session_window.0,
        ms,
        MAX_INACTIVE,
    )?;
    let b = &p.backup;
    if !(b.capacity_share.is_finite() && (0.0..=10.0).contains(&b.capacity_share)) {
        return c.fail(
            "platform.backup.capacity_share",
            format!(
                "'{}' must be from 0 to 10 (a share of primary capacity)",
                b.capacity_share
            ),
        );
    }
    if !(0.0..1.0).contains(&p.refresh_in_share) {
        return c.fail(
            "platform.refresh_in_share",
            format!("'{}' must be from 0 (off) to below 1", p.refresh_in_share),
        );
    }
    Ok(PlatformConfig {
        capacity: p.capacity,
        overload: p.overload,
        retry_after: p.retry_after.0,
        max_queue: p.max_queue.0,
        refresh_in_share: p.refresh_in_share,
        refresh_in_min_lifetime: p.refresh_in_min_lifetime.0,
        loop_detection: p.loop_detection,
        backup: BackupConfig {
            enabled: b.enabled,
            switchover: b.switchover.0,
            capacity_share: b.capacity_share,
            session_window: b.session_window.0,
            serves_brokered: b.serves_brokered,
        },
    })
}

fn validate_cae(c: &Checker, r: &RawCae) -> Checked<CaePolicy> {
    let lifetime_min = c.range(
        "policy.cae.lifetime_min",
        r.lifetime_min.0,
        MIN_LIFETIME,
        MAX_CAE_AT,
    )?;
    let lifetime_max = c.range(
        "policy.cae.lifetime_max",
        r.lifetime_max.0,
        MIN_LIFETIME,
        MAX_CAE_AT,
    )?;
    if lifetime_max < lifetime_min {
        return c.fail(
            "policy.cae.lifetime_max",
            format!("'{lifetime_max}' is below lifetime_min ({lifetime_min}); set both equal for a fixed lifetime"),
        );
    }
    Ok(CaePolicy {
        lifetime_min,
        lifetime_max,
        fallback_share: c.share("policy.cae.fallback_share", r.fallback_share, false)?,
        location: r.location,
        fallback_lifetime: c.range(
            "policy.cae.fallback_lifetime",
            r.fallback_lifetime.0,
            MIN_LIFETIME,
            MAX_CAE_AT,
        )?,
        propagation_max: c.range(
            "policy.cae.propagation_max",
            r.propagation_max.0,
            SimDuration::ZERO,
            SimDuration::from_hours(1),
        )?,
    })
}
