//! Outages: explicit fields or historical presets expanded into phases. A preset's rows
//! are read into the model file's raw outage and checked by the same rules, so both get
//! the same defaults and ranges; a bad row is reported against `datasets/outages.csv`.

use super::*;
use crate::domain::outage::DEFAULT_HANG;

pub(super) fn validate_outage(
    c: &Checker,
    i: usize,
    o: &RawOutage,
    start: NaiveDateTime,
    horizon: SimDuration,
    n_units: u32,
) -> Checked<Vec<Outage>> {
    let prefix = format!("outage[{i}]");
    let f = |name: &str| format!("{prefix}.{name}");
    let Some(start_text) = &o.start else {
        return c.fail(f("start"), "missing: give a date-time (2026-03-09T09:00) or an offset from the scenario start (7d9h)");
    };
    let at = c.instant(&f("start"), start_text, start, horizon)?;
    let units = target_units(c, &prefix, o, n_units)?;
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
                .map(|p| preset_phase(p, n_units))
                .collect::<Checked<Vec<_>>>()?
        }
        None => {
            let (duration, kind) = outage_fields(c, &prefix, o)?;
            vec![(SimDuration::ZERO, duration, kind, None)]
        }
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

/// Longest outage, and latest start of a preset's phase within its incident.
const MAX_OUTAGE: SimDuration = SimDuration::from_days(400);

/// `(offset in the incident, duration, kind, the preset's units)`.
type Phase = (SimDuration, SimDuration, OutageKind, Option<UnitSelection>);

/// The units an outage targets (`None`: not given, so all or the preset's).
fn target_units(
    c: &Checker,
    prefix: &str,
    o: &RawOutage,
    n_units: u32,
) -> Checked<Option<UnitSelection>> {
    let f = |name: &str| format!("{prefix}.{name}");
    Ok(match (&o.units, o.unit_share) {
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
    })
}

/// One row of the preset table, checked as a model file's outage would be, with the
/// errors naming the table, the preset and the phase.
fn preset_phase(p: &PresetPhase, n_units: u32) -> Checked<Phase> {
    let c = Checker {
        file: presets::SOURCE,
    };
    let prefix = format!("{} phase {}", p.id, p.phase);
    let offset = c.range(
        &format!("{prefix}.offset"),
        p.offset.0,
        SimDuration::ZERO,
        MAX_OUTAGE,
    )?;
    let raw = p.outage();
    let (duration, kind) = outage_fields(&c, &prefix, &raw)?;
    let units = target_units(&c, &prefix, &raw, n_units)?;
    Ok((offset, duration, kind, units))
}

/// The length and kind of an outage from its explicit fields.
fn outage_fields(c: &Checker, prefix: &str, o: &RawOutage) -> Checked<(SimDuration, OutageKind)> {
    let f = |name: &str| format!("{prefix}.{name}");
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
    c.range(&f("duration"), duration.0, SimDuration(1), MAX_OUTAGE)?;
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
                RawFailure::Timeout => Some(o.hang.map_or(DEFAULT_HANG, |h| h.0)),
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
    Ok((duration.0, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,phase,offset,kind,duration,failure,retry_after,hang,success,latency,factor,units,unit_share,description,source\n";

    /// The one phase of a preset table holding `row` (without id, phase, description
    /// and source), validated for a run of four units.
    fn check_row(row: &str) -> Checked<Phase> {
        let rows = presets::parse(&format!("{HEADER}test,1,{row},what,where\n")).unwrap();
        preset_phase(&rows[0], 4)
    }

    fn error_of(row: &str) -> String {
        check_row(row).unwrap_err().to_string()
    }

    /// Issue 11: preset rows were parsed by string slicing, beside the serde path, and
    /// skipped every range check a model file's outage gets: a success of 1.5, a zero
    /// duration or a share of two units ran as given.
    #[test]
    fn preset_outages_skipped_the_range_checks() {
        for (row, field, value) in [
            (
                "0s,degraded,79m,,,,1.5,,,all,",
                "success",
                "'1.5' is not a share",
            ),
            (
                "0s,full,0s,5xx,,,,,,all,",
                "duration",
                "'0s' must be longer than zero",
            ),
            (
                "0s,capacity,1h,,,,,,-0.5,all,",
                "factor",
                "'-0.5' is not a share",
            ),
            (
                "0s,degraded,1h,,,,0.9,2h,,all,",
                "latency",
                "'2h' is out of range",
            ),
            (
                "0s,full,1h,timeout,,0s,,,,all,",
                "hang",
                "'0s' is out of range",
            ),
            ("0s,full,1h,5xx,,,,,,,2", "unit_share", "'2' is not a share"),
            ("0s,full,1h,5xx,,,,,,7,", "units", "'7' is not a unit"),
            ("0s,full,1h,5xx,,,,,,eu,", "units", "'eu' is not \"all\""),
            (
                "401d,full,1h,5xx,,,,,,all,",
                "offset",
                "'401d' is out of range",
            ),
        ] {
            let e = error_of(row);
            assert!(
                e.starts_with(&format!(
                    "datasets/outages.csv: test phase 1.{field}: {value}"
                )),
                "{row}: {e}"
            );
        }
    }

    /// Issue 11: the preset path and the model path each wrote their own hang default
    /// (and a preset could not set the hang at all); both now take DEFAULT_HANG unless
    /// the hang is given, and a preset may give it.
    #[test]
    fn preset_and_model_outages_had_two_hang_defaults() {
        let timeout = |hang| OutageKind::Full {
            hang: Some(hang),
            retry_after: None,
        };
        let (_, _, preset, _) = check_row("0s,full,1h,timeout,,,,,,all,").unwrap();
        let model = RawOutage {
            kind: Some(RawOutageKind::Full),
            duration: Some(Dur(SimDuration::from_hours(1))),
            failure: Some(RawFailure::Timeout),
            ..RawOutage::default()
        };
        let (_, from_model) =
            outage_fields(&Checker { file: "m.toml" }, "outage[0]", &model).unwrap();
        assert_eq!(preset, timeout(DEFAULT_HANG));
        assert_eq!(from_model, preset);
        let (_, _, given, _) = check_row("0s,full,1h,timeout,,30s,,,,all,").unwrap();
        assert_eq!(given, timeout(SimDuration::from_secs(30)));
    }

    /// Every shipped preset passes the checks, whatever the unit count.
    #[test]
    fn every_embedded_preset_phase_passes_the_model_checks() {
        for p in presets::phases().unwrap() {
            for units in [1, 200] {
                preset_phase(&p, units).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
}
