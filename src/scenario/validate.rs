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
use crate::engine::{SimDuration, SimTime};
use crate::policy::MatrixTable;
use crate::policy::cae::CaePolicy;
use crate::policy::client_profile::{Profile, RetryPolicy};
use crate::policy::lifetimes::{FactorLimits, TokenPolicy};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

const MIN_LIFETIME: SimDuration = SimDuration::from_mins(10);
const MAX_AT: SimDuration = SimDuration::from_days(1);
/// CAE tokens are documented "up to 28 h".
const MAX_CAE_AT: SimDuration = SimDuration::from_hours(28);
const MAX_INACTIVE: SimDuration = SimDuration::from_days(90);
const MAX_AGE: SimDuration = SimDuration::from_days(365);
/// "Every time" sign-in frequency still tolerates five minutes.
const EVERY_TIME: SimDuration = SimDuration::from_mins(5);

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
    let start = parse_datetime(&s.start).ok_or(()).or_else(|_| {
        c.fail(
            "scenario.start",
            format!(
                "'{}' is not a date-time (use 2026-03-02T00:00 or 2026-03-02T08:30:00, UTC)",
                s.start
            ),
        )
    })?;
    let horizon = c.range(
        "scenario.horizon",
        s.horizon.0,
        SimDuration::from_mins(1),
        SimDuration::from_days(400),
    )?;
    if s.users == 0 || s.users > 50_000_000 {
        return c.fail(
            "scenario.users",
            format!("'{}' is out of range (allowed 1 to 50000000)", s.users),
        );
    }
    if s.scale_units == 0 || s.scale_units > s.users {
        return c.fail(
            "scenario.scale_units",
            format!(
                "'{}' must be from 1 to the number of users ({})",
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
    if !(p.capacity.is_finite() && p.capacity > 0.0) {
        return c.fail(
            "platform.capacity",
            format!(
                "'{}' must be a positive number of requests per second",
                p.capacity
            ),
        );
    }
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
        },
    })
}

fn validate_outage(
    c: &Checker,
    i: usize,
    o: &RawOutage,
    start: NaiveDateTime,
    horizon: SimDuration,
    n_units: u32,
) -> Checked<Vec<Outage>> {
    let f = |name: &str| format!("outage[{i}].{name}");
    let Some(start_text) = &o.start else {
        return c.fail(f("start"), "missing: give a date-time (2026-03-09T09:00) or an offset from the scenario start (7d9h)");
    };
    let at = c.instant(&f("start"), start_text, start, horizon)?;
    let units = match (&o.units, o.unit_share) {
        (Some(_), Some(_)) => {
            return c.fail(f("unit_share"), "give either units or unit_share, not both");
        }
        (None, Some(share)) => Some(UnitSelection::Share(c.share(
            &f("unit_share"),
            share,
            true,
        )?)),
        (Some(RawUnits::Named(n)), None) if n == "all" => Some(UnitSelection::All),
        (Some(RawUnits::Named(n)), None) => {
            return c.fail(
                f("units"),
                format!("'{n}' is not \"all\" or a list of unit numbers like [0, 2]"),
            );
        }
        (Some(RawUnits::List(list)), None) => {
            if let Some(bad) = list.iter().find(|u| **u >= n_units) {
                return c.fail(
                    f("units"),
                    format!(
                        "'{bad}' is not a unit (units are numbered 0 to {})",
                        n_units - 1
                    ),
                );
            }
            Some(UnitSelection::List(list.clone()))
        }
        (None, None) => None,
    };
    let phases = match &o.preset {
        Some(id) => {
            let explicit = [
                ("duration", o.duration.is_some()),
                ("kind", o.kind.is_some()),
                ("failure", o.failure.is_some()),
                ("retry_after", o.retry_after.is_some()),
                ("hang", o.hang.is_some()),
                ("success", o.success.is_some()),
                ("latency", o.latency.is_some()),
                ("factor", o.factor.is_some()),
            ];
            if let Some((name, _)) = explicit.iter().find(|(_, set)| *set) {
                return c.fail(f(name), format!("cannot be combined with preset '{id}'; copy the preset's values into an outage without `preset` to change them"));
            }
            presets::lookup(id)
                .or_else(|e| c.fail(f("preset"), e))?
                .iter()
                .map(|p| preset_phase(c, &f("preset"), p, n_units))
                .collect::<Checked<Vec<_>>>()?
        }
        None => vec![explicit_outage(c, i, o)?],
    };
    let name = o
        .name
        .clone()
        .or_else(|| o.preset.clone())
        .unwrap_or_else(|| format!("outage-{i}"));
    let multi = phases.len() > 1;
    Ok(phases
        .into_iter()
        .enumerate()
        .map(|(k, (offset, duration, kind, preset_units))| Outage {
            name: if multi {
                format!("{name}#{}", k + 1)
            } else {
                name.clone()
            },
            start: at + offset,
            end: (at + offset + duration).min(SimTime::ZERO + horizon),
            kind,
            units: units.clone().or(preset_units).unwrap_or(UnitSelection::All),
        })
        .collect())
}

