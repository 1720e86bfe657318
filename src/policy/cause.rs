//! Why a user had to sign in interactively.

use serde::Serialize;

/// The cause recorded with each interactive prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptCause {
    /// The app had no session yet.
    FirstSignIn,
    /// The refresh token (or cookie) was unused for longer than MaxInactiveTime.
    Inactivity,
    /// The session outlived a max age (MaxAge*, or the SPA's fixed 24 h).
    MaxAge,
    /// Conditional Access sign-in frequency required a fresh authentication.
    SignInFrequency,
    /// The platform answered with UI required because of load (client request loop detection).
    Outage,
}

impl PromptCause {
    /// Every cause, in the order reports list them.
    pub const ALL: [PromptCause; 5] = [
        PromptCause::FirstSignIn,
        PromptCause::Inactivity,
        PromptCause::MaxAge,
        PromptCause::SignInFrequency,
        PromptCause::Outage,
    ];

    /// Column-friendly name.
    pub fn label(self) -> &'static str {
        match self {
            PromptCause::FirstSignIn => "first_sign_in",
            PromptCause::Inactivity => "inactivity",
            PromptCause::MaxAge => "max_age",
            PromptCause::SignInFrequency => "sign_in_frequency",
            PromptCause::Outage => "outage",
        }
    }

    /// Position in [`PromptCause::ALL`], for counters kept in arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}
