//! Who the backup authentication service serves during a primary outage: existing
//! sessions only (same app and device authenticated recently, no interaction needed,
//! home-tenant user, no revocation since, a supported client type).

use super::app::ClientType;
use crate::engine::{SimDuration, SimTime};

/// What the service knows about the session asking to be refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionFacts {
    /// The app's client type.
    pub client: ClientType,
    /// The app persists its token cache.
    pub persistent_cache: bool,
    /// Last successful authentication of this app on this device at the primary.
    pub last_primary_auth: Option<SimTime>,
    /// The user is a guest from another tenant.
    pub guest: bool,
    /// A revocation happened since that authentication.
    pub revoked_since: bool,
    /// The request is silent (no user interaction needed).
    pub silent: bool,
}

/// Why the backup service refuses a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// SPA auth code, confidential web apps and client credentials are not served.
    ClientType,
    /// Native clients need a persisted cache.
    CacheNotPersisted,
    /// No authentication at the primary within the session window (3 days).
    StaleSession,
    /// Guests are not served.
    Guest,
    /// A revocation happened since the session was established.
    Revoked,
    /// New sign-ins and anything interactive are not served.
    Interactive,
}

/// Checks every rule in turn and names the first that fails.
pub fn eligibility(
    facts: &SessionFacts,
    t: SimTime,
    window: SimDuration,
) -> Result<(), Ineligible> {
    let supported = match facts.client {
        ClientType::Native | ClientType::Mobile => {
            if !facts.persistent_cache {
                return Err(Ineligible::CacheNotPersisted);
            }
            true
        }
        ClientType::ManagedIdentity => true,
        ClientType::Spa | ClientType::Web | ClientType::Daemon => false,
    };
    if !supported {
        return Err(Ineligible::ClientType);
    }
    if !facts.silent {
        return Err(Ineligible::Interactive);
    }
    match facts.last_primary_auth {
        Some(at) if t.since(at) <= window => {}
        _ => return Err(Ineligible::StaleSession),
    }
    if facts.guest {
        return Err(Ineligible::Guest);
    }
    if facts.revoked_since {
        return Err(Ineligible::Revoked);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: SimDuration = SimDuration::from_days(3);
    const NOW: SimTime = SimTime(10 * 86_400_000);

    fn good() -> SessionFacts {
        SessionFacts {
            client: ClientType::Native,
            persistent_cache: true,
            last_primary_auth: Some(NOW - SimDuration::from_hours(5)),
            guest: false,
            revoked_since: false,
            silent: true,
        }
    }

    #[test]
    fn existing_native_session_is_served() {
        assert_eq!(eligibility(&good(), NOW, WINDOW), Ok(()));
    }

    #[test]
    fn managed_identity_is_served() {
        let f = SessionFacts {
            client: ClientType::ManagedIdentity,
            persistent_cache: false,
            ..good()
        };
        assert_eq!(eligibility(&f, NOW, WINDOW), Ok(()));
    }

    #[test]
    fn spa_web_and_daemons_are_not_served() {
        for client in [ClientType::Spa, ClientType::Web, ClientType::Daemon] {
            let f = SessionFacts { client, ..good() };
            assert_eq!(
                eligibility(&f, NOW, WINDOW),
                Err(Ineligible::ClientType),
                "{client:?}"
            );
        }
    }

    #[test]
    fn in_memory_cache_is_not_served() {
        let f = SessionFacts {
            persistent_cache: false,
            ..good()
        };
        assert_eq!(
            eligibility(&f, NOW, WINDOW),
            Err(Ineligible::CacheNotPersisted)
        );
    }

    #[test]
    fn session_older_than_three_days_is_not_served() {
        let f = SessionFacts {
            last_primary_auth: Some(NOW - SimDuration::from_days(3) - SimDuration(1)),
            ..good()
        };
        assert_eq!(eligibility(&f, NOW, WINDOW), Err(Ineligible::StaleSession));
        let exactly = SessionFacts {
            last_primary_auth: Some(NOW - SimDuration::from_days(3)),
            ..good()
        };
        assert_eq!(eligibility(&exactly, NOW, WINDOW), Ok(()));
        let never = SessionFacts {
            last_primary_auth: None,
            ..good()
        };
        assert_eq!(
            eligibility(&never, NOW, WINDOW),
            Err(Ineligible::StaleSession)
        );
    }

    #[test]
    fn guests_are_not_served() {
        let f = SessionFacts {
            guest: true,
            ..good()
        };
        assert_eq!(eligibility(&f, NOW, WINDOW), Err(Ineligible::Guest));
    }

    #[test]
    fn revoked_sessions_are_not_served() {
        let f = SessionFacts {
            revoked_since: true,
            ..good()
        };
        assert_eq!(eligibility(&f, NOW, WINDOW), Err(Ineligible::Revoked));
    }

    #[test]
    fn interactive_requests_are_not_served() {
        let f = SessionFacts {
            silent: false,
            ..good()
        };
        assert_eq!(eligibility(&f, NOW, WINDOW), Err(Ineligible::Interactive));
    }
}
