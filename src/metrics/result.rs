//! A finished run: every unit's recorder in unit order, and the writers of its tables.

use super::atomic;
use super::recorder::Recorder;
use super::schema::{self, revocations as rc, timeseries as ts, users as uc};
use crate::domain::exposure::{Attacker, Fate, Window};
use crate::engine::SimTime;
use crate::engine::time::MS_PER_MINUTE;
use crate::policy::PromptCause;
use crate::scenario::Scenario;
use crate::scenario::population::{segment_of, unit_of};
use crate::sim::{Outcome, RevocationRecord, RunError, UnitRun, run_units};
use std::io::Write;
use std::path::Path;

/// All units of a run, merged in unit order.
pub struct RunResult {
    /// The scenario that ran.
    pub scenario: Scenario,
    /// Unit results, index = unit.
    pub units: Vec<UnitRun<Recorder>>,
}

impl RunResult {
    /// Simulates `scenario` on `threads` threads; `progress` gets 1 per unit-day and
    /// returns `false` to cancel.
    pub fn simulate(
        scenario: Scenario,
        threads: usize,
        progress: &(dyn Fn(u64) -> bool + Sync),
    ) -> Result<RunResult, RunError> {
        let units = run_units(
            &scenario,
            threads,
            |unit, rows| Recorder::new(&scenario, unit, rows),
            progress,
        )?;
        Ok(RunResult { scenario, units })
    }

    /// Events processed over all units.
    pub fn events(&self) -> u64 {
        self.units.iter().map(|u| u.events).sum()
    }

    /// Per-minute capacity (requests per minute) of `unit`.
    pub fn capacity_per_minute(&self, unit: u32) -> Vec<f64> {
        let platform = self.scenario.platform_unit(unit);
        let minutes = self.scenario.horizon.as_millis().div_ceil(MS_PER_MINUTE);
        (0..minutes)
            .map(|m| platform.capacity_at(SimTime(m * MS_PER_MINUTE)) * 60.0)
            .collect()
    }

    /// Writes `users.csv`, `timeseries.csv`, `segment_timeseries.csv`, `revocations.csv`,
    /// `units.csv` and `model.toml` into `dir` (the summary is computed from these
    /// tables: `analytics::summary::write_run`).
    pub fn write_all(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        self.write_users(&dir.join(schema::USERS_CSV))?;
        self.write_timeseries(&dir.join(schema::TIMESERIES_CSV))?;
        self.write_revocations(&dir.join(schema::REVOCATIONS_CSV))?;
        self.write_segments(&dir.join(schema::SEGMENTS_CSV))?;
        super::unit_tallies::write_units(self, &dir.join(schema::UNITS_CSV))?;
        let model = crate::scenario::load::to_toml(&self.scenario.raw);
        atomic::write_bytes(&dir.join(schema::MODEL_TOML), model.as_bytes())
    }