type Phase = (SimDuration, SimDuration, OutageKind, Option<UnitSelection>);

fn explicit_outage(c: &Checker, i: usize, o: &RawOutage) -> Checked<Phase> {
    let f = |name: &str| format!("outage[{i}].{name}");
    let Some(kind) = o.kind else {
        return c.fail(
            f("kind"),
            "missing: use full, degraded, capacity or signing-key (or give a preset)",
        );
    };
    let Some(duration) = o.duration else {
        return c.fail(f("duration"), "missing: e.g. duration = \"3h\"");
    };
    if duration.0 == SimDuration::ZERO {
        return c.fail(f("duration"), "'0s' must be longer than zero");
    }
    let kind = match kind {
        RawOutageKind::Full => OutageKind::Full {
            hang: match o.failure.unwrap_or(RawFailure::ServerError) {
                RawFailure::ServerError => None,
                RawFailure::Timeout => Some(o.hang.map_or(SimDuration::from_secs(120), |h| h.0)),
            },
            retry_after: o.retry_after.map(|d| d.0),
        },
        RawOutageKind::Degraded => {
            let Some(success) = o.success else {
                return c.fail(
                    f("success"),
                    "missing: the share of requests that succeed, e.g. 0.9585",
                );
            };
            OutageKind::Degraded {
                success: c.share(&f("success"), success, false)?,
                latency: o.latency.map_or(SimDuration::ZERO, |d| d.0),
            }
        }
        RawOutageKind::Capacity => {
            let Some(factor) = o.factor else {
                return c.fail(
                    f("factor"),
                    "missing: the remaining share of capacity, e.g. 0.3",
                );
            };
            OutageKind::Capacity {
                factor: c.share(&f("factor"), factor, false)?,
            }
        }
        RawOutageKind::SigningKey => OutageKind::SigningKey,
    };
    Ok((SimDuration::ZERO, duration.0, kind, None))
}

fn preset_phase(c: &Checker, field: &str, p: &PresetPhase, n_units: u32) -> Checked<Phase> {
    let bad = |what: &str| ModelError::Field {
        file: c.file.into(),
        field: field.into(),
        message: format!(
            "preset '{}' phase {}: bad {what} in datasets/outages.csv",
            p.id, p.phase
        ),
    };
    let dur = |text: &str, what: &str| text.parse::<SimDuration>().map_err(|_| bad(what));
    let offset = dur(&p.offset, "offset")?;
    let duration = dur(&p.duration, "duration")?;
    let kind = match p.kind.as_str() {
        "full" => OutageKind::Full {
            hang: (p.failure.as_deref() == Some("timeout")).then_some(SimDuration::from_secs(120)),
            retry_after: None,
        },
        "degraded" => OutageKind::Degraded {
            success: p.success.ok_or_else(|| bad("success"))?,
            latency: match &p.latency {
                Some(l) => dur(l, "latency")?,
                None => SimDuration::ZERO,
            },
        },
        "capacity" => OutageKind::Capacity {
            factor: p.factor.ok_or_else(|| bad("factor"))?,
        },
        "signing-key" => OutageKind::SigningKey,
        _ => return Err(bad("kind")),
    };
    let units = match p.units.as_str() {
        "all" => UnitSelection::All,
        u if u.starts_with("share:") => {
            UnitSelection::Share(u[6..].parse().map_err(|_| bad("units"))?)
        }
        u => UnitSelection::List(vec![
            u.parse::<u32>().map_err(|_| bad("units"))?.min(n_units - 1),
        ]),
    };
    Ok((offset, duration, kind, Some(units)))
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

/// Event rates of `field` on top of `base`: each given kind replaces the base rate.
fn validate_rates(
    c: &Checker,
    field: &str,
    raw: &RawRates,
    base: EventRates,
) -> Checked<EventRates> {
    raw.iter().try_fold(base, |rates, (kind, &per_year)| {
        if !(per_year.is_finite() && (0.0..=365.0).contains(&per_year)) {
            return c.fail(
                format!("{field}.{}", kind.label()),
                format!("'{per_year}' must be from 0 to 365 events per user per year"),
            );
        }
        Ok(rates.with(*kind, per_year))
    })
}

fn validate_events(
    c: &Checker,
    e: &RawEvents,
    segments: &[Segment],
    start: NaiveDateTime,
    horizon: SimDuration,
) -> Checked<EventModel> {
    let admin_api_lag = c.range(
        "events.admin_api_lag",
        e.admin_api_lag.0,
        SimDuration::ZERO,
        SimDuration::from_days(1),
    )?;
    if e.campaign.len() >= u16::MAX as usize {
        return c.fail(
            "events.campaign",
            format!(
                "{} campaigns; at most {} are allowed",
                e.campaign.len(),
                u16::MAX - 1
            ),
        );
    }
    let campaigns = e
        .campaign
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let f = |name: &str| format!("events.campaign[{i}].{name}");
            let segment = match &raw.segment {
                None => None,
                Some(name) => match segments.iter().position(|s| &s.name == name) {
                    Some(k) => Some(k as u16),
                    None => {
                        let known: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                        return c.fail(
                            f("segment"),
                            format!("'{name}' is not a segment (known: {})", known.join(", ")),
                        );
                    }
                },
            };
            Ok(Campaign {
                name: raw.name.clone().unwrap_or_else(|| format!("campaign-{i}")),
                at: c.instant(&f("at"), &raw.at, start, horizon)?,
                kind: raw.event,
                segment,
                share: c.share(&f("share"), raw.share, false)?,
            })
        })
        .collect::<Checked<Vec<_>>>()?;
    Ok(EventModel {
        campaigns,
        admin_api_lag,
    })
}

