//! Continuous Access Evaluation (DESIGN §1.3): which app sessions are CAE sessions, the
//! long-lived access tokens they get, how long a critical event takes to reach the
//! resource, and whether the claims challenge that follows can be met silently.

use super::lifetimes::TokenPolicy;
use crate::domain::PromptCause;
use crate::domain::app::{AppSpec, CAE_RESOURCES};
use crate::domain::events::EventKind;
use crate::engine::{Rng, SimDuration};

/// The tenant's CAE settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaePolicy {
    /// Shortest access-token lifetime of a CAE session.
    pub lifetime_min: SimDuration,
    /// Longest one (drawn uniformly between the two).
    pub lifetime_max: SimDuration,
    /// Share of CAE sessions that fall back to short tokens (IP seen by the platform and
    /// the resource differ, too many IP ranges in location policies, ...), unless a
    /// segment sets its own share of sessions whose IPs differ.
    pub fallback_share: f64,
    /// How the resources enforce location policies when the IPs differ.
    pub location: LocationMode,
    /// Access-token lifetime of a fallback session.
    pub fallback_lifetime: SimDuration,
    /// Longest delay for a critical event to reach the resource (uniform from zero).
    pub propagation_max: SimDuration,
}

/// CAE location enforcement (Conditional Access "strictly enforce location policies").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocationMode {
    /// A session whose IP seen by the resource differs from the one the platform saw
    /// gets 1 h fallback tokens (DESIGN §1.1); the resource accepts them from any IP.
    #[default]
    Standard,
    /// The resource rejects a token presented from an IP other than the one the
    /// platform saw: such sessions are blocked, and a stolen token is useless elsewhere.
    Strict,
}

impl LocationMode {
    /// Strict enforcement.
    pub fn is_strict(self) -> bool {
        self == LocationMode::Strict
    }
}

/// What kind of access tokens an app session gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaeSession {
    /// Not a CAE session: the tenant's lifetime, accepted to expiry.
    Off,
    /// CAE with long-lived tokens.
    Long,
    /// CAE, but the platform issues short tokens (the resource still enforces events).
    Fallback,
    /// CAE with strict location enforcement while the IPs differ: every call is rejected.
    Blocked,
}

impl CaeSession {
    /// Resources enforce critical events for this session.
    pub fn enforced(self) -> bool {
        self != CaeSession::Off
    }
}

/// An app gets CAE when it declares `cp1` and every resource it calls is CAE-capable
/// (the simulator keeps one access token per app).
pub fn capable(spec: &AppSpec) -> bool {
    spec.cp1
        && !spec.resources.is_empty()
        && spec
            .resources
            .iter()
            .all(|r| CAE_RESOURCES.contains(&r.as_str()))
}

/// Whether the resources of `spec` enforce `event` (SharePoint ignores user risk).
pub fn enforces(event: EventKind, spec: &AppSpec) -> bool {
    event.cae_critical()
        && !(event == EventKind::HighUserRisk && spec.resources.iter().any(|r| r == "sharepoint"))
}

impl CaePolicy {
    /// The session kind of an app whose segment has `ip_mismatch` (its own share of
    /// sessions whose IPs differ, else the tenant's fallback share); draws only for
    /// CAE-capable apps.
    pub fn session(&self, spec: &AppSpec, ip_mismatch: Option<f64>, rng: &mut Rng) -> CaeSession {
        let share = ip_mismatch.unwrap_or(self.fallback_share);
        if !capable(spec) {
            CaeSession::Off
        } else if share > 0.0 && rng.chance(share) {
            match self.location {
                LocationMode::Standard => CaeSession::Fallback,
                LocationMode::Strict => CaeSession::Blocked,
            }
        } else {
            CaeSession::Long
        }
    }

    /// Draws the lifetime of a new access token for a session of this kind.
    pub fn lifetime(
        &self,
        session: CaeSession,
        policy: &TokenPolicy,
        rng: &mut Rng,
    ) -> SimDuration {
        match session {
            CaeSession::Off => policy.draw_lifetime(rng),
            CaeSession::Long | CaeSession::Blocked => {
                SimDuration(rng.range_inclusive(self.lifetime_min.0, self.lifetime_max.0))
            }
            CaeSession::Fallback => self.fallback_lifetime,
        }
    }

