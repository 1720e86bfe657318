//! `deviceDetail` → the model's devices. Each record's device is classified from its
//! platform, `trustType` and `isManaged`: a Windows device joined, hybrid joined or
//! registered holds a PRT through WAM (`windows`); a managed Mac runs the Enterprise SSO
//! plug-in (`macos-sso`); a registered or managed iPhone or Android phone went through
//! the broker (`ios-broker`, `android-broker`); everything else is `unmanaged`. An app
//! runs on the kind most of its records show; a segment's `broker_share` is the share
//! of its users whose records on a brokered platform show the broker.

use super::signins::{DeviceDetail, Event, Platform};
use crate::domain::DeviceKind;
use std::collections::{BTreeMap, BTreeSet};

/// How a `trustType` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Entra joined or hybrid joined.
    Joined,
    /// Entra registered (a personal or mobile device, through the broker).
    Registered,
    /// Empty or missing: not known to Entra.
    None,
    /// A value outside the documented ones (counted in the report, read as none).
    Unknown,
}

impl Trust {
    /// Reads `Azure AD joined`, `Hybrid Azure AD joined`, `Azure AD registered` and the
    /// newer `Microsoft Entra …` names.
    pub fn parse(text: &str) -> Trust {
        let t = text.to_ascii_lowercase();
        match () {
            _ if t.trim().is_empty() => Trust::None,
            _ if t.ends_with("joined") => Trust::Joined,
            _ if t.ends_with("registered") => Trust::Registered,
            _ => Trust::Unknown,
        }
    }
}

/// The device kind a record's `deviceDetail` describes.
pub fn classify(platform: Platform, detail: &DeviceDetail) -> DeviceKind {
    let trust = Trust::parse(detail.trust_type.as_deref().unwrap_or(""));
    let known = matches!(trust, Trust::Joined | Trust::Registered);
    let managed = detail.is_managed == Some(true);
    match platform {
        Platform::Windows if known => DeviceKind::Windows,
        Platform::MacOs if managed => DeviceKind::MacosSso,
        Platform::Ios if known || managed => DeviceKind::IosBroker,
        Platform::Android if known || managed => DeviceKind::AndroidBroker,
        _ => DeviceKind::Unmanaged,
    }
}

/// The platform a kind's broker runs on (`None` for kinds without one of their own).
pub fn platform_of(kind: DeviceKind) -> Option<Platform> {
    match kind {
        DeviceKind::Windows => Some(Platform::Windows),
        DeviceKind::MacosSso => Some(Platform::MacOs),
        DeviceKind::IosBroker | DeviceKind::MobileBroker => Some(Platform::Ios),
        DeviceKind::AndroidBroker => Some(Platform::Android),
        DeviceKind::Unmanaged => None,
    }
}

/// An app's device: the most common kind of its records, and how many of them showed
/// it out of how many.
pub fn app_device(events: &[Event], app: u16) -> (DeviceKind, u64, u64) {
    let mut counts: BTreeMap<&'static str, (DeviceKind, u64)> = BTreeMap::new();
    for e in events.iter().filter(|e| e.app == app) {
        counts.entry(e.device.label()).or_insert((e.device, 0)).1 += 1;
    }
    let total = counts.values().map(|c| c.1).sum();
    let (kind, n) = counts
        .into_values()
        .max_by_key(|&(k, n)| (n, std::cmp::Reverse(k.label())))
        .unwrap_or((DeviceKind::Unmanaged, 0));
    (kind, n, total)
}

/// A segment's broker share: over its users and the platforms of its apps' brokered
/// kinds, `(users whose records there show the broker, users with records there)`.
/// `None` when no app of the segment runs on a brokered kind.
pub fn broker_share(users: &[&[Event]], kinds: &BTreeMap<u16, DeviceKind>) -> Option<(u64, u64)> {
    let platforms: BTreeSet<Platform> = kinds.values().filter_map(|&k| platform_of(k)).collect();
    if platforms.is_empty() {
        return None;
    }
    let (mut brokered, mut seen) = (0, 0);
    for run in users {
        for &p in &platforms {
            let on_p = |e: &&Event| {
                kinds
                    .get(&e.app)
                    .is_some_and(|&k| platform_of(k) == Some(p))
                    && (e.device == DeviceKind::Unmanaged || platform_of(e.device) == Some(p))
            };
            let mut records = run.iter().filter(on_p).peekable();
            if records.peek().is_none() {
                continue;
            }
            seen += 1;
            brokered += records.any(|e| e.device.brokered()) as u64;
        }
    }
    (seen > 0).then_some((brokered, seen))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(trust: &str, managed: bool) -> DeviceDetail {
        DeviceDetail {
            operating_system: None,
            trust_type: Some(trust.into()),
            is_managed: Some(managed),
        }
    }

    #[test]
    fn trust_type_and_management_decide_the_kind() {
        let k = |p, t, m| classify(p, &detail(t, m));
        assert_eq!(
            k(Platform::Windows, "Hybrid Azure AD joined", false),
            DeviceKind::Windows
        );
        assert_eq!(
            k(Platform::Windows, "Microsoft Entra registered", false),
            DeviceKind::Windows
        );
        assert_eq!(k(Platform::Windows, "", true), DeviceKind::Unmanaged);
        assert_eq!(
            k(Platform::MacOs, "Azure AD registered", true),
            DeviceKind::MacosSso
        );
        assert_eq!(
            k(Platform::MacOs, "Azure AD registered", false),
            DeviceKind::Unmanaged
        );
        assert_eq!(
            k(Platform::Ios, "Azure AD registered", false),
            DeviceKind::IosBroker
        );
        assert_eq!(k(Platform::Android, "", true), DeviceKind::AndroidBroker);
        assert_eq!(k(Platform::Android, "", false), DeviceKind::Unmanaged);
        assert_eq!(
            k(Platform::Linux, "Azure AD registered", true),
            DeviceKind::Unmanaged
        );
        assert_eq!(Trust::parse("Workplace"), Trust::Unknown);
    }
}
