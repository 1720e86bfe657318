//! Devices and the sessions apps share on them: the Primary Refresh Token of a brokered
//! device (WAM, the Enterprise SSO plug-in, a mobile broker), the browser's session
//! cookie, and the family refresh token of the Microsoft Office clients (FOCI). Sharing
//! is what makes one sign-in serve several apps, so prompts are counted as people see them.

use super::token::{RefreshToken, SessionCookie};
use crate::domain::PromptCause;
use crate::engine::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// A PRT stays valid this long after its last renewal ("valid for 14 days").
pub const PRT_LIFETIME: SimDuration = SimDuration::from_days(14);
/// The broker renews the PRT at most this often while the device is used.
pub const PRT_RENEWAL: SimDuration = SimDuration::from_hours(4);

/// What a device is, for sign-in purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceKind {
    /// Windows, Entra joined, hybrid joined or registered: WAM holds a PRT.
    Windows,
    /// macOS with the Enterprise SSO plug-in (Platform SSO): the plug-in holds a PRT.
    MacosSso,
    /// iOS or iPadOS with Authenticator or Company Portal as the broker (the Enterprise
    /// SSO plug-in).
    IosBroker,
    /// Android with Authenticator or Company Portal as the broker.
    AndroidBroker,
    /// iOS or Android, the model does not say which: a broker as on both, and outside
    /// Token Protection, which covers iOS but not Android.
    MobileBroker,
    /// No broker: every app holds its own refresh token.
    Unmanaged,
}

impl DeviceKind {
    /// Brokered devices hold a PRT that their native apps get tokens through, and
    /// their browsers get SSO from it (PRT cookie on Windows, the plug-in on Apple).
    pub fn brokered(self) -> bool {
        self != DeviceKind::Unmanaged
    }

    /// Token Protection can bind this device's PRT. Microsoft Learn ("Token
    /// protection", platform availability) lists Windows (GA), macOS and iOS/iPadOS
    /// (preview), and no Android.
    pub fn token_protection(self) -> bool {
        matches!(
            self,
            DeviceKind::Windows | DeviceKind::MacosSso | DeviceKind::IosBroker
        )
    }

    /// Label used in tables.
    pub fn label(self) -> &'static str {
        match self {
            DeviceKind::Windows => "windows",
            DeviceKind::MacosSso => "macos-sso",
            DeviceKind::IosBroker => "ios-broker",
            DeviceKind::AndroidBroker => "android-broker",
            DeviceKind::MobileBroker => "mobile-broker",
            DeviceKind::Unmanaged => "unmanaged",
        }
    }
}

/// A validated device of a segment's users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Name the segment's apps refer to.
    pub name: String,
    /// Kind.
    pub kind: DeviceKind,
}

/// Who holds a session, which decides what it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// One app's own refresh token and cookie (no device declared).
    App,
    /// A device's PRT: every brokered app on the device.
    Prt,
    /// One family refresh token for the FOCI apps of an unbrokered device.
    Family,
    /// One browser's session cookie: every web app and SPA in it.
    Browser,
}

/// Credentials one or more apps redeem: a refresh token, a session cookie or both.
/// A refresh reads the token, the kind and the renewal: they come first in one aligned
/// cache line (`repr(C)`); the cookie, read by browser sign-ins only, follows.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
pub struct Session {
    /// Refresh token (the PRT for [`SessionKind::Prt`]).
    pub refresh: Option<RefreshToken>,
    /// A PRT's last renewal: its 14 days run from here. The refresh token's own
    /// `last_used` still slides at every use, for MaxInactiveTime.
    pub renewed: SimTime,
    /// Who shares it.
    pub kind: SessionKind,
    /// An interactive sign-in for it is under way: further apps that need one join it
    /// (the person sees one prompt).
    pub signing_in: bool,
    /// Session cookie.
    pub cookie: Option<SessionCookie>,
}

impl Session {
    /// An empty session of `kind`.
    pub fn new(kind: SessionKind) -> Self {
        Session {
            refresh: None,
            cookie: None,
            kind,
            signing_in: false,
            renewed: SimTime::ZERO,
        }
    }

