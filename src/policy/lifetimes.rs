//! Token lifetimes and the timeouts evaluated when a refresh token or cookie is used:
//! MaxInactiveTime (sliding), MaxAge{Single,Multi}Factor, MaxAgeSession{Single,Multi}Factor,
//! the SPA's fixed 24 h, and sign-in frequency. Resilience defaults waive the age
//! limits while the platform is in an outage.

use crate::domain::PromptCause;
use crate::domain::token::{AuthTime, RefreshToken, SessionCookie};
use crate::engine::{Rng, SimDuration, SimTime};

/// Max ages by factor class; `None` is "until revoked".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FactorLimits {
    /// Single-factor (password only) sessions.
    pub single: Option<SimDuration>,
    /// Multi-factor sessions.
    pub multi: Option<SimDuration>,
}

impl FactorLimits {
    fn for_class(&self, multi_factor: bool) -> Option<SimDuration> {
        if multi_factor {
            self.multi
        } else {
            self.single
        }
    }
}

/// The tenant's token lifetime policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPolicy {
    /// Shortest access-token lifetime.
    pub at_min: SimDuration,
    /// Longest access-token lifetime (drawn uniformly between the two).
    pub at_max: SimDuration,
    /// Cached tokens are served while this much lifetime remains.
    pub expiry_margin: SimDuration,
    /// MaxInactiveTime of refresh tokens.
    pub max_inactive: SimDuration,
    /// MaxAgeSingleFactor / MaxAgeMultiFactor.
    pub max_age: FactorLimits,
    /// MaxAgeSessionSingleFactor / MaxAgeSessionMultiFactor.
    pub session_max_age: FactorLimits,
    /// Session cookie inactivity: 90 d persistent, 24 h otherwise.
    pub cookie_inactive: SimDuration,
    /// Sign-in frequency, if a Conditional Access policy sets one.
    pub sign_in_frequency: Option<SimDuration>,
}

/// Lifetime of refresh tokens of single-page apps; rotation does not extend it.
pub const SPA_REFRESH_LIFETIME: SimDuration = SimDuration::from_days(1);

impl TokenPolicy {
    /// Draws an access-token lifetime: uniform over `[at_min, at_max]`, exact when equal.
    pub fn draw_lifetime(&self, rng: &mut Rng) -> SimDuration {
        SimDuration(rng.range_inclusive(self.at_min.0, self.at_max.0))
    }

    /// Whether `rt` may be redeemed at `t`; the error is the prompt cause it leads to.
    /// `resilience`: an outage is in force, so ages are not enforced for existing sessions.
    pub fn check_refresh(
        &self,
        rt: &RefreshToken,
        t: SimTime,
        resilience: bool,
    ) -> Result<(), PromptCause> {
        if rt.revoked {
            return Err(PromptCause::Revocation);
        }
        if t.since(rt.last_used) > self.max_inactive {
            return Err(PromptCause::Inactivity);
        }
        if rt.fixed_expiry.is_some_and(|e| t >= e) {
            return Err(PromptCause::MaxAge);
        }
        self.check_age(rt.auth_time, rt.multi_factor, self.max_age, t, resilience)
    }

    /// Whether the session cookie signs the user in silently (`prompt=none`) at `t`.
    pub fn check_cookie(
        &self,
        c: &SessionCookie,
        t: SimTime,
        resilience: bool,
    ) -> Result<(), PromptCause> {
        if c.revoked {
            return Err(PromptCause::Revocation);
        }
        if t.since(c.last_used) > self.cookie_inactive {
            return Err(PromptCause::Inactivity);
        }
        self.check_age(
            c.auth_time,
            c.multi_factor,
            self.session_max_age,
            t,
            resilience,
        )
    }

    /// The last instant `rt` can be redeemed if nobody uses it again: the end of its
    /// inactivity window, fixed expiry, max age or sign-in frequency, whichever is first.
    pub fn refresh_deadline(&self, rt: &RefreshToken) -> SimTime {
        (rt.last_used + self.max_inactive).min(self.refresh_deadline_in_use(rt))
    }

    /// The last instant `rt` can be redeemed if it is used more often than the
    /// inactivity window: its fixed expiry, max age or sign-in frequency.
    pub fn refresh_deadline_in_use(&self, rt: &RefreshToken) -> SimTime {
        let age = self.age_deadline(rt.auth_time, rt.multi_factor, self.max_age);
        rt.fixed_expiry
            .map_or(SimTime::NEVER, |e| e - SimDuration(1))
            .min(age)
    }

