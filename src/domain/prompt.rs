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
    /// A credential or admin event revoked the refresh token (or cookie) the app relied on.
    Revocation,
    /// A CAE-capable resource rejected the access token with a claims challenge that the
    /// app could not satisfy silently.
    Cae,
}

impl PromptCause {
    /// Every cause, in the order reports list them.
    pub const ALL: [PromptCause; 7] = [
        PromptCause::FirstSignIn,
        PromptCause::Inactivity,
        PromptCause::MaxAge,
        PromptCause::SignInFrequency,
        PromptCause::Outage,
        PromptCause::Revocation,
        PromptCause::Cae,
    ];

    /// Column-friendly name.
    pub fn label(self) -> &'static str {
        match self {
            PromptCause::FirstSignIn => "first_sign_in",
            PromptCause::Inactivity => "inactivity",
            PromptCause::MaxAge => "max_age",
            PromptCause::SignInFrequency => "sign_in_frequency",
            PromptCause::Outage => "outage",
            PromptCause::Revocation => "revocation",
            PromptCause::Cae => "cae",
        }
    }

    /// Position in [`PromptCause::ALL`], for counters kept in arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_and_index_agree() {
        assert!(
            PromptCause::ALL
                .iter()
                .enumerate()
                .all(|(i, c)| c.index() == i)
        );
    }
}
