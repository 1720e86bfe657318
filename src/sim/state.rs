//! Per-user and per-app state of a unit: small, flat, one entry per entity, each kind
//! indexed by its own newtype.

use super::revocation::AppEvents;
use crate::domain::events::EventKind;
use crate::domain::idp::RequestKind;
use crate::domain::token::AccessToken;
use crate::domain::{AppSpec, PromptCause, Session};
use crate::engine::{EventKey, Rng, SimDuration, SimTime};
use crate::policy::Failure;
use crate::policy::cae::CaeSession;

/// Index of a user among the unit's users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct UserIx(pub u32);

/// Index of an app among the unit's apps (the observer's `AppRef::local`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct AppIx(pub u32);

/// Index of a refresh-token or cookie session among the unit's sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct SessionIx(pub u32);

/// Lets each of the unit's vectors be indexed by its own index type, so that an app
/// index cannot pick a user or a session.
macro_rules! indexed_by {
    ($ix:ident, $item:ty) => {
        impl<'a> std::ops::Index<$ix> for Vec<$item> {
            type Output = $item;
            fn index(&self, i: $ix) -> &$item {
                &self[i.0 as usize]
            }
        }
        impl<'a> std::ops::IndexMut<$ix> for Vec<$item> {
            fn index_mut(&mut self, i: $ix) -> &mut $item {
                &mut self[i.0 as usize]
            }
        }
    };
}
indexed_by!(UserIx, UserState);
indexed_by!(AppIx, AppState<'a>);
indexed_by!(SessionIx, Session);

/// A user of the unit. Steady callers, events and blocked intervals read whether it is
/// active and when its session ends (token requests read their app's [`UserView`]):
/// those fields and the blocked count fill the first 32 bytes (`repr(C)`, aligned), so
/// that read is one cache line; the activity draws follow.
#[repr(C, align(32))]
pub(super) struct UserState {
    /// End of the current session.
    pub session_end: SimTime,
    /// Since when at least one app has been blocked.
    pub blocked_since: SimTime,
    /// Global id.
    pub id: u32,
    /// First app index in the unit's app array.
    pub first_app: AppIx,
    /// Number of apps.
    pub n_apps: u16,
    /// Segment index.
    pub segment: u16,
    /// Apps currently blocked.
    pub blocked_apps: u16,
    /// Currently in a session.
    pub active: bool,
    /// The account was disabled: no more sessions, events or tokens for the rest of the run.
    pub disabled: bool,
    /// Start of the current (or last) session.
    pub session_start: SimTime,
    /// Start of the next session, already drawn (Poisson pattern).
    pub next_arrival: SimTime,
    /// Start of the next absence.
    pub absence_start: SimTime,
    /// End of that absence.
    pub absence_end: SimTime,
    /// Activity stream.
    pub rng: Rng,
}

impl UserState {
    /// The user's apps.
    pub fn apps(&self) -> impl Iterator<Item = AppIx> + Clone + use<> {
        let first = self.first_app.0;
        (first..first + self.n_apps as u32).map(AppIx)
    }
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

/// What the app's current call is waiting for. A request on the wire and a retry timer
/// never overlap: the timer is set once the answer is in, and the retry leaves it.
/// `background` says whether the request or retry continues a background refresh (it
/// stays one: the caller has its token). Two bytes, in the app's hot lines; what an
/// awaited request will be answered is kept apart ([`AppState::on_wire`]).
#[derive(Clone, Copy, Debug, Default)]
pub(super) enum Step {
    /// Nothing: the pending wake, if any, is for the next call.
    #[default]
    Idle,
    /// An answer that takes time (queueing, latency, a hang, the client's timeout).
    Awaiting { background: bool },
    /// A retry timer is what the pending wake is for.
    Retrying { background: bool },
}

impl Step {
    /// The caller waits for this step (a background refresh does not keep it waiting).
    pub fn holds_caller(self) -> bool {
        match self {
            Step::Idle => false,
            Step::Awaiting { background } | Step::Retrying { background } => !background,
        }
    }
}

/// Where the app stands in its silent chain (refresh token → `prompt=none` →
/// interactive). A prompt or a failed `prompt=none` only exist while interaction is required.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Need {
    /// The next request redeems the refresh token (or the client's own credentials).
    #[default]
    Silent,
    /// The platform asked for interaction, for `cause`: `prompt=none` next while the
    /// browser has single sign-on and it has not failed, else an interactive sign-in.
    Interaction {
        /// What the prompt is blamed on.
        cause: PromptCause,
        /// `prompt=none` already failed for this need.
        prompt_none_failed: bool,
        /// The user has been prompted for this need.
        prompted: bool,
    },
}

impl Need {
    /// A fresh need for interaction: nothing tried yet.
    pub fn interaction(cause: PromptCause) -> Self {
        Need::Interaction {
            cause,
            prompt_none_failed: false,
            prompted: false,
        }
    }

    /// The interactive sign-in is being sent: marks the user prompted and returns the
    /// cause if this is the first prompt for the need (`None` if already prompted).
    pub fn prompt(&mut self) -> Option<PromptCause> {
        match self {
            Need::Interaction {
                cause,
                prompted: prompted @ false,
                ..
            } => {
                *prompted = true;
                Some(*cause)
            }
            _ => None,
        }
    }
}

/// What an app's calls need of its user, kept with the app so that a token request
/// reads no line of the user: session start and end, which visit every app of the
/// user, keep it in step with [`UserState`] (the only writers of `active` and, while
/// active, `session_end`).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct UserView {
    /// End of the user's current session (read while `active`).
    pub session_end: SimTime,
    /// The user's global id.
    pub id: u32,
    /// The user is in a session.
    pub active: bool,
}

