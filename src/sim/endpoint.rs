//! What the client model needs from the token service. The population run uses a
//! [`PlatformUnit`]; `tokensim trace` plugs in a scripted timeline of answers.

use crate::domain::idp::{PlatformUnit, Reply, RequestKind};
use crate::engine::{SimDuration, SimTime};

/// A token endpoint as the clients see it.
pub trait Endpoint {
    /// Answers a request arriving at `t`.
    fn handle(&mut self, t: SimTime, kind: RequestKind, backup_eligible: bool) -> Reply;
    /// Whether the backup service would answer an eligible session's request of `kind`
    /// at `t` if the primary failed it (the client checks eligibility only then).
    fn backup_may_serve(&self, t: SimTime, kind: RequestKind) -> bool;
    /// Whether resilience defaults are in force at `t` (a failing outage).
    fn in_outage(&self, t: SimTime) -> bool;
    /// `refresh_in` sent with an access token of this lifetime.
    fn refresh_in(&self, lifetime: SimDuration) -> Option<SimDuration>;
    /// Resources reject access tokens issued before this instant.
    fn tokens_rejected_before(&self, t: SimTime) -> Option<SimTime>;
    /// The next instant after `t` at which resources start rejecting older tokens.
    fn next_rejection_after(&self, t: SimTime) -> Option<SimTime>;
    /// Backup session window (authentication at the primary within it is eligible).
    fn backup_window(&self) -> SimDuration;
    /// Tokens per app per 5 minutes that trigger loop detection (0: off).
    fn loop_limit(&self) -> u32;
    /// From `t`, until when every request the endpoint can take at once succeeds;
    /// `None` if that is not so at `t` (steady no-cache callers need it).
    fn healthy_until(&self, t: SimTime) -> Option<SimTime>;
    /// Takes a request at `t` if it is answered at once with success; otherwise changes
    /// nothing that [`Endpoint::handle`] at the same `t` would answer differently.
    fn admit_at_once(&mut self, t: SimTime) -> bool;
}

impl Endpoint for PlatformUnit {
    fn handle(&mut self, t: SimTime, kind: RequestKind, backup_eligible: bool) -> Reply {
        PlatformUnit::handle(self, t, kind, backup_eligible)
    }
    fn backup_may_serve(&self, t: SimTime, kind: RequestKind) -> bool {
        PlatformUnit::backup_may_serve(self, t, kind)
    }
    fn in_outage(&self, t: SimTime) -> bool {
        self.failing_outage(t).is_some()
    }
    fn refresh_in(&self, lifetime: SimDuration) -> Option<SimDuration> {
        self.config().refresh_in(lifetime)
    }
    fn tokens_rejected_before(&self, t: SimTime) -> Option<SimTime> {
        PlatformUnit::tokens_rejected_before(self, t)
    }
    fn next_rejection_after(&self, t: SimTime) -> Option<SimTime> {
        self.next_key_incident_after(t)
    }
    fn backup_window(&self) -> SimDuration {
        self.config().backup.session_window
    }
    fn loop_limit(&self) -> u32 {
        self.config().loop_detection
    }
    fn healthy_until(&self, t: SimTime) -> Option<SimTime> {
        PlatformUnit::healthy_until(self, t)
    }
    fn admit_at_once(&mut self, t: SimTime) -> bool {
        PlatformUnit::admit_at_once(self, t)
    }
}
