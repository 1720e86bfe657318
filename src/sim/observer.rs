//! The core reports what happens through [`Observer`]; it never formats or stores
//! results itself. The metrics recorder, the trace printer and tests implement it.

use crate::domain::PromptCause;
use crate::domain::events::EventKind;
use crate::domain::exposure::Facts;
use crate::domain::idp::{Answer, Reply, RequestKind};
use crate::domain::token::TokenClasses;
use crate::engine::{SimDuration, SimTime};

/// An app of the unit: its local index, its user's global id, its index in the segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppRef {
    /// Index among the unit's apps.
    pub local: u32,
    /// Global user id.
    pub user: u32,
    /// Index of the app within its segment.
    pub slot: u16,
}

/// How a token request ended, from the client's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Token issued by the primary.
    Ok,
    /// Token issued by the backup authentication service.
    Backup,
    /// HTTP 429.
    TooMany,
    /// HTTP 5xx.
    ServerError,
    /// Client timeout, dropped or refused connection.
    Timeout,
    /// `invalid_grant`: the session was rejected, interaction required.
    InvalidGrant,
    /// Answered from the client's throttle cache without network.
    Throttled,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 7] = [
        Outcome::Ok,
        Outcome::Backup,
        Outcome::TooMany,
        Outcome::ServerError,
        Outcome::Timeout,
        Outcome::InvalidGrant,
        Outcome::Throttled,
    ];

    /// Column-friendly name.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Backup => "backup",
            Outcome::TooMany => "429",
            Outcome::ServerError => "5xx",
            Outcome::Timeout => "timeout",
            Outcome::InvalidGrant => "invalid_grant",
            Outcome::Throttled => "throttled",
        }
    }

    /// Position in [`Outcome::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What one app call got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallResult {
    /// A cached access token.
    Cached,
    /// A token just obtained.
    New,
    /// The old token, while a refresh failed or runs in the background.
    Old,
    /// No token: the call failed.
    None,
}

/// The effect of one access-cutting event on one app of the user: which of its
/// refresh token and cookie the matrix revoked or left alive, and what an attacker
/// holding its tokens can still do ([`Facts::window`] per [`Attacker`](crate::domain::exposure::Attacker)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevocationRecord {
    /// When the event happened (for an admin revoke-all: when the admin asked).
    pub t: SimTime,
    /// The app.
    pub app: AppRef,
    /// The event.
    pub event: EventKind,
    /// Classes of the app's tokens the event revoked.
    pub revoked: TokenClasses,
    /// Classes of the app's tokens it left alive.
    pub alive: TokenClasses,
    /// How long the app's tokens stay usable after the event.
    pub facts: Facts,
    /// The app's resources enforced the event through CAE.
    pub cae: bool,
    /// The scripted campaign it belongs to (index); `None`: drawn from the rates.
    pub campaign: Option<u16>,
}

/// The reply to a steady caller's call ([`Observer::steady_call`]): admitted by the
/// primary and answered at once with a token.
pub const ANSWERED_AT_ONCE: Reply = Reply {
    answer: Answer::Ok,
    delay: SimDuration::ZERO,
    by_backup: false,
    admitted: true,
};

/// Receives everything a unit's simulation does. All methods but
/// [`Observer::steady_call`] default to doing nothing.
pub trait Observer {
    /// A request reached the token endpoint (counted at arrival, for load).
    fn offered(&mut self, _t: SimTime, _app: AppRef, _kind: RequestKind, _reply: &Reply) {}
    /// `n` requests of `app` ended with `outcome` at `t`.
    fn requests(&mut self, _t: SimTime, _app: AppRef, _outcome: Outcome, _n: u64) {}
    /// The user of `app` was asked to sign in.
    fn prompt(&mut self, _t: SimTime, _app: AppRef, _cause: PromptCause) {}
    /// The sign-in of `app` at `t` re-established a session shared on its device (PRT,
    /// browser, family token) and so also served the `others` apps that redeem it.
    fn sign_in_served(&mut self, _t: SimTime, _app: AppRef, _others: u32) {}
    /// An app call was evaluated (between wake-ups, calls served from cache are not reported).
    fn call(&mut self, _t: SimTime, _app: AppRef, _result: CallResult) {}
    /// A steady no-cache caller's call at `t`, admitted at once and answered with a new
    /// token: by default reported as the full model reports such a call. An observer
    /// that counts requests per app may override it and count them from
    /// [`Observer::steady_served`] instead, which spares a counter touched per call.
    fn steady_call(&mut self, t: SimTime, app: AppRef, kind: RequestKind) {
        self.offered(t, app, kind, &ANSWERED_AT_ONCE);
        self.requests(t, app, Outcome::Ok, 1);
        self.call(t, app, CallResult::New);
    }
    /// `n` calls of `app` already reported through [`Observer::steady_call`], counted
    /// as a whole once its state is brought up to date: when it leaves its stream or an
    /// event on its user hands it back, reported by the end of that `run_until` (or
    /// `finish`).
    fn steady_served(&mut self, _app: AppRef, _n: u64) {}
    /// `n` calls of `app` that were not reported through [`Observer::call`] (skipped
    /// while the throttle cache answers them, or cut off by the session's end), the
    /// first at `first` and then every `every`, got no token.
    fn calls_failed(&mut self, _app: AppRef, _first: SimTime, _every: SimDuration, _n: u64) {}
    /// `app` could not get a token during `[from, to)`.
    fn app_blocked(&mut self, _app: AppRef, _from: SimTime, _to: SimTime) {}
    /// At least one app of `user` was blocked during `[from, to)`.
    fn user_blocked(&mut self, _user: u32, _from: SimTime, _to: SimTime) {}
    /// `user` was active during `[from, to)`.
    fn session(&mut self, _user: u32, _from: SimTime, _to: SimTime) {}
    /// An access-cutting event hit an app of its user.
    fn revocation(&mut self, _record: &RevocationRecord) {}
    /// The unit's run is over (after [`crate::sim::Simulation::finish`]): compact what
    /// was recorded, since many units' observers wait in memory for the merge.
    fn close(&mut self) {}
}

/// An observer that ignores everything (benchmarks).
pub struct NullObserver;

impl Observer for NullObserver {}