/// An app of a user. A token request touches almost every field, and the apps of a
/// unit are several times the L2 cache, so the layout is fixed (`repr(C)`): the fields
/// a request reads or writes fill the first three cache lines (aligned), the rest —
/// browser sessions, the steady slot, the session phase, event times, when a blocked
/// interval began, what a delayed answer or the throttle cache holds — follow, so a
/// request loads three lines instead of the six a compiler-chosen order spreads it over.
#[repr(C, align(64))]
pub(super) struct AppState<'a> {
    /// The pending wake-up.
    pub wake: Option<EventKey>,
    /// Cached access token.
    pub access: Option<AccessToken>,
    /// The app's spec in the scenario, read several times per token request (one load
    /// instead of segment and slot lookups).
    pub spec: &'a AppSpec,
    /// Client stream: lifetimes, jitter, backoff.
    pub rng: Rng,
    /// When the current call began (a blocked interval starts there).
    pub call_started: SimTime,
    /// First call of the current session; later calls follow every call interval.
    pub first_call: SimTime,
    /// Previous backoff delay.
    pub prev_delay: SimDuration,
    /// End of the throttle cache's window ([`AppState::throttle`]); `ZERO`: no entry (a
    /// window ending at the start is over at every call).
    pub throttle_until: SimTime,
    /// Last successful authentication at the primary (backup eligibility).
    pub last_primary_auth: Option<SimTime>,
    /// Loop detection: 5-minute window index and tokens issued in it (a horizon is at
    /// most 400 days: 115,200 windows).
    pub loop_window: (u32, u32),
    /// What the app's calls read of its user.
    pub of_user: UserView,
    /// Local index of the user.
    pub user: UserIx,
    /// Requests made in the current call.
    pub attempts: u32,
    /// The session whose refresh token the app redeems: its own, its device's PRT or
    /// its family's (an index into the unit's sessions).
    pub rt: SessionIx,
    /// Where the silent chain stands: silent, or interaction required.
    pub need: Need,
    /// The app's CAE session kind.
    pub cae: CaeSession,
    /// Index of the app within its segment.
    pub slot: u16,
    /// A claims challenge the next request must satisfy.
    pub claims: Option<EventKind>,
    /// A blocked interval is open (it began at [`AppState::blocked_from`]).
    pub blocked: bool,
    /// What the current call waits for: an answer, a retry timer, or nothing.
    pub step: Step,
    // Cold: read by browser apps, at session start and end, and by events.
    /// Start of the open blocked interval, while `blocked` (read when it closes).
    pub blocked_from: SimTime,
    /// The session whose cookie `prompt=none` uses: its own or its browser's.
    pub browser: SessionIx,
    /// A browser app on a brokered device: the PRT its browser gets SSO from.
    pub sso: Option<SessionIx>,
    /// The app's slot among the steady callers, while it is one (no wake is pending then).
    pub steady: Option<u32>,
    /// Offset of this app's calls from the session start, uniform over one call interval,
    /// so that apps do not call in lockstep.
    pub phase: SimDuration,
    /// When events last revoked its tokens and last handed it a token.
    pub revocation: AppEvents,
    /// While `step` is [`Step::Awaiting`]: the request's kind and the answer it gets.
    pub on_wire: Option<(RequestKind, Result<bool, Failure>)>,
    /// The failure the throttle cache replays inside its window.
    pub throttle_replay: Option<Failure>,
}

