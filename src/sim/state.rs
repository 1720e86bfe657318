//! Per-user and per-app state of a unit: small, flat, one entry per entity.

use super::revocation::AppEvents;
use crate::domain::PromptCause;
use crate::domain::idp::RequestKind;
use crate::domain::token::AccessToken;
use crate::engine::{EventKey, Rng, SimDuration, SimTime};
use crate::policy::Failure;

/// A user of the unit.
pub(super) struct UserState {
    /// Global id.
    pub id: u32,
    /// Segment index.
    pub segment: u16,
    /// First app index in the unit's app array.
    pub first_app: u32,
    /// Number of apps.
    pub n_apps: u16,
    /// Currently in a session.
    pub active: bool,
    /// Start of the current (or last) session.
    pub session_start: SimTime,
    /// End of the current session.
    pub session_end: SimTime,
    /// Start of the next session, already drawn (Poisson pattern).
    pub next_arrival: SimTime,
    /// Apps currently blocked.
    pub blocked_apps: u16,
    /// Since when at least one app has been blocked.
    pub blocked_since: SimTime,
    /// Start of the next absence.
    pub absence_start: SimTime,
    /// End of that absence.
    pub absence_end: SimTime,
    /// The account was disabled: no more sessions, events or tokens for the rest of the run.
    pub disabled: bool,
    /// Activity stream.
    pub rng: Rng,
}

/// A throttle-cache entry: the same request is answered with `replay` until `until`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Throttle {
    pub until: SimTime,
    pub replay: Failure,
}

/// A request on the wire.
#[derive(Clone, Copy, Debug)]
pub(super) struct InFlight {
    pub kind: RequestKind,
    pub background: bool,
    pub result: Result<bool, Failure>,
}

/// An app of a user.
pub(super) struct AppState {
    /// Local index of the user.
    pub user: u32,
    /// Segment of the user (kept here so finding the app's spec skips the user).
    pub segment: u16,
    /// Index of the app within its segment.
    pub slot: u16,
    /// Cached access token.
    pub access: Option<AccessToken>,
    /// The session whose refresh token the app redeems: its own, its device's PRT or
    /// its family's (an index into the unit's sessions).
    pub rt: u32,
    /// The session whose cookie `prompt=none` uses: its own or its browser's.
    pub browser: u32,
    /// A browser app on a brokered device: the PRT its browser gets SSO from.
    pub sso: Option<u32>,
    /// Throttle cache.
    pub throttle: Option<Throttle>,
    /// Requests made in the current call.
    pub attempts: u32,
    /// Previous backoff delay.
    pub prev_delay: SimDuration,
    /// Offset of this app's calls from the session start, uniform over one call interval,
    /// so that apps do not call in lockstep.
    pub phase: SimDuration,
    /// First call of the current session; later calls follow every call interval.
    pub first_call: SimTime,
    /// When the current call began (a blocked interval starts there).
    pub call_started: SimTime,
    /// A request awaiting its answer.
    pub in_flight: Option<InFlight>,
    /// A retry timer is what the pending wake is for: `Some(background)`, whether the
    /// retry continues a background refresh (it stays one: the caller has its token).
    pub retry_pending: Option<bool>,
    /// Interaction required, and why.
    pub ui_required: Option<PromptCause>,
    /// The user has been prompted for the current interaction need.
    pub prompted: bool,
    /// `prompt=none` already failed for the current need.
    pub prompt_none_failed: bool,
    /// Blocked since.
    pub blocked_since: Option<SimTime>,
    /// The pending wake-up.
    pub wake: Option<EventKey>,
    /// The app's slot among the steady callers, while it is one (no wake is pending then).
    pub steady: Option<u32>,
    /// Last successful authentication at the primary (backup eligibility).
    pub last_primary_auth: Option<SimTime>,
    /// Loop detection: 5-minute window index and tokens issued in it.
    pub loop_window: (u64, u32),
    /// CAE session, pending claims challenge, last revocation.
    pub revocation: AppEvents,
    /// Client stream: lifetimes, jitter, backoff.
    pub rng: Rng,
}