    /// The last instant `c` signs the user in silently if it is used more often than the
    /// inactivity window: its max age or sign-in frequency.
    pub fn cookie_deadline_in_use(&self, c: &SessionCookie) -> SimTime {
        self.age_deadline(c.auth_time, c.multi_factor, self.session_max_age)
    }

    /// The last instant `c` signs the user in silently if nobody uses it again.
    pub fn cookie_deadline(&self, c: &SessionCookie) -> SimTime {
        (c.last_used + self.cookie_inactive).min(self.cookie_deadline_in_use(c))
    }

    /// The shortest age limit that holds a session from a `multi_factor` authentication
    /// (its refresh token's max age, sign-in frequency and, with a `cookie`, the
    /// cookie's max age): how often its user signs in interactively in a steady state.
    pub fn reauthentication_period(&self, multi_factor: bool, cookie: bool) -> Option<SimDuration> {
        let session = cookie.then(|| self.session_max_age.for_class(multi_factor));
        [
            self.max_age.for_class(multi_factor),
            self.sign_in_frequency,
            session.flatten(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn age_deadline(
        &self,
        auth_time: AuthTime,
        multi_factor: bool,
        limits: FactorLimits,
    ) -> SimTime {
        [limits.for_class(multi_factor), self.sign_in_frequency]
            .into_iter()
            .flatten()
            .map(|max| auth_time.after(max))
            .min()
            .unwrap_or(SimTime::NEVER)
    }

    fn check_age(
        &self,
        auth_time: AuthTime,
        multi_factor: bool,
        limits: FactorLimits,
        t: SimTime,
        resilience: bool,
    ) -> Result<(), PromptCause> {
        if resilience {
            return Ok(());
        }
        let age = auth_time.age_at(t);
        if limits.for_class(multi_factor).is_some_and(|max| age > max) {
            return Err(PromptCause::MaxAge);
        }
        if self.sign_in_frequency.is_some_and(|sif| age > sif) {
            return Err(PromptCause::SignInFrequency);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> TokenPolicy {
        TokenPolicy {
            at_min: SimDuration::from_mins(60),
            at_max: SimDuration::from_mins(90),
            expiry_margin: SimDuration::from_secs(300),
            max_inactive: SimDuration::from_days(5),
            max_age: FactorLimits {
                single: Some(SimDuration::from_days(1)),
                multi: None,
            },
            session_max_age: FactorLimits {
                single: Some(SimDuration::from_days(1)),
                multi: None,
            },
            cookie_inactive: SimDuration::from_days(90),
            sign_in_frequency: None,
        }
    }

    fn rt(auth: SimTime, used: SimTime, multi_factor: bool) -> RefreshToken {
        RefreshToken {
            auth_time: AuthTime::at(auth),
            last_used: used,
            multi_factor,
            fixed_expiry: None,
            password_based: true,
            revoked: false,
        }
    }

    const DAY: SimDuration = SimDuration::from_days(1);

    #[test]
    fn seven_day_holiday_kills_a_five_day_inactivity_window() {
        let p = policy();
        let token = rt(SimTime::ZERO, SimTime::ZERO, true);
        assert_eq!(
            p.check_refresh(&token, SimTime::ZERO + DAY * 7, false),
            Err(PromptCause::Inactivity)
        );
        assert_eq!(
            p.check_refresh(&token, SimTime::ZERO + DAY * 5, false),
            Ok(())
        );
    }

    #[test]
    fn single_factor_max_age_of_one_day_bites_after_25_hours() {
        let p = policy();
        let t = SimTime::ZERO + SimDuration::from_hours(25);
        let single = rt(SimTime::ZERO, t - SimDuration::from_hours(1), false);
        assert_eq!(p.check_refresh(&single, t, false), Err(PromptCause::MaxAge));
        let multi = rt(SimTime::ZERO, t - SimDuration::from_hours(1), true);
        assert_eq!(p.check_refresh(&multi, t, false), Ok(()));
        assert_eq!(
            p.check_refresh(&single, t, true),
            Ok(()),
            "resilience defaults waive ages"
        );
    }

    #[test]
    fn spa_tokens_die_at_their_fixed_expiry() {
        let p = policy();
        let token = RefreshToken {
            fixed_expiry: Some(SimTime::ZERO + SPA_REFRESH_LIFETIME),
            ..rt(SimTime::ZERO, SimTime::ZERO, true)
        };
        assert_eq!(
            p.check_refresh(&token, SimTime::ZERO + DAY, false),
            Err(PromptCause::MaxAge)
        );
    }

    #[test]
    fn sign_in_frequency_applies_to_tokens_and_cookies() {
        let p = TokenPolicy {
            sign_in_frequency: Some(SimDuration::from_hours(8)),
            ..policy()
        };
        let t = SimTime::ZERO + SimDuration::from_hours(9);
        assert_eq!(
            p.check_refresh(&rt(SimTime::ZERO, t, true), t, false),
            Err(PromptCause::SignInFrequency)
        );
        let cookie = SessionCookie {
            auth_time: AuthTime::at(SimTime::ZERO),
            last_used: t,
            multi_factor: true,
            password_based: true,
            revoked: false,
        };
        assert_eq!(
            p.check_cookie(&cookie, t, false),
            Err(PromptCause::SignInFrequency)
        );
    }

    #[test]
    fn a_revoked_token_fails_even_under_resilience_defaults() {
        let p = policy();
        let token = RefreshToken {
            revoked: true,
            ..rt(SimTime::ZERO, SimTime::ZERO, true)
        };
        assert_eq!(
            p.check_refresh(&token, SimTime(1), true),
            Err(PromptCause::Revocation)
        );
    }

    #[test]
    fn deadline_is_the_last_instant_the_check_passes() {
        let p = TokenPolicy {
            sign_in_frequency: Some(SimDuration::from_hours(30)),
            ..policy()
        };
        let single = rt(SimTime::ZERO, SimTime::ZERO + DAY * 2, false);
        let multi = rt(SimTime::ZERO, SimTime::ZERO + DAY * 2, true);
        let spa = RefreshToken {
            fixed_expiry: Some(SimTime::ZERO + SPA_REFRESH_LIFETIME),
            ..multi
        };
        for token in [single, multi, spa] {
            let d = p.refresh_deadline(&token);
            assert_eq!(p.check_refresh(&token, d, false), Ok(()), "{token:?}");
            assert!(p.check_refresh(&token, d + SimDuration(1), false).is_err());
        }
        let mut cookie = SessionCookie {
            auth_time: AuthTime::at(SimTime::ZERO),
            last_used: SimTime::ZERO,
            multi_factor: true,
            password_based: false,
            revoked: false,
        };
        cookie.last_used = SimTime::ZERO + SimDuration::from_hours(20);
        let d = p.cookie_deadline(&cookie);
        assert_eq!(d, SimTime::ZERO + SimDuration::from_hours(30));
        assert!(p.check_cookie(&cookie, d + SimDuration(1), false).is_err());
    }

    #[test]
    fn fixed_lifetime_when_min_equals_max() {
        let p = TokenPolicy {
            at_min: SimDuration::from_hours(1),
            at_max: SimDuration::from_hours(1),
            ..policy()
        };
        let mut rng = Rng::stream(1, 0, 0, crate::engine::Purpose::Client);
        assert!((0..100).all(|_| p.draw_lifetime(&mut rng) == SimDuration::from_hours(1)));
    }

    /// A warm-start session authenticated before the run reaches its age limit inside
    /// the run, at the limit after its authentication; the period is the tightest limit.
    #[test]
    fn a_session_from_before_the_start_ages_from_its_authentication() {
        let p = TokenPolicy {
            sign_in_frequency: Some(DAY * 2),
            ..policy()
        };
        assert_eq!(p.reauthentication_period(false, false), Some(DAY));
        assert_eq!(p.reauthentication_period(true, false), Some(DAY * 2));
        let mut token = rt(SimTime::ZERO, SimTime::ZERO, true);
        token.auth_time = AuthTime::before_start(SimDuration::from_hours(30));
        let deadline = SimTime::ZERO + SimDuration::from_hours(18);
        assert_eq!(p.refresh_deadline_in_use(&token), deadline);
        assert_eq!(p.check_refresh(&token, deadline, false), Ok(()));
        assert_eq!(
            p.check_refresh(&token, deadline + SimDuration(1), false),
            Err(PromptCause::SignInFrequency)
        );
    }
}
