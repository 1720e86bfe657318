//! The `exposure` object of `summary.json` and the exposure headline sentences. Measure
//! (a), the tail of a session the event revoked, and measure (b), the sessions it left
//! alive, are separate and never pooled ([`crate::domain::exposure`]); they are computed
//! from `revocations.csv` by `analytics::summary`.

use super::units::{duration, percent};
use crate::domain::EventKind;
use crate::domain::exposure::Attacker;
use serde::Serialize;

/// Exposure statistics over revocation rows (one per event and app).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExposureStats {
    /// Rows: events × apps of the user hit.
    pub events: u64,
    /// Median exposure in minutes (`null` without events).
    pub p50_minutes: Option<f64>,
    /// 95th percentile (linear interpolation between order statistics, as every
    /// percentile tokensim reports: `analytics::exprs::quantile`).
    pub p95_minutes: Option<f64>,
    /// Longest.
    pub max_minutes: Option<f64>,
}

impl ExposureStats {
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

impl EventExposure {
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
