//! Client library data: the profiles, their refresh mode, the retry loop's settings and
//! jitter strategies. Facts a model file names and an app carries; how a profile reacts
//! to a failure is behaviour and lives in [`crate::policy::reaction`].

use crate::engine::SimDuration;
use serde::{Deserialize, Serialize};

/// A client library, or a habit of apps that do without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// MSAL for Python as observed in 1.39: inline refresh, raises on 5xx.
    MsalPython,
    /// MSAL.NET: background refresh, ±300 s jitter, one retry after 1 s, 100 s timeout.
    MsalDotnet,
    /// MSAL.js: background refresh, 60 s throttle on 429/5xx.
    MsalJs,
    /// No cache: a token request per API call.
    NoCache,
    /// Retries at once, forever, ignoring Retry-After.
    FastRetry,
    /// Retries every fixed interval, ignoring Retry-After.
    FixedRetry,
    /// Microsoft's guidance: cache, honour Retry-After, exponential backoff from ≥ 5 s.
    Guided,
}

impl Profile {
    /// Every profile, in report order.
    pub const ALL: [Profile; 7] = [
        Profile::MsalPython,
        Profile::MsalDotnet,
        Profile::MsalJs,
        Profile::NoCache,
        Profile::FastRetry,
        Profile::FixedRetry,
        Profile::Guided,
    ];

    /// Name as written in model files.
    pub fn label(self) -> &'static str {
        match self {
            Profile::MsalPython => "msal-python",
            Profile::MsalDotnet => "msal-dotnet",
            Profile::MsalJs => "msal-js",
            Profile::NoCache => "no-cache",
            Profile::FastRetry => "fast-retry",
            Profile::FixedRetry => "fixed-retry",
            Profile::Guided => "guided",
        }
    }

    /// Whether it keeps access tokens between calls.
    pub fn caches(self) -> bool {
        self != Profile::NoCache
    }

    /// How it acts on the server's `refresh_in`.
    pub fn refresh_mode(self) -> RefreshMode {
        match self {
            Profile::MsalPython => RefreshMode::Inline,
            Profile::MsalDotnet | Profile::MsalJs => RefreshMode::Background,
            _ => RefreshMode::Never,
        }
    }

    /// Random shift applied to `refresh_on` either way (MSAL.NET: 300 s).
    pub fn refresh_jitter(self) -> SimDuration {
        match self {
            Profile::MsalDotnet => SimDuration::from_secs(300),
            _ => SimDuration::ZERO,
        }
    }

    /// Client-side request timeout when the model sets none.
    pub fn default_timeout(self) -> Option<SimDuration> {
        match self {
            // msal-python sets no timeout; fetch in the browser has none either.
            Profile::MsalPython | Profile::MsalJs => None,
            Profile::Guided => Some(SimDuration::from_secs(30)),
            // .NET's HttpClient default, also what most hand-written .NET apps get.
            _ => Some(SimDuration::from_secs(100)),
        }
    }

    /// Whether the retry loop of [`RetryPolicy`] applies.
    pub fn retries_in_loop(self) -> bool {
        matches!(
            self,
            Profile::FastRetry | Profile::FixedRetry | Profile::Guided
        )
    }
}

/// Proactive refresh behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshMode {
    /// Ignores `refresh_in`.
    Never,
    /// Refreshes inside the caller's call.
    Inline,
    /// Returns the cached token at once and refreshes in the background.
    Background,
}

/// Jitter strategies for exponential backoff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Jitter {
    /// Exact exponential delays.
    None,
    /// Uniform in [0, delay].
    #[default]
    Full,
    /// Half the delay plus uniform in [0, delay/2].
    Equal,
    /// min(cap, uniform in [base, 3 × previous delay]).
    Decorrelated,
}

impl Jitter {
    /// Every strategy.
    pub const ALL: [Jitter; 4] = [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ];

    /// Name as written in model files.
    pub fn label(self) -> &'static str {
        match self {
            Jitter::None => "none",
            Jitter::Full => "full",
            Jitter::Equal => "equal",
            Jitter::Decorrelated => "decorrelated",
        }
    }
}

/// Retry loop settings of the non-MSAL profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First backoff of `guided`.
    pub base: SimDuration,
    /// Longest backoff.
    pub cap: SimDuration,
    /// Requests per app call before the call fails; 0 is unlimited.
    pub max_attempts: u32,
    /// Jitter of `guided`.
    pub jitter: Jitter,
    /// Delay of `fast-retry`, period of `fixed-retry`.
    pub interval: SimDuration,
}

impl RetryPolicy {
    /// Whether a call that has made `attempts` requests may make another.
    pub fn allows(&self, attempts: u32) -> bool {
        self.max_attempts == 0 || attempts < self.max_attempts
    }
}
