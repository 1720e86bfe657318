//! What an app holds: an access token, a refresh token and (browser apps) a session
//! cookie, and the one place each is minted: refresh tokens and cookies from the
//! [`Authentication`] they descend from, access tokens by [`AccessToken::issue`].

use crate::engine::{SimDuration, SimTime};

/// A cached access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessToken {
    /// When the platform issued it.
    pub issued: SimTime,
    /// When it expires.
    pub expires: SimTime,
    /// From the server's `refresh_in`: refresh proactively after this instant.
    pub refresh_on: Option<SimTime>,
}

impl AccessToken {
    /// A token issued at `issued` that lives `lifetime`, to be refreshed proactively
    /// after `refresh_on` if the server sent `refresh_in`.
    pub fn issue(issued: SimTime, lifetime: SimDuration, refresh_on: Option<SimTime>) -> Self {
        AccessToken {
            issued,
            expires: issued + lifetime,
            refresh_on,
        }
    }

    /// Whether a cache keeping `margin` of lifetime in reserve still serves it at `t`:
    /// while at least `margin` remains, as MSAL does (served with exactly 300 s left).
    pub fn usable_at(&self, t: SimTime, margin: SimDuration) -> bool {
        t < self.usable_until(margin)
    }

    /// The first instant the cache no longer serves it: less than `margin` remains.
    pub fn usable_until(&self, margin: SimDuration) -> SimTime {
        self.expires.saturating_sub(margin) + SimDuration(1)
    }
}

/// When an interactive authentication happened, in milliseconds from the run's start:
/// negative for sessions that began before the run (the warm start), so that their age
/// limits fall inside the run as they would in a steady state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AuthTime(i64);

impl AuthTime {
    /// An authentication at `t`.
    pub fn at(t: SimTime) -> Self {
        AuthTime(t.as_millis() as i64)
    }

    /// An authentication `age` before the run's start.
    pub fn before_start(age: SimDuration) -> Self {
        AuthTime(-(age.as_millis() as i64))
    }

    /// How long before `t` it happened (zero if later).
    pub fn age_at(self, t: SimTime) -> SimDuration {
        SimDuration((t.as_millis() as i64).saturating_sub(self.0).max(0) as u64)
    }

    /// The instant `d` after it (the run's start if that is earlier).
    pub fn after(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.as_millis() as i64).max(0) as u64)
    }
}

/// The facts of an interactive authentication that every refresh token and cookie
/// descending from it carries (its time, its factors, whether a password was typed):
/// minting both from one value keeps a session's tokens in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authentication {
    /// When the user authenticated.
    pub auth_time: AuthTime,
    /// With more than a password.
    pub multi_factor: bool,
    /// The user typed a password (revocation matrix class).
    pub password_based: bool,
}

impl Authentication {
    /// A fresh refresh token from it, last used at `t`; `fixed_expiry` for single-page apps.
    pub fn refresh_token(self, t: SimTime, fixed_expiry: Option<SimTime>) -> RefreshToken {
        RefreshToken {
            auth_time: self.auth_time,
            last_used: t,
            multi_factor: self.multi_factor,
            fixed_expiry,
            password_based: self.password_based,
            revoked: false,
        }
    }

    /// A fresh session cookie from it, last presented at `t`.
    pub fn cookie(self, t: SimTime) -> SessionCookie {
        SessionCookie {
            auth_time: self.auth_time,
            last_used: t,
            multi_factor: self.multi_factor,
            password_based: self.password_based,
            revoked: false,
        }
    }
}

/// A refresh token (the session an app holds at the token endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshToken {
    /// Time of the interactive authentication the session descends from.
    pub auth_time: AuthTime,
    /// Last time it was redeemed; the inactivity window slides from here.
    pub last_used: SimTime,
    /// Authenticated with more than a password.
    pub multi_factor: bool,
    /// Single-page apps: a fixed expiry that rotation does not extend.
    pub fixed_expiry: Option<SimTime>,
    /// The authentication it descends from used a password (revocation matrix class).
    pub password_based: bool,
    /// Revoked by a credential or admin event: every later redemption fails.
    pub revoked: bool,
}

impl RefreshToken {
    /// The authentication it descends from.
    pub fn authentication(&self) -> Authentication {
        Authentication {
            auth_time: self.auth_time,
            multi_factor: self.multi_factor,
            password_based: self.password_based,
        }
    }
}

/// A browser session cookie at the sign-in service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCookie {
    /// Time of the interactive authentication.
    pub auth_time: AuthTime,
    /// Last time it was presented; inactivity slides from here.
    pub last_used: SimTime,
    /// Authenticated with more than a password.
    pub multi_factor: bool,
    /// The user typed a password to get it (revocation matrix class).
    pub password_based: bool,
    /// Revoked by a credential or admin event: `prompt=none` with it fails.
    pub revoked: bool,
}

