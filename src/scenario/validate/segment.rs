//! Segments and their apps, and how users are allocated to segments.

use super::device::{device_of, validate_devices};
use super::*;
use crate::domain::user::HOURS_PER_WEEK;
use crate::policy::token_protection;
use std::sync::Arc;

/// Most segments a model may have (their indices are 16-bit, and every segment keeps
/// a column per unit and minute).
const MAX_SEGMENTS: usize = 1_000;
/// Most apps a segment may have.
const MAX_APPS: usize = 100;

pub(super) fn validate_segments(
    c: &Checker,
    raw: &[RawSegment],
    rates: EventRates,
) -> Checked<Vec<Segment>> {
    if raw.is_empty() || raw.len() > MAX_SEGMENTS {
        return c.fail(
            "segment",
            format!(
                "{} segments; from 1 to {MAX_SEGMENTS} [[segment]] are allowed",
                raw.len()
            ),
        );
    }
    if let Some(k) = (0..raw.len()).find(|&k| raw[..k].iter().any(|s| s.name == raw[k].name)) {
        return c.fail(
            format!("segment[{k}].name"),
            format!(
                "'{}' names two segments; names must differ (they key the reports' rows)",
                raw[k].name
            ),
        );
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
            let (start_text, end_text) = (start, end);
            let (start, end) = (clock("activity.start", start)?, clock("activity.end", end)?);
            if end <= start + jitter.0 + jitter.0 {
                return c.fail(
                    f("activity.end"),
                    format!(
                        "'{end_text}' must come after start ({start_text}) plus twice the jitter ({})",
                        jitter.0
                    ),
                );
            }
            Activity::WorkingHours {
                start,
                end,
                jitter: c.range(
                    &f("activity.jitter"),
                    jitter.0,
                    SimDuration::ZERO,
                    SimDuration::from_hours(6),
                )?,
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
                session: c.range(
                    &f("activity.session"),
                    session.0,
                    SimDuration::ZERO,
                    SimDuration::from_days(1),
                )?,
            }
        }
        RawActivity::Weekly {
            rates_per_hour,
            session,
        } => Activity::Weekly {
            rates_per_hour: weekly_rates(c, &f("activity.rates_per_hour"), rates_per_hour)?,
            session: c.range(
                &f("activity.session"),
                session.0,
                SimDuration::ZERO,
                SimDuration::from_days(1),
            )?,
        },
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
    if s.app.is_empty() || s.app.len() > MAX_APPS {
        return c.fail(
            f("app"),
            format!(
                "{} apps; each segment needs from 1 to {MAX_APPS} [[segment.app]]",
                s.app.len()
            ),
        );
    }
    if let Some(k) = (0..s.app.len()).find(|&k| s.app[..k].iter().any(|a| a.name == s.app[k].name))
    {
        return c.fail(
            f(&format!("app[{k}].name")),
            format!(
                "'{}' names two apps of the segment; names must differ (they key the reports' rows)",
                s.app[k].name
            ),
        );
    }
    for (field, name) in std::iter::once((f("name"), &s.name)).chain(
        s.app
            .iter()
            .enumerate()
            .map(|(k, a)| (f(&format!("app[{k}].name")), &a.name)),
    ) {
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return c.fail(
                field,
                format!("'{name}' must have 1 to {MAX_NAME} characters"),
            );
        }
    }
    let devices = validate_devices(c, &f("device"), &s.device)?;
    let apps = s
        .app
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let prefix = f(&format!("app[{k}]"));
            let mut app = validate_app(c, &prefix, a, s.token_protection)?;
            app.device = device_of(c, &prefix, a, &devices)?;
            Ok(app)
        })
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
        devices,
        broker_share: c.share(&f("broker_share"), s.broker_share, false)?,
        passwordless_share: match s.passwordless_share {
            Some(share) => c.share(&f("passwordless_share"), share, false)?,
            None if s.sign_in == SignIn::Passwordless => 1.0,
            None => 0.0,
        },
        event_rates: validate_rates(c, &f("event_rates"), &s.event_rates, rates)?,
        ip_mismatch_share: s
            .ip_mismatch_share
            .map(|v| c.share(&f("ip_mismatch_share"), v, false))
            .transpose()?,
    })
}

/// A weekly profile: 168 finite rates from 0 to 1000 per hour, not all zero.
fn weekly_rates(c: &Checker, field: &str, rates: &[f64]) -> Checked<Arc<[f64]>> {
    if rates.len() != HOURS_PER_WEEK {
        return c.fail(
            field,
            format!(
                "has {} values; it needs {HOURS_PER_WEEK}, one per hour of the week from Monday 00:00",
                rates.len()
            ),
        );
    }
    if let Some((h, r)) = rates
        .iter()
        .enumerate()
        .find(|(_, r)| !(r.is_finite() && (0.0..=1000.0).contains(*r)))
    {
        return c.fail(
            format!("{field}[{h}]"),
            format!("'{r}' must be a rate from 0 to 1000 sessions per hour"),
        );
    }
    if rates.iter().all(|r| *r == 0.0) {
        return c.fail(field, "every rate is 0: nobody would ever be active");
    }
    Ok(rates.into())
}

fn validate_app(c: &Checker, prefix: &str, a: &RawApp, segment_tp: bool) -> Checked<AppSpec> {
    let f = |name: &str| format!("{prefix}.{name}");
    let in_scope = token_protection::covers(a.client, &a.resources);
    if a.token_protection == Some(true) && !in_scope {
        return c.fail(
            f("token_protection"),
            format!(
                "'true' for a {} app calling {}: Token Protection covers only {}",
                a.client.label(),
                a.resources.join(", "),
                token_protection::SCOPE
            ),
        );
    }
    let call_interval = c.range(
        &f("call_interval"),
        a.call_interval.0,
        CALL_INTERVAL.0,
        CALL_INTERVAL.1,
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
    if let Some(t) = a.timeout {
        c.range(&f("timeout"), t.0, SimDuration::from_secs(1), HOUR)?;
    }
    let r = &a.retry;
    c.range(&f("retry.base"), r.base.0, SimDuration(1), DAY)?;
    c.range(&f("retry.cap"), r.cap.0, SimDuration(1), DAY)?;
    if let Some(i) = r.interval {
        c.range(&f("retry.interval"), i.0, SimDuration::ZERO, DAY)?;
    }
    if let Some(n) = r.max_attempts.filter(|n| *n > 1_000) {
        return c.fail(
            f("retry.max_attempts"),
            format!("'{n}' is out of range (allowed 0, unlimited, to 1000)"),
        );
    }
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
        token_protection: in_scope && a.token_protection.unwrap_or(segment_tp),
        call_interval,
        catches_errors: a.catches_errors,
        timeout: a.timeout.map(|d| d.0).or(a.profile.default_timeout()),
        retry,
        device: None,
        family: a.family,
    })
}

/// Users per segment by largest remainder, returned as cumulative bounds.
pub(super) fn allocate(segments: &[Segment], users: u32) -> Vec<u32> {
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