fn validate_segments(c: &Checker, raw: &[RawSegment], rates: EventRates) -> Checked<Vec<Segment>> {
    if raw.is_empty() {
        return c.fail("segment", "at least one [[segment]] is needed");
    }
    let segments = raw
        .iter()
        .enumerate()
        .map(|(i, s)| validate_segment(c, i, s, rates))
        .collect::<Checked<Vec<_>>>()?;
    let total: f64 = segments.iter().map(|s| s.share).sum();
    if (total - 1.0).abs() > 1e-6 {
        return c.fail(
            "segment[*].share",
            format!("the shares add up to {total}; they must add up to 1"),
        );
    }
    Ok(segments)
}

fn validate_segment(c: &Checker, i: usize, s: &RawSegment, rates: EventRates) -> Checked<Segment> {
    let f = |name: &str| format!("segment[{i}].{name}");
    let share = c.share(&f("share"), s.share, true)?;
    if !(-12.0..=14.0).contains(&s.utc_offset_hours) {
        return c.fail(
            f("utc_offset_hours"),
            format!(
                "'{}' is not a UTC offset (use -12 to 14)",
                s.utc_offset_hours
            ),
        );
    }
    let activity = match &s.activity {
        RawActivity::WorkingHours {
            start,
            end,
            jitter,
            weekends,
        } => {
            let clock = |field: &str, text: &str| {
                NaiveTime::parse_from_str(text, "%H:%M")
                    .map(|t| {
                        SimDuration::from_secs(
                            t.signed_duration_since(NaiveTime::MIN).num_seconds() as u64,
                        )
                    })
                    .or_else(|_| {
                        c.fail(
                            f(field),
                            format!("'{text}' is not a time of day (use HH:MM, e.g. 08:30)"),
                        )
                    })
            };
            let (start, end) = (clock("activity.start", start)?, clock("activity.end", end)?);
            if end <= start + jitter.0 + jitter.0 {
                return c.fail(
                    f("activity.end"),
                    format!(
                        "'{end}' must come after start ({start}) plus twice the jitter ({})",
                        jitter.0
                    ),
                );
            }
            Activity::WorkingHours {
                start,
                end,
                jitter: jitter.0,
                weekends: *weekends,
            }
        }
        RawActivity::AlwaysOn => Activity::AlwaysOn,
        RawActivity::Poisson {
            rate_per_day,
            session,
        } => {
            if !(rate_per_day.is_finite() && *rate_per_day > 0.0 && *rate_per_day <= 100_000.0) {
                return c.fail(
                    f("activity.rate_per_day"),
                    format!("'{rate_per_day}' must be a positive rate, at most 100000 per day"),
                );
            }
            Activity::Poisson {
                rate_per_day: *rate_per_day,
                session: session.0,
            }
        }
    };
    let absence = match &s.absence {
        None => None,
        Some(a) => {
            if !(a.per_year.is_finite() && a.per_year >= 0.0 && a.per_year <= 52.0) {
                return c.fail(
                    f("absence.per_year"),
                    format!("'{}' must be from 0 to 52", a.per_year),
                );
            }
            Some(Absence {
                per_year: a.per_year,
                length: c.range(
                    &f("absence.length"),
                    a.length.0,
                    SimDuration::from_hours(1),
                    SimDuration::from_days(180),
                )?,
            })
        }
    };
    if s.app.is_empty() {
        return c.fail(f("app"), "each segment needs at least one [[segment.app]]");
    }
    let apps = s
        .app
        .iter()
        .enumerate()
        .map(|(k, a)| validate_app(c, &f(&format!("app[{k}]")), a))
        .collect::<Checked<Vec<_>>>()?;
    Ok(Segment {
        name: s.name.clone(),
        share,
        sign_in: s.sign_in,
        utc_offset_ms: (s.utc_offset_hours * 3_600_000.0).round() as i64,
        guest: s.guest,
        signed_in_at_start: s.signed_in_at_start,
        activity,
        absence,
        apps,
        passwordless_share: match s.passwordless_share {
            Some(share) => c.share(&f("passwordless_share"), share, false)?,
            None if s.sign_in == SignIn::Passwordless => 1.0,
            None => 0.0,
        },
        event_rates: validate_rates(c, &f("event_rates"), &s.event_rates, rates)?,
    })
}

