//! Credential and admin event rates and scripted campaigns.

use super::*;
use crate::domain::EventKind;

/// Event rates of `field` on top of `base`: each given kind replaces the base rate.
pub(super) fn validate_rates(
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

pub(super) fn validate_events(
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
    if let Some(k) = e.exposure_events.iter().find(|k| !k.cuts_access()) {
        return c.fail(
            "events.exposure_events",
            format!(
                "'{}' does not cut access, so it has no exposure (use one of {})",
                k.label(),
                EventKind::ALL
                    .iter()
                    .filter(|k| k.cuts_access())
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    Ok(EventModel {
        campaigns,
        admin_api_lag,
        exposure_events: e.exposure_events.clone(),
        exposure_attacker: e.exposure_attacker,
    })
}