impl SessionCookie {
    /// The authentication it descends from.
    pub fn authentication(&self) -> Authentication {
        Authentication {
            auth_time: self.auth_time,
            multi_factor: self.multi_factor,
            password_based: self.password_based,
        }
    }
}

/// The token classes of the revocation matrix (DESIGN §1.2), in its column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenClass {
    /// Browser session cookie from a password sign-in.
    PasswordCookie,
    /// Refresh token of a public client from a password sign-in.
    PasswordToken,
    /// Session cookie from a sign-in without a password (Windows Hello, FIDO2, SMS, ...).
    NonPasswordCookie,
    /// Refresh token of a public client from a sign-in without a password.
    NonPasswordToken,
    /// Refresh token of a confidential client.
    Confidential,
}

impl TokenClass {
    /// Every class, in matrix column order.
    pub const ALL: [TokenClass; 5] = [
        TokenClass::PasswordCookie,
        TokenClass::PasswordToken,
        TokenClass::NonPasswordCookie,
        TokenClass::NonPasswordToken,
        TokenClass::Confidential,
    ];

    /// Column name in the matrix file and label in `revocations.csv`.
    pub fn label(self) -> &'static str {
        match self {
            TokenClass::PasswordCookie => "pwd_cookie",
            TokenClass::PasswordToken => "pwd_token",
            TokenClass::NonPasswordCookie => "nonpwd_cookie",
            TokenClass::NonPasswordToken => "nonpwd_token",
            TokenClass::Confidential => "confidential",
        }
    }

    /// Position in [`TokenClass::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The class of a refresh token held by a public or confidential client.
    pub fn of_refresh(password_based: bool, confidential: bool) -> TokenClass {
        match (confidential, password_based) {
            (true, _) => TokenClass::Confidential,
            (false, true) => TokenClass::PasswordToken,
            (false, false) => TokenClass::NonPasswordToken,
        }
    }

    /// The class of a session cookie (the cookie belongs to the sign-in service, not
    /// to the client, so only the credential matters).
    pub fn of_cookie(password_based: bool) -> TokenClass {
        if password_based {
            TokenClass::PasswordCookie
        } else {
            TokenClass::NonPasswordCookie
        }
    }
}

/// A set of token classes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TokenClasses(u8);

impl TokenClasses {
    /// The set with `class` added.
    pub fn with(self, class: TokenClass) -> Self {
        TokenClasses(self.0 | 1 << class.index())
    }

    /// Whether `class` is in the set.
    pub fn contains(self, class: TokenClass) -> bool {
        self.0 & (1 << class.index()) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Labels in matrix order joined by `;` (empty for the empty set).
    pub fn labels(self) -> String {
        TokenClass::ALL
            .iter()
            .filter(|c| self.contains(**c))
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(";")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11: refresh tokens and cookies were minted field by field in three places
    /// (warm start, `prompt=none`, interactive sign-in); each round trip through one
    /// [`Authentication`] must keep the time and both credential facts apart.
    #[test]
    fn minting_in_three_places_kept_one_authentication() {
        let t = SimTime::ZERO + SimDuration::from_hours(5);
        for (multi_factor, password_based) in [(true, false), (false, true)] {
            let auth = Authentication {
                auth_time: AuthTime::before_start(SimDuration::from_hours(2)),
                multi_factor,
                password_based,
            };
            let rt = auth.refresh_token(t, Some(t + SimDuration::from_hours(24)));
            let cookie = auth.cookie(t);
            assert_eq!(rt.authentication(), auth);
            assert_eq!(cookie.authentication(), auth);
            assert_eq!(
                cookie
                    .authentication()
                    .refresh_token(t, None)
                    .authentication(),
                auth
            );
            assert_eq!((rt.last_used, cookie.last_used), (t, t));
            assert!(!rt.revoked && !cookie.revoked);
            assert_eq!(rt.fixed_expiry, Some(t + SimDuration::from_hours(24)));
        }
        let at = AccessToken::issue(t, SimDuration::from_hours(1), None);
        assert_eq!(at.expires, t + SimDuration::from_hours(1));
    }

    /// Issue 10, defect 9: a token with exactly the margin left was treated as expired.
    #[test]
    fn cached_token_is_served_with_exactly_the_margin_left() {
        let at = AccessToken {
            issued: SimTime::ZERO,
            expires: SimTime::ZERO + SimDuration::from_hours(1),
            refresh_on: None,
        };
        let margin = SimDuration::from_secs(300);
        let at_secs = |s: u64| SimTime::ZERO + SimDuration::from_secs(s);
        assert!(at.usable_at(at_secs(3300), margin), "300 s left: served");
        assert!(
            !at.usable_at(at_secs(3301), margin),
            "299 s left: refreshed"
        );
        assert!(!at.usable_at(at_secs(3300) + SimDuration(1), margin));
    }
}
