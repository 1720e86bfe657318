//! Revocation exposure (DESIGN §2): after an access-cutting event, how long can someone
//! holding an app's tokens still use them? Two measures that are never pooled —
//! (a) for a session the event **revoked**, the tail until the last token minted before
//! it stops being accepted; (b) for a session the matrix **left alive**, how long it
//! stays usable — each under three attacker models ([`Attacker`]).

use crate::engine::SimDuration;
use serde::{Deserialize, Serialize};

/// What the attacker holds. Exposure differs per model, so every figure names one.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Attacker {
    /// A copy of the last access token handed to the app, used from the attacker's own
    /// network until the resource stops accepting it. The matrix revokes refresh tokens
    /// and cookies, never access tokens, so this is measure (a) for every session.
    #[default]
    StolenAccessToken,
    /// A copy of the app's refresh token and session cookie, redeemed from another
    /// device whenever the attacker likes: a revoked session still yields the freshest
    /// access token minted just before the event; a session left alive keeps minting.
    /// Token Protection binds the session to the device, so a protected one yields nothing.
    Replay,
    /// Code running on the user's device with the app's tokens: the longer of the two
    /// above, and Token Protection does not help (the binding holds for the device).
    CompromisedDevice,
}

impl Attacker {
    /// Every model, in report order.
    pub const ALL: [Attacker; 3] = [
        Attacker::StolenAccessToken,
        Attacker::Replay,
        Attacker::CompromisedDevice,
    ];

    /// Column-friendly name (`revocations.csv` prefix, model field value).
    pub fn label(self) -> &'static str {
        match self {
            Attacker::StolenAccessToken => "stolen-access-token",
            Attacker::Replay => "replay",
            Attacker::CompromisedDevice => "compromised-device",
        }
    }

    /// The model in words, for reports.
    pub fn description(self) -> &'static str {
        match self {
            Attacker::StolenAccessToken => {
                "a copy of the app's last access token, used from another network until the resource stops accepting it"
            }
            Attacker::Replay => {
                "a copy of the app's refresh token and session cookie, redeemed from another device (Token Protection defeats it)"
            }
            Attacker::CompromisedDevice => {
                "code on the user's device with all of the app's tokens (Token Protection does not help)"
            }
        }
    }
}

/// What the event did to the app's session (its refresh token and cookie).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fate {
    /// Every session credential the app held was revoked.
    Revoked,
    /// The matrix left at least one of them alive.
    LeftAlive,
    /// The app held none (signed out, or a service without a user session).
    NoSession,
}

impl Fate {
    /// Label in tables.
    pub fn label(self) -> &'static str {
        match self {
            Fate::Revoked => "revoked",
            Fate::LeftAlive => "left-alive",
            Fate::NoSession => "no-session",
        }
    }
}

/// What one attacker can do after the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Measure (a): tokens minted before the event are accepted this long after it.
    Tail(SimDuration),
    /// Measure (b): the session survives; usable this long after the event while the
    /// attacker keeps using it (`None`: indefinitely while used).
    Alive(Option<SimDuration>),
    /// The attacker holds nothing usable.
    Nothing,
}

/// The facts an event leaves about one app, from which [`Facts::window`] derives each
/// attacker's exposure (kept raw so every figure has one definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// What the event did to the session.
    pub fate: Fate,
    /// From the event until the last access token handed to the app before it stops
    /// being accepted (expiry or CAE cut-off); zero without one.
    pub access: SimDuration,
    /// From the event until a token minted at the last moment before the revocation took
    /// effect stops being accepted: the session's longest lifetime, capped by the cut-off.
    pub fresh: SimDuration,
    /// Left alive: how long the surviving credential can be redeemed while used (its
    /// max age, sign-in frequency or fixed expiry); `None`: indefinitely.
    pub while_used: Option<SimDuration>,
    /// Left alive: how long it can be redeemed if nobody uses it again (its timeout).
    pub idle: SimDuration,
    /// Token Protection binds the app's session to its device.
    pub protected: bool,
    /// The resource enforces locations strictly: a token presented from an IP other than
    /// the one the platform saw is rejected at once.
    pub strict_location: bool,
}

impl Facts {
    /// The exposure of `attacker`.
    pub fn window(&self, attacker: Attacker) -> Window {
        let stolen = if self.strict_location {
            SimDuration::ZERO
        } else {
            self.access
        };
        match (attacker, self.fate) {
            (Attacker::StolenAccessToken, _) => Window::Tail(stolen),
            (Attacker::Replay, _) if self.protected => Window::Nothing,
            (Attacker::Replay, Fate::NoSession) => Window::Nothing,
            (Attacker::Replay, Fate::Revoked) => Window::Tail(self.fresh),
            (Attacker::CompromisedDevice, Fate::NoSession) => Window::Tail(self.access),
            (Attacker::CompromisedDevice, Fate::Revoked) => {
                Window::Tail(self.access.max(self.fresh))
            }
            (_, Fate::LeftAlive) => Window::Alive(self.while_used),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(fate: Fate, protected: bool) -> Facts {
        Facts {
            fate,
            access: SimDuration::from_mins(40),
            fresh: SimDuration::from_mins(90),
            while_used: None,
            idle: SimDuration::from_days(90),
            protected,
            strict_location: false,
        }
    }

    #[test]
    fn token_protection_only_defeats_the_replay_attacker() {
        let (open, bound) = (facts(Fate::Revoked, false), facts(Fate::Revoked, true));
        let tail = |m| Window::Tail(SimDuration::from_mins(m));
        assert_eq!(open.window(Attacker::Replay), tail(90));
        assert_eq!(bound.window(Attacker::Replay), Window::Nothing);
        for f in [open, bound] {
            assert_eq!(f.window(Attacker::StolenAccessToken), tail(40));
            assert_eq!(f.window(Attacker::CompromisedDevice), tail(90));
        }
        let alive = facts(Fate::LeftAlive, true);
        assert_eq!(alive.window(Attacker::Replay), Window::Nothing);
        assert_eq!(
            alive.window(Attacker::CompromisedDevice),
            Window::Alive(None)
        );
    }

    #[test]
    fn strict_location_rejects_only_the_stolen_access_token() {
        let f = Facts {
            strict_location: true,
            ..facts(Fate::Revoked, false)
        };
        assert_eq!(
            f.window(Attacker::StolenAccessToken),
            Window::Tail(SimDuration::ZERO)
        );
        assert_eq!(
            f.window(Attacker::CompromisedDevice),
            Window::Tail(SimDuration::from_mins(90))
        );
    }
}
