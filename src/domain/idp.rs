//! One scale unit of the identity platform's token endpoint: capacity with shedding
//! or queueing, the outages that hit the unit, and the backup authentication service
//! that answers for eligible sessions while the primary fails.

use super::outage::{Outage, OutageKind};
use crate::domain::PromptCause;
use crate::engine::{Purpose, Rng, SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// What a unit does with requests above capacity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Overload {
    /// Answer 429 with Retry-After.
    #[default]
    Shed,
    /// Queue in FIFO order; clients may time out while they wait.
    Queue,
}

/// Backup authentication service settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackupConfig {
    /// Whether the service exists (on by default).
    pub enabled: bool,
    /// Delay from the start of a primary outage until it serves.
    pub switchover: SimDuration,
    /// Its capacity as a share of the primary's.
    pub capacity_share: f64,
    /// Sessions that authenticated at the primary within this window are served.
    pub session_window: SimDuration,
    /// Silent requests of brokered apps (through a device's PRT) are served like those
    /// of a native app with a persisted cache; the docs do not name the brokers.
    pub serves_brokered: bool,
}

/// Platform settings shared by all units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlatformConfig {
    /// Token-endpoint capacity of a unit, requests per second.
    pub capacity: f64,
    /// Above capacity: shed or queue.
    pub overload: Overload,
    /// Retry-After sent with a 429.
    pub retry_after: SimDuration,
    /// Longest queue wait before a 503 (queue mode).
    pub max_queue: SimDuration,
    /// `refresh_in` as a share of the access-token lifetime ...
    pub refresh_in_share: f64,
    /// ... sent only for lifetimes of at least this.
    pub refresh_in_min_lifetime: SimDuration,
    /// Tokens per app per 5 minutes that trigger client request loop detection (0: off).
    pub loop_detection: u32,
    /// Backup authentication.
    pub backup: BackupConfig,
}

impl PlatformConfig {
    /// The `refresh_in` the platform sends with a token of this lifetime, if any.
    pub fn refresh_in(&self, lifetime: SimDuration) -> Option<SimDuration> {
        if lifetime >= self.refresh_in_min_lifetime && self.refresh_in_share > 0.0 {
            Some(SimDuration(
                (lifetime.0 as f64 * self.refresh_in_share) as u64,
            ))
        } else {
            None
        }
    }
}

/// What a client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// Redeem a refresh token silently.
    Refresh,
    /// Client credentials (daemons, managed identities).
    ClientCredentials,
    /// `prompt=none` with the session cookie (browser apps).
    PromptNone,
    /// Interactive sign-in.
    Interactive,
}

/// The platform's answer as it reaches the client's network stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Success (identity checks happen next, in the simulation).
    Ok,
    /// HTTP 429 with Retry-After.
    TooMany {
        /// Retry-After, if sent.
        retry_after: Option<SimDuration>,
    },
    /// HTTP 5xx.
    ServerError {
        /// Retry-After, if sent.
        retry_after: Option<SimDuration>,
    },
    /// The server holds the connection this long, then drops it.
    Hang(SimDuration),
    /// Connection refused (scripted traces).
    Refused,
    /// HTTP 429 whose body is not JSON, e.g. an HTML page from a proxy (scripted traces).
    TooManyNotJson {
        /// Retry-After, if sent.
        retry_after: Option<SimDuration>,
    },
    /// `invalid_grant` for this reason (scripted traces; the simulation's own identity
    /// checks produce it after an `Ok`).
    InvalidGrant(PromptCause),
}

/// The unit's reply to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    /// What the client receives.
    pub answer: Answer,
    /// How long until it arrives (latency, queueing); the hang for [`Answer::Hang`].
    pub delay: SimDuration,
    /// Served by the backup authentication service.
    pub by_backup: bool,
    /// Accepted by the primary within its capacity.
    pub admitted: bool,
}

/// A token bucket: `rate` tokens per second, at most one second of burst.
#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    last: SimTime,
}

impl Bucket {
    fn new(rate: f64) -> Self {
        Bucket {
            tokens: rate,
            last: SimTime::ZERO,
        }
    }