fn validate_app(c: &Checker, prefix: &str, a: &RawApp) -> Checked<AppSpec> {
    let f = |name: &str| format!("{prefix}.{name}");
    let call_interval = c.range(
        &f("call_interval"),
        a.call_interval.0,
        SimDuration::from_secs(1),
        SimDuration::from_days(1),
    )?;
    if a.client.is_service() && a.profile == Profile::MsalJs {
        return c.fail(f("profile"), format!("'msal-js' runs in a browser; a {} client needs msal-python, msal-dotnet or a non-MSAL profile", a.client.label()));
    }
    if a.client == ClientType::Spa && a.profile == Profile::MsalPython {
        return c.fail(
            f("profile"),
            "'msal-python' cannot run a single-page app; use msal-js or a non-MSAL profile",
        );
    }
    if a.catches_errors && a.profile != Profile::MsalPython {
        return c.fail(f("catches_errors"), "only applies to msal-python (the only profile that raises while holding a valid token)");
    }
    if let Some(bad) = a.resources.iter().find(|r| r.trim().is_empty()) {
        return c.fail(f("resources"), format!("'{bad}' is not a resource name"));
    }
    let r = &a.retry;
    if r.cap.0 < r.base.0 {
        return c.fail(
            f("retry.cap"),
            format!("'{}' must be at least retry.base ({})", r.cap.0, r.base.0),
        );
    }
    let default_interval = if a.profile == Profile::FastRetry {
        SimDuration::from_secs(1)
    } else {
        SimDuration::from_secs(30)
    };
    let interval = r.interval.map_or(default_interval, |d| d.0);
    if interval == SimDuration::ZERO {
        return c.fail(
            f("retry.interval"),
            "'0s' would retry in a loop that never advances time; use at least 1ms",
        );
    }
    let retry = RetryPolicy {
        base: r.base.0,
        cap: r.cap.0,
        max_attempts: r
            .max_attempts
            .unwrap_or(if a.profile == Profile::Guided { 6 } else { 0 }),
        jitter: r.jitter,
        interval,
    };
    Ok(AppSpec {
        name: a.name.clone(),
        client: a.client,
        profile: a.profile,
        persistent_cache: a.persistent_cache,
        cp1: a.cp1,
        resources: a.resources.clone(),
        call_interval,
        catches_errors: a.catches_errors,
        timeout: a.timeout.map(|d| d.0).or(a.profile.default_timeout()),
        retry,
    })
}

/// Users per segment by largest remainder, returned as cumulative bounds.
fn allocate(segments: &[Segment], users: u32) -> Vec<u32> {
    let exact: Vec<f64> = segments.iter().map(|s| s.share * users as f64).collect();
    let mut counts: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut left = users - counts.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    std::iter::once(0)
        .chain(counts.iter().scan(0, |acc, c| {
            *acc += c;
            Some(*acc)
        }))
        .collect()
}
