//! The `exposure` object of `summary.json` and the exposure headline sentences. Measure
//! (a), the tail of a session the event revoked, and measure (b), the sessions it left
//! alive, are computed separately and never pooled ([`crate::domain::exposure`]).

use super::units::{duration, percent};
use crate::domain::EventKind;
use crate::domain::events::EventModel;
use crate::domain::exposure::{Attacker, Fate, Window};
use crate::sim::RevocationRecord;
use serde::{Deserialize, Serialize};

/// Exposure statistics over revocation rows (one per event and app).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExposureStats {
    /// Rows: events × apps of the user hit.
    pub events: u64,
    /// Median exposure in minutes (`null` without events).
    pub p50_minutes: Option<f64>,
    /// 95th percentile (nearest rank).
    pub p95_minutes: Option<f64>,
    /// Longest.
    pub max_minutes: Option<f64>,
}

impl ExposureStats {
    /// Statistics of `minutes` (any order).
    pub fn of(mut minutes: Vec<f64>) -> ExposureStats {
        minutes.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let n = minutes.len();
            (n > 0).then(|| minutes[((p * n as f64).ceil() as usize).clamp(1, n) - 1])
        };
        ExposureStats {
            events: minutes.len() as u64,
            p50_minutes: rank(0.5),
            p95_minutes: rank(0.95),
            max_minutes: minutes.last().copied(),
        }
    }

    /// `p50 47 min / p95 86 min`, or `None` without rows.
    fn text(&self) -> Option<String> {
        Some(format!(
            "p50 {} / p95 {}",
            duration(self.p50_minutes?),
            duration(self.p95_minutes?)
        ))
    }
}

/// Measure (b) of one event kind: the sessions it left alive.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LeftAlive {
    /// Sessions left alive.
    pub sessions: u64,
    /// Their share of the apps that held a session.
    pub share: Option<f64>,
    /// How many stay usable indefinitely while used (no max age or sign-in frequency).
    pub indefinitely: u64,
    /// How long the others stay usable while used.
    pub while_used: ExposureStats,
    /// How long they all stay usable if nobody uses them again (their own timeout).
    pub idle: ExposureStats,
}

/// Measure (a) of one event kind and attacker: the tail of the sessions it revoked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tail {
    /// Attacker model.
    pub attacker: Attacker,
    /// Revoked sessions whose resources enforced the event through CAE (one from which
    /// the attacker gets nothing counts as zero minutes).
    pub cae: ExposureStats,
    /// The other revoked sessions.
    pub non_cae: ExposureStats,
    /// Of those, the sessions from which this attacker gets nothing (Token Protection).
    pub nothing: u64,
    /// Sessions left alive that this attacker cannot use (Token Protection).
    pub alive_bound: u64,
}

/// Exposure of one event kind.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventExposure {
    /// Event kind.
    pub event: EventKind,
    /// Rows (apps of the users hit).
    pub rows: u64,
    /// Measure (a) per attacker model.
    pub revoked: Vec<Tail>,
    /// Measure (b).
    pub left_alive: LeftAlive,
}

/// The headline exposure — measure (a) for the model's headline attacker and event
/// kinds (`events.exposure_attacker`, `events.exposure_events`) — with the breakdown per
/// event kind. The flattened statistics keep the fields older summaries had.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Exposure {
    /// Revoked sessions of the headline event kinds, for the headline attacker.
    #[serde(flatten)]
    pub all: ExposureStats,
    /// Those whose resources enforced the event through CAE.
    pub cae: ExposureStats,
    /// Those whose resources did not.
    pub non_cae: ExposureStats,
    /// Headline attacker model.
    pub attacker: Attacker,
    /// Measure (b) beside it: share of the sessions of the headline kinds left alive.
    pub left_alive_share: Option<f64>,
    /// One sentence per headline event kind that occurred.
    pub headlines: Vec<String>,
    /// Per event kind that occurred, in [`EventKind::ALL`] order.
    pub by_event: Vec<EventExposure>,
}

/// The parts of the `exposure` object that analytics read back from `summary.json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExposureView {
    /// p95 of measure (a) for the headline attacker and event kinds.
    #[serde(default)]
    pub p95_minutes: Option<f64>,
    /// Measure (b) beside it.
    #[serde(default)]
    pub left_alive_share: Option<f64>,
    /// The headline sentences.
    #[serde(default)]
    pub headlines: Vec<String>,
    /// Per event kind: how many rows of `revocations.csv` it has.
    #[serde(default)]
    pub by_event: Vec<EventRows>,
}

/// The row count of one event kind's entry in `by_event`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventRows {
    /// Rows (apps of the users hit).
    pub rows: u64,
}

impl ExposureView {
    /// Rows of `revocations.csv` the summary accounts for.
    pub fn rows(&self) -> u64 {
        self.by_event.iter().map(|e| e.rows).sum()
    }
}

/// Measure (a) of a revoked session in minutes: its tail, or zero when the attacker
/// holds nothing usable (Token Protection), so the policy shows in the percentiles.
fn minutes(w: Window) -> Option<f64> {
    match w {
        Window::Tail(d) => Some(d.as_minutes_f64()),
        Window::Nothing => Some(0.0),
        Window::Alive(_) => None,
    }
}