    /// Column names of `users.csv`.
    pub fn users_header() -> Vec<String> {
        let mut h: Vec<String> = [
            uc::USER,
            uc::UNIT,
            uc::SEGMENT,
            uc::APP,
            uc::PROFILE,
            uc::CLIENT,
            uc::SIGN_IN,
            uc::MINUTES_WANTED,
            uc::MINUTES_BLOCKED,
            uc::USER_MINUTES_BLOCKED,
            uc::CALLS_FAILED,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        h.extend(
            Outcome::ALL
                .iter()
                .map(|o| format!("{}{}", uc::REQUESTS_PREFIX, o.label())),
        );
        h.extend(
            PromptCause::ALL
                .iter()
                .map(|c| format!("{}{}", uc::PROMPTS_PREFIX, c.label())),
        );
        h.push(uc::PROMPTS_TOTAL.into());
        h
    }

    fn write_users(&self, path: &Path) -> std::io::Result<()> {
        atomic::write_with(path, |w| {
            let mut out = csv::Writer::from_writer(w);
            out.write_record(Self::users_header())?;
            let s = &self.scenario;
            let mut rows: Vec<(u32, u16, usize, usize)> = Vec::new();
            for (ui, unit) in self.units.iter().enumerate() {
                for (k, row) in unit.rows.iter().enumerate() {
                    rows.push((row.user, row.slot, ui, k));
                }
            }
            rows.sort_unstable();
            for (user, slot, ui, k) in rows {
                let unit = &self.units[ui];
                let rec = &unit.observer;
                let row = unit.rows[k];
                let segment = &s.segments[row.segment as usize];
                let app = &segment.apps[slot as usize];
                let mut rec_out: Vec<String> = vec![
                    user.to_string(),
                    unit_of(s, user).to_string(),
                    segment.name.clone(),
                    app.name.clone(),
                    app.profile.label().into(),
                    app.client.label().into(),
                    segment.sign_in.label().into(),
                    minutes(rec.wanted_ms[rec.local_user(user)]),
                    minutes(rec.blocked_ms[k]),
                    minutes(rec.blocked_ms_of_user[rec.local_user(user)]),
                    rec.calls_failed[k].to_string(),
                ];
                rec_out.extend(rec.requests[k].iter().map(u64::to_string));
                rec_out.extend(rec.prompts[k].iter().map(u32::to_string));
                rec_out.push(rec.prompts[k].iter().sum::<u32>().to_string());
                out.write_record(&rec_out)?;
            }
            out.flush()?;
            Ok(())
        })
    }

    /// Every unit's revocation records, ordered by time, then user and app (a stable
    /// sort of the unit-ordered lists, so the order never depends on threads).
    pub fn revocations(&self) -> Vec<&RevocationRecord> {
        let mut all: Vec<&RevocationRecord> = self
            .units
            .iter()
            .flat_map(|u| &u.observer.revocations)
            .collect();
        all.sort_by_key(|r| (r.t, r.app.user, r.app.slot));
        all
    }

    fn write_revocations(&self, path: &Path) -> std::io::Result<()> {
        atomic::write_with(path, |w| {
            let mut out = csv::Writer::from_writer(w);
            out.write_record(rc::all())?;
            let s = &self.scenario;
            for r in self.revocations() {
                let segment = &s.segments[segment_of(s, r.app.user) as usize];
                let app = &segment.apps[r.app.slot as usize];
                let f = &r.facts;
                let mut row = vec![
                    r.app.user.to_string(),
                    unit_of(s, r.app.user).to_string(),
                    segment.name.clone(),
                    app.name.clone(),
                    app.client.label().to_string(),
                    r.event.label().to_string(),
                    minutes(r.t.as_millis()),
                    r.revoked.labels(),
                    r.alive.labels(),
                    f.fate.label().to_string(),
                    r.cae.to_string(),
                    f.protected.to_string(),
                ];
                for a in Attacker::ALL {
                    let (measure, value) = match f.window(a) {
                        Window::Tail(d) => (rc::TAIL, Some(d)),
                        Window::Alive(d) => (rc::LEFT_ALIVE, d),
                        Window::Nothing => (rc::NOTHING, None),
                    };
                    row.push(measure.to_string());
                    row.push(value.map_or(String::new(), |d| minutes(d.as_millis())));
                }
                row.push(if f.fate == Fate::LeftAlive {
                    minutes(f.idle.as_millis())
                } else {
                    String::new()
                });
                row.push(r.campaign.map_or(String::new(), |k| {
                    s.events.campaigns[k as usize].name.clone()
                }));
                out.write_record(&row)?;
            }
            out.flush()?;
            Ok(())
        })
    }

    fn write_timeseries(&self, path: &Path) -> std::io::Result<()> {
        atomic::write_with(path, |w| {
            writeln!(w, "{}", ts::ALL.join(","))?;
            let start = self.scenario.start;
            for unit in &self.units {
                let c = &unit.observer.minute;
                let capacity = self.capacity_per_minute(unit.unit);
                for (m, capacity) in capacity.iter().enumerate() {
                    let time = start + chrono::Duration::minutes(m as i64);
                    writeln!(
                        w,
                        "{m},{},{},{},{},{},{},{},{},{},{}",
                        time.format("%Y-%m-%dT%H:%M"),
                        unit.unit,
                        c.offered[m],
                        c.admitted[m],
                        c.shed[m],
                        c.failed[m],
                        c.backup[m],
                        capacity.round() as u64,
                        c.active_users[m],
                        c.blocked_users[m],
                    )?;
                }
            }
            Ok(())
        })
    }
}

impl RunResult {
    fn write_segments(&self, path: &Path) -> std::io::Result<()> {
        atomic::write_with(path, |w| {
            let mut out = csv::Writer::from_writer(w);
            out.write_record(schema::segments::ALL)?;
            let minutes = self.scenario.horizon.as_millis().div_ceil(MS_PER_MINUTE) as usize;
            for m in 0..minutes {
                for (k, segment) in self.scenario.segments.iter().enumerate() {
                    let blocked: u64 = self
                        .units
                        .iter()
                        .map(|u| u.observer.segment_blocked_users[k][m] as u64)
                        .sum();
                    out.write_record([&m.to_string(), &segment.name, &blocked.to_string()])?;
                }
            }
            out.flush()
        })
    }
}

/// Milliseconds as minutes with two decimals.
fn minutes(ms: u64) -> String {
    format!("{:.2}", ms as f64 / MS_PER_MINUTE as f64)
}