impl AppState<'_> {
    /// Cache lines a token request reads or writes (the hot fields, up to `step`).
    pub const HOT_LINES: usize = 3;

    /// The throttle-cache entry, if one is set (its replay is read only then).
    pub fn throttle(&self) -> Option<Throttle> {
        (self.throttle_until != SimTime::ZERO).then(|| Throttle {
            until: self.throttle_until,
            replay: self
                .throttle_replay
                .expect("a throttle window has its replay"),
        })
    }

    /// Sets the throttle-cache entry.
    pub fn set_throttle(&mut self, entry: Throttle) {
        self.throttle_until = entry.until;
        self.throttle_replay = Some(entry.replay);
    }

    /// Drops the throttle-cache entry (touching the hot window end only).
    pub fn clear_throttle(&mut self) {
        self.throttle_until = SimTime::ZERO;
    }

    /// Opens a blocked interval at `since`.
    pub fn block(&mut self, since: SimTime) {
        self.blocked = true;
        self.blocked_from = since;
    }

    /// Closes the open blocked interval, if any, and returns its start (the cold start
    /// is read only then).
    pub fn take_blocked(&mut self) -> Option<SimTime> {
        std::mem::take(&mut self.blocked).then_some(self.blocked_from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11: `prompted` was a flag beside `ui_required`, so it could be set without
    /// a need (and the prompt's cause fell back to first sign-in). A need is prompted
    /// once, with its own cause, and a silent app has nothing to prompt for.
    #[test]
    fn prompted_lived_apart_from_the_need_it_belongs_to() {
        let mut need = Need::interaction(PromptCause::Revocation);
        assert_eq!(need.prompt(), Some(PromptCause::Revocation));
        assert_eq!(need.prompt(), None, "one prompt per need");
        assert_eq!(Need::Silent.prompt(), None);
    }

    /// The fields a token request touches (in `repr(C)` order, up to `step`) fit the
    /// first three cache lines of an aligned app: one grown or added among them pushes
    /// the last out and fails here.
    #[test]
    fn a_token_request_touches_three_cache_lines_of_its_app() {
        use std::mem::{align_of, offset_of, size_of};
        let hot_end = offset_of!(AppState, step) + size_of::<Step>();
        assert!(
            hot_end <= AppState::HOT_LINES * 64,
            "hot fields end at byte {hot_end}"
        );
        assert_eq!(align_of::<AppState>(), 64);
        assert!(offset_of!(AppState, blocked_from) >= hot_end);
    }

    /// What a steady caller or an event reads of its user (up to `disabled`) fits one
    /// aligned 32-byte block, so never straddles two cache lines.
    #[test]
    fn a_steady_caller_reads_one_cache_line_of_its_user() {
        use std::mem::{align_of, offset_of, size_of};
        assert!(offset_of!(UserState, disabled) + size_of::<bool>() <= 32);
        assert_eq!(align_of::<UserState>(), 32);
    }

    /// Only a foreground request or retry keeps the caller waiting.
    #[test]
    fn a_background_refresh_never_holds_the_caller() {
        assert!(Step::Awaiting { background: false }.holds_caller());
        assert!(!Step::Awaiting { background: true }.holds_caller());
        assert!(Step::Retrying { background: false }.holds_caller());
        assert!(!Step::Retrying { background: true }.holds_caller());
        assert!(!Step::Idle.holds_caller());
    }
}