    /// Draws how long `event` takes to reach the resource: location-policy changes are
    /// evaluated instantly, other critical events within the propagation bound.
    pub fn propagation(&self, event: EventKind, rng: &mut Rng) -> SimDuration {
        if event == EventKind::IpLocationPolicy {
            SimDuration::ZERO
        } else {
            SimDuration(rng.range_inclusive(0, self.propagation_max.0))
        }
    }
}

/// Whether a silent request carrying the claims of `challenge` can succeed with a
/// refresh token or session cookie (already checked against the lifetime policy and
/// the revocation matrix) from a `multi_factor` authentication. MFA enablement needs a
/// multi-factor session; high user risk needs a fresh interactive sign-in (risk
/// remediation); the other events only need a session the event left alive. The same
/// rule holds for the refresh token and for `prompt=none` with the cookie: the cookie
/// carries no more proof than the authentication it came from.
pub fn claims_met(challenge: Option<EventKind>, multi_factor: bool) -> Result<(), PromptCause> {
    match challenge {
        Some(EventKind::MfaEnabled) if !multi_factor => Err(PromptCause::Cae),
        Some(EventKind::HighUserRisk) => Err(PromptCause::Cae),
        _ => Ok(()),
    }
}

/// The prompt cause of a silent failure: while a claims challenge is pending, the
/// prompt is the CAE challenge's, whatever barrier the silent request hit.
pub fn blame(challenge: Option<EventKind>, cause: PromptCause) -> PromptCause {
    if challenge.is_some() {
        PromptCause::Cae
    } else {
        cause
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Purpose;

    fn cae() -> CaePolicy {
        CaePolicy {
            lifetime_min: SimDuration::from_hours(20),
            lifetime_max: SimDuration::from_hours(28),
            fallback_share: 0.0,
            location: LocationMode::Standard,
            fallback_lifetime: SimDuration::from_hours(1),
            propagation_max: SimDuration::from_mins(15),
        }
    }

    fn policy() -> TokenPolicy {
        TokenPolicy {
            at_min: SimDuration::from_mins(60),
            at_max: SimDuration::from_mins(90),
            expiry_margin: SimDuration::from_secs(300),
            max_inactive: SimDuration::from_days(90),
            max_age: Default::default(),
            session_max_age: Default::default(),
            cookie_inactive: SimDuration::from_days(90),
            sign_in_frequency: None,
        }
    }

    #[test]
    fn lifetimes_by_session_kind() {
        let (c, p) = (cae(), policy());
        let mut rng = Rng::stream(1, 0, 0, Purpose::Client);
        for _ in 0..1000 {
            let long = c.lifetime(CaeSession::Long, &p, &mut rng);
            assert!(long >= c.lifetime_min && long <= c.lifetime_max);
            let off = c.lifetime(CaeSession::Off, &p, &mut rng);
            assert!(off >= p.at_min && off <= p.at_max);
        }
        assert_eq!(
            c.lifetime(CaeSession::Fallback, &p, &mut rng),
            SimDuration::from_hours(1)
        );
    }

    #[test]
    fn propagation_is_bounded_and_location_policy_instant() {
        let c = cae();
        let mut rng = Rng::stream(1, 0, 0, Purpose::Events);
        let delays: Vec<_> = (0..1000)
            .map(|_| c.propagation(EventKind::PasswordChange, &mut rng))
            .collect();
        assert!(delays.iter().all(|d| *d <= c.propagation_max));
        assert!(delays.iter().any(|d| *d > SimDuration::from_mins(10)));
        assert_eq!(
            c.propagation(EventKind::IpLocationPolicy, &mut rng),
            SimDuration::ZERO
        );
    }

    #[test]
    fn claims_challenges() {
        assert_eq!(claims_met(Some(EventKind::MfaEnabled), true), Ok(()));
        assert_eq!(
            claims_met(Some(EventKind::MfaEnabled), false),
            Err(PromptCause::Cae)
        );
        assert_eq!(
            claims_met(Some(EventKind::HighUserRisk), true),
            Err(PromptCause::Cae)
        );
        assert_eq!(claims_met(Some(EventKind::Sspr), false), Ok(()));
        assert_eq!(
            blame(Some(EventKind::Sspr), PromptCause::Revocation),
            PromptCause::Cae
        );
        assert_eq!(
            blame(None, PromptCause::Revocation),
            PromptCause::Revocation
        );
    }
}
