//! Client apps as configured in a segment: client type, library profile and habits.

use crate::domain::{Profile, RetryPolicy};
use crate::engine::SimDuration;
use serde::{Deserialize, Serialize};

/// OAuth client types; they decide which grants an app uses and what the backup
/// authentication service will serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientType {
    /// Desktop public client.
    Native,
    /// Mobile app through the broker.
    Mobile,
    /// Single-page app in a browser: 24 h refresh tokens, `prompt=none` with the cookie.
    Spa,
    /// Confidential web app (auth code flow, refresh token with a secret), browser cookie.
    Web,
    /// Service principal with client credentials: no user, no refresh token.
    Daemon,
    /// Managed identity: no user, no refresh token.
    ManagedIdentity,
}

impl ClientType {
    /// Public clients hold no secret.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            ClientType::Native | ClientType::Mobile | ClientType::Spa
        )
    }

    /// Apps without a user acquire tokens with their own credentials and never prompt.
    pub fn is_service(self) -> bool {
        matches!(self, ClientType::Daemon | ClientType::ManagedIdentity)
    }

    /// Browser apps hold a session cookie and can try `prompt=none`.
    pub fn uses_browser(self) -> bool {
        matches!(self, ClientType::Spa | ClientType::Web)
    }

    /// Label used in tables.
    pub fn label(self) -> &'static str {
        match self {
            ClientType::Native => "native",
            ClientType::Mobile => "mobile",
            ClientType::Spa => "spa",
            ClientType::Web => "web",
            ClientType::Daemon => "daemon",
            ClientType::ManagedIdentity => "managed-identity",
        }
    }
}

/// Resources that honour Continuous Access Evaluation.
pub const CAE_RESOURCES: [&str; 4] = ["exchange", "sharepoint", "teams", "graph"];

/// A validated app of a segment.
#[derive(Debug, Clone)]
pub struct AppSpec {
    /// App name.
    pub name: String,
    /// Client type.
    pub client: ClientType,
    /// Client library behaviour.
    pub profile: Profile,
    /// Cache survives restarts (a condition of backup authentication).
    pub persistent_cache: bool,
    /// Declares the `cp1` capability.
    pub cp1: bool,
    /// Resources it calls.
    pub resources: Vec<String>,
    /// Token Protection binds its session to the device (policy on and the app in scope).
    pub token_protection: bool,
    /// Interval between resource calls while the user is active.
    pub call_interval: SimDuration,
    /// msal-python: the app catches MSAL's exception and keeps using its old token.
    pub catches_errors: bool,
    /// Client-side request timeout (`None`: waits as long as the server hangs).
    pub timeout: Option<SimDuration>,
    /// Retry loop of non-MSAL profiles.
    pub retry: RetryPolicy,
    /// Index of the segment's device it runs on; `None` when the segment declares none
    /// (the app then holds its own refresh token and cookie).
    pub device: Option<u16>,
    /// A member of the family of client IDs (FOCI): it shares one refresh token with
    /// the other family apps on its device.
    pub family: bool,
}
