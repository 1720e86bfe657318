//! Token Protection (Conditional Access session control): sign-in session tokens are
//! bound to the device they were issued to, so a copied refresh token cannot be
//! redeemed anywhere else. Scope as Microsoft Learn states it
//! (<https://learn.microsoft.com/entra/identity/conditional-access/concept-token-protection>):
//! native applications only (browser-based apps are not supported); Windows 10 or later
//! (generally available; iOS/iPadOS and macOS in preview), on registered, joined or
//! hybrid-joined devices; enforced for Exchange Online, SharePoint Online and Microsoft
//! Teams (plus Azure Virtual Desktop and Windows 365 on Windows).
//!
//! The scope is applied through what an app declares: its client type and its
//! resources. An app of a segment without devices is taken to run on a supported,
//! registered device; with devices, the binding sits on the device's PRT, so only apps
//! redeeming one (a brokered device whose broker is in use) are protected, and only on
//! the platforms listed ([`crate::domain::DeviceKind::token_protection`]).

use crate::domain::ClientType;

/// Resources the policy can be enforced for.
pub const RESOURCES: [&str; 3] = ["exchange", "sharepoint", "teams"];

/// Whether a policy switched on for an app of this client type calling these resources
/// protects its session: a native (desktop or brokered mobile) app, every resource in
/// [`RESOURCES`].
pub fn covers(client: ClientType, resources: &[String]) -> bool {
    matches!(client, ClientType::Native | ClientType::Mobile)
        && !resources.is_empty()
        && resources.iter().all(|r| RESOURCES.contains(&r.as_str()))
}

/// The scope in words, for error messages and reports.
pub const SCOPE: &str =
    "native or mobile apps whose resources are all among exchange, sharepoint, teams";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_native_apps_calling_supported_resources_are_covered() {
        let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(covers(ClientType::Native, &r(&["exchange", "teams"])));
        assert!(covers(ClientType::Mobile, &r(&["sharepoint"])));
        assert!(!covers(ClientType::Native, &r(&["exchange", "graph"])));
        assert!(!covers(ClientType::Spa, &r(&["exchange"])));
        assert!(!covers(ClientType::Web, &r(&["exchange"])));
        assert!(!covers(ClientType::Native, &[]));
    }
}