fn tail(rows: &[&RevocationRecord], attacker: Attacker) -> Tail {
    let revoked: Vec<_> = rows
        .iter()
        .filter(|r| r.facts.fate == Fate::Revoked)
        .collect();
    let of = |cae: bool| {
        ExposureStats::of(
            revoked
                .iter()
                .filter(|r| r.cae == cae)
                .filter_map(|r| minutes(r.facts.window(attacker)))
                .collect(),
        )
    };
    Tail {
        attacker,
        cae: of(true),
        non_cae: of(false),
        nothing: revoked
            .iter()
            .filter(|r| r.facts.window(attacker) == Window::Nothing)
            .count() as u64,
        alive_bound: rows
            .iter()
            .filter(|r| r.facts.fate == Fate::LeftAlive)
            .filter(|r| r.facts.window(attacker) == Window::Nothing)
            .count() as u64,
    }
}

fn left_alive(rows: &[&RevocationRecord]) -> LeftAlive {
    let with_session = rows
        .iter()
        .filter(|r| r.facts.fate != Fate::NoSession)
        .count();
    let alive: Vec<_> = rows
        .iter()
        .filter(|r| r.facts.fate == Fate::LeftAlive)
        .collect();
    LeftAlive {
        sessions: alive.len() as u64,
        share: (with_session > 0).then(|| alive.len() as f64 / with_session as f64),
        indefinitely: alive
            .iter()
            .filter(|r| r.facts.while_used.is_none())
            .count() as u64,
        while_used: ExposureStats::of(
            alive
                .iter()
                .filter_map(|r| r.facts.while_used.map(|d| d.as_minutes_f64()))
                .collect(),
        ),
        idle: ExposureStats::of(
            alive
                .iter()
                .map(|r| r.facts.idle.as_minutes_f64())
                .collect(),
        ),
    }
}

impl EventExposure {
    fn of(event: EventKind, rows: &[&RevocationRecord]) -> EventExposure {
        EventExposure {
            event,
            rows: rows.len() as u64,
            revoked: Attacker::ALL.iter().map(|a| tail(rows, *a)).collect(),
            left_alive: left_alive(rows),
        }
    }

    /// The sentence an architect can quote, for `attacker`.
    pub fn headline(&self, attacker: Attacker) -> String {
        let t = self
            .revoked
            .iter()
            .find(|t| t.attacker == attacker)
            .expect("every attacker has a tail");
        let who = match attacker {
            Attacker::StolenAccessToken => "a stolen access token",
            Attacker::Replay => "a replayed refresh token or cookie",
            Attacker::CompromisedDevice => "a token taken from a compromised device",
        };
        let event = self.event.label();
        let mut s = match (t.non_cae.text(), t.cae.text()) {
            (Some(n), Some(c)) => format!("{n} (with CAE: {c})"),
            (Some(n), None) => n,
            (None, Some(c)) => format!("{c} (all of them with CAE)"),
            (None, None) => String::new(),
        };
        s = if s.is_empty() {
            format!("after {event}, no session is revoked")
        } else {
            format!("after {event}, {who} from a revoked session stays usable {s}")
        };
        let revoked = t.cae.events + t.non_cae.events;
        if t.nothing > 0 {
            s += &format!(
                " and gives nothing for the {} bound by Token Protection",
                percent(t.nothing as f64 / revoked as f64)
            );
        }
        let a = &self.left_alive;
        if let Some(share) = a.share.filter(|s| *s > 0.0) {
            let how = if a.indefinitely == a.sessions {
                "indefinitely while used".to_string()
            } else {
                match a.while_used.max_minutes {
                    Some(m) if a.indefinitely == 0 => format!("up to {} while used", duration(m)),
                    _ => format!("indefinitely while used ({} of them)", a.indefinitely),
                }
            };
            s += &format!(
                "; {} of sessions are kept by the revocation matrix (passwordless, confidential or not covered by this event) and stay usable {how}",
                percent(share)
            );
            if t.alive_bound > 0 {
                s += &format!(
                    ", though not to this attacker for the {} bound by Token Protection",
                    percent(t.alive_bound as f64 / a.sessions as f64)
                );
            }
        }
        s
    }
}

impl Exposure {
    /// The exposure of a run's revocation rows under the model's headline settings.
    pub fn of(rows: &[&RevocationRecord], events: &EventModel) -> Exposure {
        let by_event: Vec<EventExposure> = EventKind::ALL
            .iter()
            .filter_map(|k| {
                let mine: Vec<_> = rows.iter().copied().filter(|r| r.event == *k).collect();
                (!mine.is_empty()).then(|| EventExposure::of(*k, &mine))
            })
            .collect();
        let attacker = events.exposure_attacker;
        let chosen: Vec<_> = rows
            .iter()
            .copied()
            .filter(|r| events.in_headline(r.event))
            .collect();
        let t = tail(&chosen, attacker);
        let all = chosen
            .iter()
            .filter(|r| r.facts.fate == Fate::Revoked)
            .filter_map(|r| minutes(r.facts.window(attacker)))
            .collect();
        Exposure {
            all: ExposureStats::of(all),
            cae: t.cae,
            non_cae: t.non_cae,
            attacker,
            left_alive_share: left_alive(&chosen).share,
            headlines: by_event
                .iter()
                .filter(|e| events.in_headline(e.event))
                .map(|e| e.headline(attacker))
                .collect(),
            by_event,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let s = ExposureStats::of((1..=20).rev().map(f64::from).collect());
        assert_eq!(s.events, 20);
        assert_eq!(s.p50_minutes, Some(10.0));
        assert_eq!(s.p95_minutes, Some(19.0));
        assert_eq!(s.max_minutes, Some(20.0));
        let none = ExposureStats::of(vec![]);
        assert_eq!((none.events, none.p50_minutes), (0, None));
    }
}
