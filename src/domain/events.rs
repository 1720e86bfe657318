//! Credential and admin events: what can happen to a user's credentials and sessions
//! (password expiry and resets, revocations, sign-out, disablement, MFA, risk, location
//! policy), the per-user rates they occur at, and scripted campaigns such as an incident
//! response that resets the passwords of a share of one segment at a given moment.

use crate::engine::{Rng, SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// Something that happens to a user's credentials or sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// The password reaches its expiry date.
    PasswordExpiry,
    /// The user changes their password.
    PasswordChange,
    /// The user resets their password with self-service password reset.
    Sspr,
    /// An admin resets the password in the Azure portal.
    AdminResetAzurePortal,
    /// An admin resets the password in the Microsoft Entra admin center.
    AdminResetEntraAdminCenter,
    /// The user revokes all their refresh tokens.
    UserRevokeAll,
    /// An admin revokes all refresh tokens of the user (takes effect after the admin API lag).
    AdminRevokeAll,
    /// The user signs out of the web (single sign-out).
    SingleSignOut,
    /// An admin disables (or deletes) the account.
    UserDisabled,
    /// MFA becomes required for the user.
    MfaEnabled,
    /// Identity Protection raises the user's risk to high.
    HighUserRisk,
    /// A Conditional Access IP-location policy changes (enforced instantly under CAE).
    IpLocationPolicy,
}

impl EventKind {
    /// Every kind; the first eight are the rows of the revocation matrix.
    pub const ALL: [EventKind; 12] = [
        EventKind::PasswordExpiry,
        EventKind::PasswordChange,
        EventKind::Sspr,
        EventKind::AdminResetAzurePortal,
        EventKind::AdminResetEntraAdminCenter,
        EventKind::UserRevokeAll,
        EventKind::AdminRevokeAll,
        EventKind::SingleSignOut,
        EventKind::UserDisabled,
        EventKind::MfaEnabled,
        EventKind::HighUserRisk,
        EventKind::IpLocationPolicy,
    ];

    /// The kinds that are rows of the revocation matrix, in file order.
    pub const MATRIX: &'static [EventKind] = EventKind::ALL.split_at(8).0;

    /// The name used in model files, the matrix file and `revocations.csv`.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::PasswordExpiry => "password-expiry",
            EventKind::PasswordChange => "password-change",
            EventKind::Sspr => "sspr",
            EventKind::AdminResetAzurePortal => "admin-reset-azure-portal",
            EventKind::AdminResetEntraAdminCenter => "admin-reset-entra-admin-center",
            EventKind::UserRevokeAll => "user-revoke-all",
            EventKind::AdminRevokeAll => "admin-revoke-all",
            EventKind::SingleSignOut => "single-sign-out",
            EventKind::UserDisabled => "user-disabled",
            EventKind::MfaEnabled => "mfa-enabled",
            EventKind::HighUserRisk => "high-user-risk",
            EventKind::IpLocationPolicy => "ip-location-policy",
        }
    }

    /// Position in [`EventKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Critical events that CAE-capable resources learn about and enforce (DESIGN §1.3).
    pub fn cae_critical(self) -> bool {
        matches!(
            self,
            EventKind::PasswordChange
                | EventKind::Sspr
                | EventKind::AdminResetAzurePortal
                | EventKind::AdminResetEntraAdminCenter
                | EventKind::AdminRevokeAll
                | EventKind::UserDisabled
                | EventKind::MfaEnabled
                | EventKind::HighUserRisk
                | EventKind::IpLocationPolicy
        )
    }

    /// Events meant to cut access, for which `revocations.csv` records exposure windows.
    /// Password expiry (revokes nothing), MFA enablement and high risk (they add
    /// requirements rather than cut sessions) are not.
    pub fn cuts_access(self) -> bool {
        !matches!(
            self,
            EventKind::PasswordExpiry | EventKind::MfaEnabled | EventKind::HighUserRisk
        )
    }
}

/// Mean events per user per year, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EventRates {
    per_year: [f64; EventKind::ALL.len()],
}

