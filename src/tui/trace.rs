//! The User tab's data: an [`Observer`] that keeps everything one user's apps did,
//! and a re-run of that user's scale unit (the whole unit, so the load is the same).

use crate::domain::PromptCause;
use crate::engine::SimTime;
use crate::engine::time::MS_PER_DAY;
use crate::scenario::Scenario;
use crate::scenario::population::unit_of;
use crate::sim::{AppRef, Observer, Outcome, SimulationBuilder};

/// Events kept per user; a no-cache app can make thousands of requests a day.
pub const MAX_EVENTS: usize = 5_000;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum What {
    /// The user was active until this time.
    Session(SimTime),
    /// `n` token requests ended with this outcome.
    Requests(Outcome, u64),
    /// The user was asked to sign in.
    Prompt(PromptCause),
    /// The app could not get a token until this time.
    Blocked(SimTime),
}

/// One entry of a user's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEvent {
    /// When.
    pub t: SimTime,
    /// App index within the segment (`None` for the user's sessions).
    pub slot: Option<u16>,
    /// What.
    pub what: What,
}

/// One user's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct UserTrace {
    /// Global user id.
    pub user: u32,
    /// Events in time order (at most [`MAX_EVENTS`]).
    pub events: Vec<TraceEvent>,
    /// Events left out beyond [`MAX_EVENTS`].
    pub dropped: u64,
}

impl UserTrace {
    fn push(&mut self, t: SimTime, slot: Option<u16>, what: What) {
        if self.events.len() < MAX_EVENTS {
            self.events.push(TraceEvent { t, slot, what });
        } else {
            self.dropped += 1;
        }
    }
}

impl Observer for UserTrace {
    fn requests(&mut self, t: SimTime, app: AppRef, outcome: Outcome, n: u64) {
        if app.user == self.user {
            self.push(t, Some(app.slot), What::Requests(outcome, n));
        }
    }

    fn prompt(&mut self, t: SimTime, app: AppRef, cause: PromptCause) {
        if app.user == self.user {
            self.push(t, Some(app.slot), What::Prompt(cause));
        }
    }

    fn app_blocked(&mut self, app: AppRef, from: SimTime, to: SimTime) {
        if app.user == self.user {
            self.push(from, Some(app.slot), What::Blocked(to));
        }
    }

    fn session(&mut self, user: u32, from: SimTime, to: SimTime) {
        if user == self.user {
            self.push(from, None, What::Session(to));
        }
    }
}

/// Re-runs the scale unit of `user` and returns the user's timeline, or `None` if
/// `keep_going` (asked after every simulated day) says it is no longer wanted.
pub fn trace_user(
    scenario: &Scenario,
    user: u32,
    keep_going: &dyn Fn() -> bool,
) -> Option<UserTrace> {
    let mut trace = UserTrace {
        user,
        events: Vec::new(),
        dropped: 0,
    };
    let mut sim = SimulationBuilder::new(scenario, unit_of(scenario, user)).build();
    let days = scenario.horizon.as_millis().div_ceil(MS_PER_DAY);
    for day in 1..=days {
        sim.run_until(SimTime(day * MS_PER_DAY), &mut trace);
        if !keep_going() {
            return None;
        }
    }
    sim.finish(&mut trace);
    // Blocked intervals and sessions are reported when they end: order by start.
    trace.events.sort_by_key(|e| e.t);
    Some(trace)
}
