//! What counts as blocked (DESIGN §2, issue 10 defect 4): a call is blocked from the
//! moment it needed a token until it has one, so time spent waiting on a hanging server
//! or in the platform's queue counts, for every profile and on the steady callers' path.

use crate::common::model;
use tokensim::domain::idp::{Answer, Reply, RequestKind};
use tokensim::engine::{SimDuration, SimTime};
use tokensim::sim::{AppRef, CallResult, Observer, SimulationBuilder};

#[derive(Default, Debug, PartialEq)]
struct Waits {
    /// Waits are counted up to here, where the run closes open intervals.
    horizon: SimTime,
    blocked: SimDuration,
    queued: SimDuration,
    hangs: u64,
    failed_calls: u64,
    calls: u64,
}

impl Observer for Waits {
    fn offered(&mut self, t: SimTime, _app: AppRef, _kind: RequestKind, reply: &Reply) {
        match reply.answer {
            Answer::Ok => self.queued = self.queued + reply.delay.min(self.horizon.since(t)),
            Answer::Hang(_) => self.hangs += 1,
            _ => {}
        }
    }
    fn call(&mut self, _t: SimTime, _app: AppRef, result: CallResult) {
        self.calls += 1;
        self.failed_calls += (result == CallResult::None) as u64;
    }
    fn app_blocked(&mut self, _app: AppRef, from: SimTime, to: SimTime) {
        self.blocked = self.blocked + to.since(from);
    }
}

/// No-cache apps (a token request per call, 0.8 requests/s on average) against a unit
/// serving one request a second from a FIFO queue long enough that nothing is refused:
/// every call gets its token after its queueing delay, so the blocked time is exactly
/// the sum of those delays — on the steady callers' path as on the event-per-call one.
#[test]
fn waiting_in_the_platform_queue_counts_as_blocked() {
    let s = model(
        r#"
[scenario]
name = "queue"
start = "2026-01-05T00:00"
horizon = "6h"
seed = 7
users = 48
[platform]
capacity = 1
overload = "queue"
max_queue = "1h"
loop_detection = 0
[[segment]]
name = "s"
share = 1.0
activity = { pattern = "always-on" }
[[segment.app]]
name = "a"
client = "native"
profile = "no-cache"
call_interval = "60s"
"#,
        &[],
    );
    let run = |event_per_call: bool| {
        let mut waits = Waits {
            horizon: SimTime::ZERO + s.horizon,
            ..Waits::default()
        };
        let builder = SimulationBuilder::new(&s, 0);
        let builder = if event_per_call {
            builder.event_per_call()
        } else {
            builder
        };
        builder.build().run(&mut waits);
        waits
    };
    let steady = run(false);
    assert_eq!(steady.failed_calls, 0);
    assert!(
        steady.queued > SimDuration::from_mins(10),
        "the queue must be used: {steady:?}"
    );
    assert_eq!(steady.blocked, steady.queued);
    assert_eq!(run(true), steady);
}

/// msal-python refreshes inline and has no timeout. With 2 h tokens and refresh_in 1 h
/// (55 min of slack) a 30 min outage whose server hangs 2 min never costs a token: each
/// request that hangs returns the old token, so the blocked time is exactly one hang per
/// hanging request, and no call fails.
#[test]
fn waiting_on_a_hanging_server_counts_as_blocked_in_a_population() {
    let s = model(
        r#"
[scenario]
name = "hang"
start = "2026-01-05T00:00"
horizon = "1d"
seed = 3
users = 200
[policy.access_token]
lifetime_min = "2h"
lifetime_max = "2h"
[platform]
capacity = 1000000
loop_detection = 0
[platform.backup]
enabled = false
[[outage]]
kind = "full"
failure = "timeout"
hang = "2m"
start = "12h"
duration = "30m"
[[segment]]
name = "s"
share = 1.0
activity = { pattern = "always-on" }
[[segment.app]]
name = "a"
client = "native"
profile = "msal-python"
call_interval = "60s"
"#,
        &[],
    );
    let mut waits = Waits::default();
    SimulationBuilder::new(&s, 0).build().run(&mut waits);
    assert!(waits.hangs > 50, "{waits:?}");
    assert_eq!(waits.failed_calls, 0);
    assert_eq!(waits.blocked, SimDuration::from_mins(2) * waits.hangs);
}
