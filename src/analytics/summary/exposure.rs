//! The summary's `exposure` object from `revocations.csv`: measure (a), the tail of the
//! sessions an event revoked, and measure (b), the sessions it left alive, never pooled
//! ([`crate::domain::exposure`]); percentiles by [`exprs::quantile`], as every table.

use super::super::exprs::{self, num};
use super::super::{Result, RunTables, computing};
use crate::domain::EventKind;
use crate::domain::exposure::{Attacker, Fate};
use crate::metrics::exposure::{EventExposure, Exposure, ExposureStats, LeftAlive, Tail};
use crate::metrics::schema::revocations as rc;
use polars::prelude::*;

/// An attacker's window in one revocation row, as the table states it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Window {
    /// Measure (a): minutes the revoked session's tokens stay usable.
    Tail(f64),
    /// Measure (b): the session survives, usable while used for so long (`None`:
    /// indefinitely).
    Alive(Option<f64>),
    /// The attacker holds nothing usable.
    Nothing,
}

/// One row of `revocations.csv`, with what the summary reads of it.
struct Row {
    event: String,
    fate: String,
    cae: bool,
    windows: [Window; Attacker::ALL.len()],
    idle: Option<f64>,
}

impl Row {
    fn window(&self, attacker: Attacker) -> Window {
        self.windows[Attacker::ALL
            .iter()
            .position(|a| *a == attacker)
            .unwrap_or(0)]
    }

    fn is(&self, fate: Fate) -> bool {
        self.fate == fate.label()
    }

    /// How long a session left alive stays usable while used: the window of the
    /// attacker on the device, whom Token Protection never stops.
    fn while_used(&self) -> Option<f64> {
        match self.window(Attacker::CompromisedDevice) {
            Window::Alive(d) => d,
            _ => None,
        }
    }
}

/// Measure (a) of a revoked session in minutes: its tail, or zero when the attacker
/// holds nothing usable (Token Protection), so the policy shows in the percentiles.
fn minutes(w: Window) -> Option<f64> {
    match w {
        Window::Tail(d) => Some(d),
        Window::Nothing => Some(0.0),
        Window::Alive(_) => None,
    }
}

/// Count, p50, p95 and max of `values` (any order).
pub fn stats(values: Vec<f64>) -> Result<ExposureStats> {
    const WHAT: &str = "the exposure percentiles";
    const V: &str = "minutes";
    let n = values.len() as u64;
    if values.is_empty() {
        // No rows, no statistics: what the expressions give for an empty column.
        return Ok(ExposureStats {
            events: 0,
            p50_minutes: None,
            p95_minutes: None,
            max_minutes: None,
        });
    }
    let df = computing(
        WHAT,
        DataFrame::new(n as usize, vec![Column::new(V.into(), values)]),
    )?;
    let out = computing(
        WHAT,
        df.lazy()
            .select([
                exprs::quantile(col(V), 0.5).alias("p50"),
                exprs::quantile(col(V), 0.95).alias("p95"),
                col(V).max().alias("max"),
            ])
            .collect(),
    )?;
    let get = |c: &str| super::scalar(&out, c);
    Ok(ExposureStats {
        events: n,
        p50_minutes: get("p50")?,
        p95_minutes: get("p95")?,
        max_minutes: get("max")?,
    })
}

fn tail(rows: &[&Row], attacker: Attacker) -> Result<Tail> {
    let revoked: Vec<&&Row> = rows.iter().filter(|r| r.is(Fate::Revoked)).collect();
    let of = |cae: bool| {
        stats(
            revoked
                .iter()
                .filter(|r| r.cae == cae)
                .filter_map(|r| minutes(r.window(attacker)))
                .collect(),
        )
    };
    let nothing = |rows: &mut dyn Iterator<Item = &&Row>| {
        rows.filter(|r| r.window(attacker) == Window::Nothing)
            .count() as u64
    };
    Ok(Tail {
        attacker,
        cae: of(true)?,
        non_cae: of(false)?,
        nothing: nothing(&mut revoked.iter().copied()),
        alive_bound: nothing(&mut rows.iter().filter(|r| r.is(Fate::LeftAlive))),
    })
}

fn left_alive(rows: &[&Row]) -> Result<LeftAlive> {
    let with_session = rows.iter().filter(|r| !r.is(Fate::NoSession)).count();
    let alive: Vec<&&Row> = rows.iter().filter(|r| r.is(Fate::LeftAlive)).collect();
    Ok(LeftAlive {
        sessions: alive.len() as u64,
        share: (with_session > 0).then(|| alive.len() as f64 / with_session as f64),
        indefinitely: alive.iter().filter(|r| r.while_used().is_none()).count() as u64,
        while_used: stats(alive.iter().filter_map(|r| r.while_used()).collect())?,
        idle: stats(alive.iter().filter_map(|r| r.idle).collect())?,
    })
}