    /// A sign-in at `rt.last_used` issued `rt` (a PRT starts its 14 days there).
    pub fn issue(&mut self, rt: RefreshToken) {
        self.renewed = rt.last_used;
        self.refresh = Some(rt);
    }

    /// The last instant a PRT left unused is still valid; never for other sessions.
    pub fn prt_deadline(&self) -> SimTime {
        match self.kind {
            SessionKind::Prt => self.renewed + PRT_LIFETIME,
            _ => SimTime::NEVER,
        }
    }

    /// Several apps may redeem it.
    pub fn shared(&self) -> bool {
        self.kind != SessionKind::App
    }

    /// A PRT not renewed for 14 days has expired: the device needs an interactive
    /// sign-in. Other sessions answer to the token policy alone.
    pub fn check_prt(&self, t: SimTime) -> Result<(), PromptCause> {
        if t > self.prt_deadline() {
            return Err(PromptCause::Inactivity);
        }
        Ok(())
    }

    /// The refresh token was redeemed at `t`: it slides, and a PRT is renewed once
    /// [`PRT_RENEWAL`] has passed since its last renewal.
    pub fn renew(&mut self, t: SimTime) {
        if let Some(rt) = self.refresh.as_mut() {
            rt.last_used = t;
        }
        if t.since(self.renewed) >= PRT_RENEWAL {
            self.renewed = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::token::{AuthTime, Authentication};

    fn prt_used_at(t: SimTime) -> Session {
        let mut s = Session::new(SessionKind::Prt);
        let auth = Authentication {
            auth_time: AuthTime::at(t),
            multi_factor: true,
            password_based: false,
        };
        s.issue(auth.refresh_token(t, None));
        s
    }

    /// What a refresh reads of its session (up to `signing_in`) fits the first cache
    /// line of an aligned session.
    #[test]
    fn a_refresh_reads_one_cache_line_of_its_session() {
        use std::mem::{align_of, offset_of, size_of};
        assert!(offset_of!(Session, signing_in) + size_of::<bool>() <= 64);
        assert_eq!(align_of::<Session>(), 64);
    }

    /// Regression: `mobile-broker` counted as supported although Learn names iOS/iPadOS
    /// and not Android.
    #[test]
    fn token_protection_covers_no_android_or_unstated_mobile_device() {
        let covered: Vec<&str> = [
            DeviceKind::Windows,
            DeviceKind::MacosSso,
            DeviceKind::IosBroker,
            DeviceKind::AndroidBroker,
            DeviceKind::MobileBroker,
            DeviceKind::Unmanaged,
        ]
        .into_iter()
        .filter(|k| k.token_protection())
        .map(DeviceKind::label)
        .collect();
        assert_eq!(covered, ["windows", "macos-sso", "ios-broker"]);
    }

    #[test]
    fn prt_expires_fourteen_days_after_its_last_renewal() {
        let s = prt_used_at(SimTime::ZERO);
        assert!(s.check_prt(SimTime::ZERO + PRT_LIFETIME).is_ok());
        assert_eq!(
            s.check_prt(SimTime::ZERO + PRT_LIFETIME + SimDuration(1)),
            Err(PromptCause::Inactivity)
        );
    }

    #[test]
    fn prt_is_renewed_every_four_hours_of_use_not_at_every_request() {
        let mut s = prt_used_at(SimTime::ZERO);
        let at = |d: SimDuration| SimTime::ZERO + d;
        let early = at(PRT_RENEWAL.saturating_sub(SimDuration(1)));
        s.renew(early);
        assert_eq!(s.renewed, SimTime::ZERO);
        assert_eq!(
            s.refresh.unwrap().last_used,
            early,
            "the token itself slides"
        );
        s.renew(at(PRT_RENEWAL));
        assert_eq!(s.prt_deadline(), at(PRT_RENEWAL) + PRT_LIFETIME);
        let mut own = Session::new(SessionKind::App);
        own.issue(s.refresh.unwrap());
        assert_eq!(own.prt_deadline(), SimTime::NEVER);
    }
}
