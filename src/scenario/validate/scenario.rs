//! `[scenario]`: the run's name, calendar, size, and what one unit's queue can hold.

use super::*;

/// Most scale units a run may have.
const MAX_UNITS: u32 = 100_000;

/// `[scenario]`: a name that can name a folder, the start, the horizon, the population
/// and its scale units. Returns the start and the horizon.
pub(super) fn validate_scenario(
    c: &Checker,
    s: &RawScenario,
) -> Checked<(NaiveDateTime, SimDuration)> {
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
    Ok((start, horizon))
}

/// Each user keeps at most a session event and each app a wake-up and a reply pending
/// (plus a few credential events): the unit's event queue must hold them all.
pub(super) fn check_queue_fits(c: &Checker, s: &RawScenario, segments: &[Segment]) -> Checked<()> {
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
    Ok(())
}