fn event_exposure(event: EventKind, rows: &[&Row]) -> Result<EventExposure> {
    Ok(EventExposure {
        event,
        rows: rows.len() as u64,
        revoked: Attacker::ALL
            .iter()
            .map(|a| tail(rows, *a))
            .collect::<Result<_>>()?,
        left_alive: left_alive(rows)?,
    })
}

/// The exposure of the run's revocation rows under the model's headline settings.
pub fn exposure(tables: &RunTables) -> Result<Exposure> {
    let events = &tables.scenario.events;
    let all = read_rows(tables)?;
    let rows: Vec<&Row> = all.iter().collect();
    let by_event: Vec<EventExposure> = EventKind::ALL
        .iter()
        .filter_map(|k| {
            let mine: Vec<&Row> = rows
                .iter()
                .copied()
                .filter(|r| r.event == k.label())
                .collect();
            (!mine.is_empty()).then(|| event_exposure(*k, &mine))
        })
        .collect::<Result<_>>()?;
    let attacker = events.exposure_attacker;
    let chosen: Vec<&Row> = rows
        .iter()
        .copied()
        .filter(|r| {
            EventKind::ALL
                .iter()
                .any(|k| k.label() == r.event && events.in_headline(*k))
        })
        .collect();
    let t = tail(&chosen, attacker)?;
    let headline = chosen
        .iter()
        .filter(|r| r.is(Fate::Revoked))
        .filter_map(|r| minutes(r.window(attacker)))
        .collect();
    Ok(Exposure {
        all: stats(headline)?,
        cae: t.cae,
        non_cae: t.non_cae,
        attacker,
        left_alive_share: left_alive(&chosen)?.share,
        headlines: by_event
            .iter()
            .filter(|e| events.in_headline(e.event))
            .map(|e| e.headline(attacker))
            .collect(),
        by_event,
    })
}

/// The rows of `revocations.csv` (none without revocations).
fn read_rows(tables: &RunTables) -> Result<Vec<Row>> {
    const WHAT: &str = "the exposure rows";
    let Some(rev) = &tables.revocations else {
        return Ok(Vec::new());
    };
    let text = |c: &str| col(c).cast(DataType::String);
    let mut columns = vec![
        text(rc::EVENT),
        text(rc::FATE),
        exprs::is_cae(rc::CAE).alias(rc::CAE),
        num(rc::IDLE_MINUTES),
    ];
    for a in Attacker::ALL {
        columns.push(text(rc::measure(a)));
        columns.push(num(rc::minutes(a)));
    }
    let df = computing(WHAT, rev.clone().lazy().select(columns).collect())?;
    let strings = |c: &str| -> Result<Vec<String>> {
        let s = computing(WHAT, df.column(c).and_then(|c| c.str().cloned()))?;
        Ok(s.iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect())
    };
    let numbers = |c: &str| -> Result<Vec<Option<f64>>> {
        Ok(
            computing(WHAT, df.column(c).and_then(|c| c.f64().cloned()))?
                .iter()
                .collect(),
        )
    };
    let cae: Vec<bool> = computing(WHAT, df.column(rc::CAE).and_then(|c| c.bool().cloned()))?
        .iter()
        .map(|v| v.unwrap_or(false))
        .collect();
    let (event, fate, idle) = (
        strings(rc::EVENT)?,
        strings(rc::FATE)?,
        numbers(rc::IDLE_MINUTES)?,
    );
    let mut windows: Vec<Vec<Window>> = Vec::new();
    for a in Attacker::ALL {
        let (measure, mins) = (strings(rc::measure(a))?, numbers(rc::minutes(a))?);
        windows.push(
            measure
                .iter()
                .zip(mins)
                .map(|(m, v)| match m.as_str() {
                    rc::TAIL => Window::Tail(v.unwrap_or(0.0)),
                    rc::LEFT_ALIVE => Window::Alive(v),
                    _ => Window::Nothing,
                })
                .collect(),
        );
    }
    Ok((0..df.height())
        .map(|i| Row {
            event: event[i].clone(),
            fate: fate[i].clone(),
            cae: cae[i],
            windows: std::array::from_fn(|a| windows[a][i]),
            idle: idle[i],
        })
        .collect())
}
