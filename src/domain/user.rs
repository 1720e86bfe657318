//! User segments: how people sign in, when they are active and which apps they run.

use super::app::AppSpec;
use super::device::Device;
use super::events::EventRates;
use crate::engine::time::{MS_PER_DAY, MS_PER_HOUR};
use crate::engine::{Rng, SimDuration};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How a user authenticates interactively; decides the factor class of their tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignIn {
    /// Password only: single-factor.
    #[default]
    Password,
    /// Windows Hello, FIDO2, passkeys: multi-factor, no password typed.
    Passwordless,
    /// Password plus a second factor.
    Mfa,
}

impl SignIn {
    /// Multi-factor sessions fall under the `*MultiFactor` max ages.
    pub fn is_multi_factor(self) -> bool {
        !matches!(self, SignIn::Password)
    }

    /// Label used in tables.
    pub fn label(self) -> &'static str {
        match self {
            SignIn::Password => "password",
            SignIn::Passwordless => "passwordless",
            SignIn::Mfa => "mfa",
        }
    }
}

/// When users of a segment want their apps.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// Office hours on working days, local time.
    WorkingHours {
        /// Local start of day, from midnight.
        start: SimDuration,
        /// Local end of day, from midnight.
        end: SimDuration,
        /// Start and end each move uniformly by up to this much either way.
        jitter: SimDuration,
        /// Whether weekends are working days.
        weekends: bool,
    },
    /// Active for the whole horizon.
    AlwaysOn,
    /// Sessions start as a Poisson process.
    Poisson {
        /// Mean sessions per day.
        rate_per_day: f64,
        /// Length of each session; zero means a single app call.
        session: SimDuration,
    },
    /// Sessions start as a Poisson process whose rate follows the hour of the week in
    /// local time (what `tokensim import` fits from sign-in timestamps).
    Weekly {
        /// Mean session starts per user in each of the 168 hours of the week, Monday
        /// 00:00–01:00 first. Shared, so the scenario copies that sweeps and the TUI
        /// make do not copy it.
        rates_per_hour: Arc<[f64]>,
        /// Length of each session; zero means a single app call.
        session: SimDuration,
    },
}

/// Hours in a week: the length of a weekly profile.
pub const HOURS_PER_WEEK: usize = 168;

/// Hour of the week (0 = Monday 00:00–01:00) of a local time in Unix milliseconds.
pub fn hour_of_week(local_unix_ms: i64) -> usize {
    // 1970-01-01 was a Thursday, three days after a Monday.
    let since_monday = local_unix_ms + 3 * MS_PER_DAY as i64;
    (since_monday.rem_euclid(7 * MS_PER_DAY as i64) / MS_PER_HOUR as i64) as usize
}

/// Holidays: Poisson arrivals of fixed-length absences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Absence {
    /// Mean absences per year.
    pub per_year: f64,
    /// Length of each absence.
    pub length: SimDuration,
}

/// A validated user segment.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Name used in reports.
    pub name: String,
    /// Share of the population.
    pub share: f64,
    /// How its users sign in.
    pub sign_in: SignIn,
    /// Local time minus UTC, in milliseconds.
    pub utc_offset_ms: i64,
    /// Guests are never served by the backup authentication service.
    pub guest: bool,
    /// The apps start signed in; otherwise every app begins with an empty cache.
    pub signed_in_at_start: bool,
    /// Activity pattern.
    pub activity: Activity,
    /// Holidays, if any.
    pub absence: Option<Absence>,
    /// Apps each user runs.
    pub apps: Vec<AppSpec>,
    /// Devices each user has; empty: every app holds its own sessions.
    pub devices: Vec<Device>,
    /// Share of users whose brokered device kinds have the broker in use.
    pub broker_share: f64,
    /// Probability that an interactive sign-in uses no password (Windows Hello, FIDO2,
    /// passkey); decides the revocation-matrix class of the tokens it yields.
    pub passwordless_share: f64,
    /// Credential and admin events per user per year.
    pub event_rates: EventRates,
    /// Share of CAE sessions whose IP seen by the resource differs from the one the
    /// platform saw; `None`: the tenant's `policy.cae.fallback_share`.
    pub ip_mismatch_share: Option<f64>,
}

impl Segment {
    /// Draws how one interactive sign-in authenticates: `(password_based, multi_factor)`.
    /// Draws only when the segment mixes both kinds, so other streams stay unchanged.
    pub fn draw_credential(&self, rng: &mut Rng) -> (bool, bool) {
        let passwordless = match self.passwordless_share {
            s if s <= 0.0 => false,
            s if s >= 1.0 => true,
            s => rng.chance(s),
        };
        (
            !passwordless,
            passwordless || self.sign_in.is_multi_factor(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_of_week_starts_on_monday_midnight() {
        // 1970-01-05 was a Monday; 1970-01-01 a Thursday.
        assert_eq!(hour_of_week(4 * MS_PER_DAY as i64), 0);
        assert_eq!(hour_of_week(0), 72);
        assert_eq!(hour_of_week(-1), 71);
        assert_eq!(hour_of_week(11 * MS_PER_DAY as i64 - 1), HOURS_PER_WEEK - 1);
    }
}