    fn take(&mut self, t: SimTime, rate: f64) -> bool {
        let elapsed = t.since(self.last).0 as f64 / 1000.0;
        self.tokens = (self.tokens + elapsed * rate).min(rate.max(1.0));
        self.last = t;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// One scale unit's token endpoint.
pub struct PlatformUnit {
    config: PlatformConfig,
    outages: Vec<Outage>,
    /// Starts of the signing-key incidents in order (clients check their cached token
    /// against them on every call; most runs have none).
    key_incidents: Vec<SimTime>,
    primary: Bucket,
    backup: Bucket,
    busy_until: SimTime,
    rng: Rng,
}

impl PlatformUnit {
    /// A unit hit by `outages` (already filtered to this unit).
    pub fn new(config: PlatformConfig, outages: Vec<Outage>, seed: u64, unit: u32) -> Self {
        let mut key_incidents: Vec<SimTime> = outages
            .iter()
            .filter(|o| o.kind == OutageKind::SigningKey)
            .map(|o| o.start)
            .collect();
        key_incidents.sort_unstable();
        PlatformUnit {
            key_incidents,
            primary: Bucket::new(config.capacity),
            backup: Bucket::new(config.capacity * config.backup.capacity_share),
            config,
            outages,
            busy_until: SimTime::ZERO,
            rng: Rng::stream(seed, unit as u64, u64::MAX, Purpose::Platform),
        }
    }

    /// The settings.
    pub fn config(&self) -> &PlatformConfig {
        &self.config
    }

    /// The outages that hit this unit.
    pub fn outages(&self) -> &[Outage] {
        &self.outages
    }

    /// Capacity in requests per second at `t`, after capacity-loss outages.
    pub fn capacity_at(&self, t: SimTime) -> f64 {
        self.in_force(t).1
    }

    /// The failing outage in force at `t`, if any (resilience defaults apply then).
    pub fn failing_outage(&self, t: SimTime) -> Option<&Outage> {
        self.in_force(t).0
    }

    /// Resources reject access tokens issued before this instant (signing-key incidents).
    pub fn tokens_rejected_before(&self, t: SimTime) -> Option<SimTime> {
        let started = self.key_incidents.partition_point(|&s| s <= t);
        started.checked_sub(1).map(|last| self.key_incidents[last])
    }

    /// Signing-key incidents starting after `t`: the first moment a cached token may be rejected.
    pub fn next_key_incident_after(&self, t: SimTime) -> Option<SimTime> {
        let started = self.key_incidents.partition_point(|&s| s <= t);
        self.key_incidents.get(started).copied()
    }

    /// From `t`, until when requests are answered by capacity alone: the start of the
    /// next failing outage (`SimTime::NEVER` if none); `None` if one is in force at `t`.
    pub fn healthy_until(&self, t: SimTime) -> Option<SimTime> {
        if self.failing_outage(t).is_some() {
            return None;
        }
        let next = self
            .outages
            .iter()
            .filter(|o| o.kind.fails_requests() && o.start > t);
        Some(next.map(|o| o.start).min().unwrap_or(SimTime::NEVER))
    }

    /// Admits a request arriving at `t` if the unit can serve it at once, with no
    /// failing outage checked (see [`PlatformUnit::healthy_until`]); otherwise leaves
    /// the queue untouched, so [`PlatformUnit::handle`] at the same `t` gives the answer.
    pub fn admit_at_once(&mut self, t: SimTime) -> bool {
        match self.config.overload {
            // A failed take only refills the bucket up to `t`: the same take again fails.
            Overload::Shed => self.primary.take(t, self.capacity_at(t)),
            Overload::Queue => self.busy_until <= t && self.admit(t, self.capacity_at(t)).is_ok(),
        }
    }

    /// The outages in force at `t`, in one pass (a request needs both): the first
    /// failing one, and the capacity left by capacity-loss ones (in outage order).
    fn in_force(&self, t: SimTime) -> (Option<&Outage>, f64) {
        let (mut failing, mut capacity) = (None, self.config.capacity);
        for o in self.outages.iter().filter(|o| o.active_at(t)) {
            match o.kind {
                OutageKind::Capacity { factor } => capacity *= factor,
                kind if kind.fails_requests() => failing = failing.or(Some(o)),
                _ => {}
            }
        }
        (failing, capacity)
    }

    /// Answers a request arriving at `t`. `backup_eligible` is the client's session
    /// eligibility for the backup service (see [`super::backup`]), read only when
    /// [`PlatformUnit::backup_may_serve`].
    pub fn handle(&mut self, t: SimTime, kind: RequestKind, backup_eligible: bool) -> Reply {
        // Kind and start only: cloning the outage would copy its name per request.
        let (failing, rate) = self.in_force(t);
        let failing = failing.map(|o| (o.kind, o.start));
        let primary = match failing.map(|(kind, _)| kind) {
            Some(OutageKind::Full { hang, retry_after }) => {
                Some(Self::full_failure(hang, retry_after))
            }
            _ => None,
        };
        let primary = match primary {
            Some(fail) => fail,
            None => {
                let admitted = self.admit(t, rate);
                match (admitted, failing.map(|(kind, _)| kind)) {
                    (Err(shed), _) => shed,
                    (Ok(wait), Some(OutageKind::Degraded { success, latency })) => {
                        let answer = if self.rng.chance(success) {
                            Answer::Ok
                        } else {
                            Answer::ServerError { retry_after: None }
                        };
                        Reply {
                            answer,
                            delay: wait + latency,
                            by_backup: false,
                            admitted: true,
                        }
                    }
                    (Ok(wait), _) => Reply {
                        answer: Answer::Ok,
                        delay: wait,
                        by_backup: false,
                        admitted: true,
                    },
                }
            }
        };
        let Some((_, start)) = failing else {
            return primary;
        };
        if primary.answer == Answer::Ok || !backup_eligible || !self.backup_serves(t, start, kind) {
            return primary;
        }
        let rate = self.config.capacity * self.config.backup.capacity_share;
        if self.backup.take(t, rate) {
            Reply {
                answer: Answer::Ok,
                delay: SimDuration::ZERO,
                by_backup: true,
                admitted: primary.admitted,
            }
        } else {
            primary
        }
    }

    fn full_failure(hang: Option<SimDuration>, retry_after: Option<SimDuration>) -> Reply {
        let (answer, delay) = match hang {
            Some(h) => (Answer::Hang(h), h),
            None => (Answer::ServerError { retry_after }, SimDuration::ZERO),
        };
        Reply {
            answer,
            delay,
            by_backup: false,
            admitted: false,
        }
    }

    /// Whether the backup service answers a request of `kind` at `t` from an eligible
    /// session when the primary fails it: the only case in which eligibility matters,
    /// so clients check their session against the rules only then.
    pub fn backup_may_serve(&self, t: SimTime, kind: RequestKind) -> bool {
        self.failing_outage(t)
            .is_some_and(|outage| self.backup_serves(t, outage.start, kind))
    }

    /// See [`PlatformUnit::backup_may_serve`], for a failing outage that began at `start`.
    fn backup_serves(&self, t: SimTime, start: SimTime, kind: RequestKind) -> bool {
        let b = &self.config.backup;
        b.enabled
            && matches!(kind, RequestKind::Refresh | RequestKind::ClientCredentials)
            && t >= start + b.switchover
    }

    /// Capacity check at `rate` (the capacity at `t`): `Ok(queueing delay)` or the shed reply.
    fn admit(&mut self, t: SimTime, rate: f64) -> Result<SimDuration, Reply> {
        match self.config.overload {
            Overload::Shed => {
                if self.primary.take(t, rate) {
                    Ok(SimDuration::ZERO)
                } else {
                    Err(Reply {
                        answer: Answer::TooMany {
                            retry_after: Some(self.config.retry_after),
                        },
                        delay: SimDuration::ZERO,
                        by_backup: false,
                        admitted: false,
                    })
                }
            }
            Overload::Queue => {
                let begin = self.busy_until.max(t);
                let wait = begin.since(t);
                if wait > self.config.max_queue {
                    return Err(Reply {
                        answer: Answer::ServerError { retry_after: None },
                        delay: SimDuration::ZERO,
                        by_backup: false,
                        admitted: false,
                    });
                }
                let service = SimDuration((1000.0 / rate.max(1e-9)).ceil() as u64);
                self.busy_until = begin + service;
                Ok(wait)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::outage::UnitSelection;

    fn config(capacity: f64, overload: Overload) -> PlatformConfig {
        PlatformConfig {
            capacity,
            overload,
            retry_after: SimDuration::from_secs(60),
            max_queue: SimDuration::from_secs(10),
            refresh_in_share: 0.5,
            refresh_in_min_lifetime: SimDuration::from_hours(2),
            loop_detection: 0,
            backup: BackupConfig {
                enabled: true,
                switchover: SimDuration::from_mins(2),
                capacity_share: 0.5,
                session_window: SimDuration::from_days(3),
                serves_brokered: true,
            },
        }
    }

    fn full(start: u64, mins: u64) -> Outage {
        Outage {
            name: "full".into(),
            incident: 0,
            phase: 1,
            start: SimTime(start),
            end: SimTime(start) + SimDuration::from_mins(mins),
            kind: OutageKind::Full {
                hang: None,
                retry_after: None,
            },
            units: UnitSelection::All,
        }
    }

    #[test]
    fn sheds_above_capacity_with_retry_after() {
        let mut unit = PlatformUnit::new(config(3.0, Overload::Shed), vec![], 1, 0);
        let answers: Vec<_> = (0..5)
            .map(|_| {
                unit.handle(SimTime(1000), RequestKind::Refresh, false)
                    .answer
            })
            .collect();
        assert_eq!(answers.iter().filter(|a| **a == Answer::Ok).count(), 3);
        assert_eq!(
            answers[4],
            Answer::TooMany {
                retry_after: Some(SimDuration::from_secs(60))
            }
        );
        // One second later the bucket has refilled.
        assert_eq!(
            unit.handle(SimTime(2000), RequestKind::Refresh, false)
                .answer,
            Answer::Ok
        );
    }

    #[test]
    fn queue_delays_then_refuses_past_max_queue() {
        let mut unit = PlatformUnit::new(config(1.0, Overload::Queue), vec![], 1, 0);
        let delays: Vec<_> = (0..12)
            .map(|_| unit.handle(SimTime(0), RequestKind::Refresh, false))
            .collect();
        assert_eq!(delays[0].delay, SimDuration::ZERO);
        assert_eq!(delays[3].delay, SimDuration::from_secs(3));
        assert_eq!(delays[11].answer, Answer::ServerError { retry_after: None });
    }

    #[test]
    fn backup_serves_eligible_refreshes_after_switchover_only() {
        let mut unit = PlatformUnit::new(config(100.0, Overload::Shed), vec![full(0, 60)], 1, 0);
        let early = unit.handle(SimTime(60_000), RequestKind::Refresh, true);
        assert_eq!(early.answer, Answer::ServerError { retry_after: None });
        let later = unit.handle(SimTime(180_000), RequestKind::Refresh, true);
        assert!(later.by_backup && later.answer == Answer::Ok);
        let not_eligible = unit.handle(SimTime(180_000), RequestKind::Refresh, false);
        assert!(!not_eligible.by_backup);
        let interactive = unit.handle(SimTime(180_000), RequestKind::Interactive, true);
        assert!(!interactive.by_backup, "backup never serves new sign-ins");
    }

    /// Incidents listed out of order: each instant sees the latest one started (from its
    /// start on) and the next one to start (strictly later).
    #[test]
    fn key_incidents_in_any_order_give_the_latest_started_and_the_next() {
        let key = |start| Outage {
            kind: OutageKind::SigningKey,
            ..full(start, 10)
        };
        let outages = vec![key(5_000), full(0, 1), key(2_000)];
        let unit = PlatformUnit::new(config(1.0, Overload::Shed), outages, 1, 0);
        let seen = |t| {
            (
                unit.tokens_rejected_before(SimTime(t)),
                unit.next_key_incident_after(SimTime(t)),
            )
        };
        assert_eq!(seen(1_999), (None, Some(SimTime(2_000))));
        assert_eq!(seen(2_000), (Some(SimTime(2_000)), Some(SimTime(5_000))));
        assert_eq!(seen(5_000), (Some(SimTime(5_000)), None));
        assert_eq!(seen(90_000), (Some(SimTime(5_000)), None));
    }

    #[test]
    fn refresh_in_only_for_long_lived_tokens() {
        let c = config(1.0, Overload::Shed);
        assert_eq!(c.refresh_in(SimDuration::from_mins(90)), None);
        assert_eq!(
            c.refresh_in(SimDuration::from_hours(24)),
            Some(SimDuration::from_hours(12))
        );
    }
}