impl EventRates {
    /// Rates from `(kind, per year)` pairs; kinds not given are zero.
    pub fn new(pairs: impl IntoIterator<Item = (EventKind, f64)>) -> Self {
        let mut per_year = [0.0; EventKind::ALL.len()];
        for (k, r) in pairs {
            per_year[k.index()] = r;
        }
        EventRates { per_year }
    }

    /// The rate of `kind`, per user per year.
    pub fn of(&self, kind: EventKind) -> f64 {
        self.per_year[kind.index()]
    }

    /// These rates with `kind` set to `per_year`.
    pub fn with(mut self, kind: EventKind, per_year: f64) -> Self {
        self.per_year[kind.index()] = per_year;
        self
    }

    /// All kinds together, per user per year.
    pub fn total(&self) -> f64 {
        self.per_year.iter().sum()
    }

    /// The next event after `t` of a Poisson process with the total rate, if any.
    pub fn next_after(&self, t: SimTime, rng: &mut Rng) -> Option<SimTime> {
        let total = self.total();
        if total <= 0.0 {
            return None;
        }
        let mean_ms = SimDuration::from_days(365).as_millis() as f64 / total;
        let gap = rng.exponential(mean_ms).ceil().min(1e15) as u64;
        Some(t + SimDuration(gap.max(1)))
    }

    /// Which kind an event of the merged process is, proportional to the rates.
    pub fn draw_kind(&self, rng: &mut Rng) -> EventKind {
        let mut x = rng.unit_f64() * self.total();
        for k in EventKind::ALL {
            x -= self.of(k);
            if x < 0.0 && self.of(k) > 0.0 {
                return k;
            }
        }
        // Rounding left a sliver past the last positive rate: that kind.
        EventKind::ALL
            .into_iter()
            .rfind(|k| self.of(*k) > 0.0)
            .unwrap_or(EventKind::PasswordExpiry)
    }
}

/// A scripted event hitting a share of a segment (or of everybody) at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Name for reports.
    pub name: String,
    /// When it happens.
    pub at: SimTime,
    /// What happens.
    pub kind: EventKind,
    /// The segment it targets; `None`: every segment.
    pub segment: Option<u16>,
    /// Share of the targeted users it hits (each user drawn independently).
    pub share: f64,
}

/// The event settings of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct EventModel {
    /// Scripted campaigns, in model order.
    pub campaigns: Vec<Campaign>,
    /// Delay between an admin's "revoke all sessions" and its effect.
    pub admin_api_lag: SimDuration,
    /// Event kinds the headline exposure is about (every access-cutting kind if empty).
    pub exposure_events: Vec<EventKind>,
    /// Attacker model of the headline exposure.
    pub exposure_attacker: crate::domain::exposure::Attacker,
}

impl EventModel {
    /// Whether the headline exposure counts rows of `kind`.
    pub fn in_headline(&self, kind: EventKind) -> bool {
        self.exposure_events.is_empty() || self.exposure_events.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Purpose;

    #[test]
    fn labels_round_trip_and_serde_agrees() {
        for k in EventKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.label()));
        }
        assert!(
            EventKind::ALL
                .iter()
                .enumerate()
                .all(|(i, k)| k.index() == i)
        );
    }

    #[test]
    fn kinds_are_drawn_in_proportion_to_rates() {
        let rates = EventRates::new([(EventKind::Sspr, 1.0), (EventKind::MfaEnabled, 3.0)]);
        let mut rng = Rng::stream(1, 0, 0, Purpose::Events);
        let n = 40_000;
        let mfa = (0..n)
            .filter(|_| rates.draw_kind(&mut rng) == EventKind::MfaEnabled)
            .count();
        // Binomial(n, 0.75): sd = sqrt(n * 0.75 * 0.25) ≈ 87.
        assert!((mfa as f64 - 30_000.0).abs() < 5.0 * 87.0, "{mfa}");
    }

    #[test]
    fn no_rates_no_events() {
        let mut rng = Rng::stream(1, 0, 0, Purpose::Events);
        assert_eq!(
            EventRates::default().next_after(SimTime::ZERO, &mut rng),
            None
        );
    }
}
