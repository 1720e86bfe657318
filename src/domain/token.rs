//! What an app holds: an access token, a refresh token and (browser apps) a session cookie.

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
    /// Whether a cache keeping `margin` of lifetime in reserve still serves it at `t`.
    pub fn usable_at(&self, t: SimTime, margin: SimDuration) -> bool {
        t < self.usable_until(margin)
    }

    /// The first instant the cache no longer serves it.
    pub fn usable_until(&self, margin: SimDuration) -> SimTime {
        self.expires.saturating_sub(margin)
    }
}

/// A refresh token (the session an app holds at the token endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshToken {
    /// Time of the interactive authentication the session descends from.
    pub auth_time: SimTime,
    /// Last time it was redeemed; the inactivity window slides from here.
    pub last_used: SimTime,
    /// Authenticated with more than a password.
    pub multi_factor: bool,
    /// Single-page apps: a fixed expiry that rotation does not extend.
    pub fixed_expiry: Option<SimTime>,
}

/// A browser session cookie at the sign-in service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCookie {
    /// Time of the interactive authentication.
    pub auth_time: SimTime,
    /// Last time it was presented; inactivity slides from here.
    pub last_used: SimTime,
    /// Authenticated with more than a password.
    pub multi_factor: bool,
}

/// One app's token cache.
#[derive(Debug, Clone, Default)]
pub struct TokenCache {
    /// Cached access token.
    pub access: Option<AccessToken>,
    /// Refresh token.
    pub refresh: Option<RefreshToken>,
    /// Session cookie (browser apps).
    pub cookie: Option<SessionCookie>,
}
