//! Outages: explicit fields or historical presets expanded into phases.

use super::*;

pub(super) fn validate_outage(
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
    Ok(phases
        .into_iter()
        .enumerate()
        .map(|(k, (offset, duration, kind, preset_units))| Outage {
            name: name.clone(),
            incident: i,
            phase: k as u32 + 1,
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
    c.range(
        &f("duration"),
        duration.0,
        SimDuration(1),
        SimDuration::from_days(400),
    )?;
    // A zero hang or Retry-After would answer again in the same millisecond.
    for (name, d, lo, hi) in [
        ("retry_after", o.retry_after, SimDuration(1), HOUR),
        ("hang", o.hang, SimDuration(1), DAY),
        ("latency", o.latency, SimDuration::ZERO, HOUR),
    ] {
        if let Some(d) = d {
            c.range(&f(name), d.0, lo, hi)?;
        }
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
