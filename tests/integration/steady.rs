//! Steady no-cache callers leave the event queue for a side queue while every call is
//! certain to succeed. That is an optimisation, not a model: each app must see exactly
//! what it sees when every call goes through the event queue, down to the order of
//! events in the same millisecond.

use crate::common::model;
use std::collections::BTreeMap;
use tokensim::domain::PromptCause;
use tokensim::domain::idp::{Reply, RequestKind};
use tokensim::engine::SimTime;
use tokensim::metrics::Recorder;
use tokensim::scenario::Scenario;
use tokensim::sim::{AppRef, CallResult, Observer, Outcome, RevocationRecord, SimulationBuilder};

/// Everything the observer hears, per app and per user, in the order each heard it.
#[derive(Default, PartialEq, Debug)]
struct Log {
    apps: BTreeMap<u32, Vec<String>>,
    users: BTreeMap<u32, Vec<String>>,
}

impl Log {
    fn app(&mut self, app: AppRef, what: String) {
        self.apps.entry(app.local).or_default().push(what);
    }
}

impl Observer for Log {
    fn offered(&mut self, t: SimTime, app: AppRef, kind: RequestKind, reply: &Reply) {
        self.app(app, format!("{t:?} offered {kind:?} {reply:?}"));
    }
    fn requests(&mut self, t: SimTime, app: AppRef, outcome: Outcome, n: u64) {
        self.app(app, format!("{t:?} requests {outcome:?} {n}"));
    }
    fn prompt(&mut self, t: SimTime, app: AppRef, cause: PromptCause) {
        self.app(app, format!("{t:?} prompt {cause:?}"));
    }
    fn call(&mut self, t: SimTime, app: AppRef, result: CallResult) {
        self.app(app, format!("{t:?} call {result:?}"));
    }
    fn app_blocked(&mut self, app: AppRef, from: SimTime, to: SimTime) {
        self.app(app, format!("blocked {from:?}..{to:?}"));
    }
    fn user_blocked(&mut self, user: u32, from: SimTime, to: SimTime) {
        let log = self.users.entry(user).or_default();
        log.push(format!("blocked {from:?}..{to:?}"));
    }
    fn session(&mut self, user: u32, from: SimTime, to: SimTime) {
        let log = self.users.entry(user).or_default();
        log.push(format!("session {from:?}..{to:?}"));
    }
    fn revocation(&mut self, r: &RevocationRecord) {
        self.app(r.app, format!("{r:?}"));
    }
}

/// Runs every unit both ways and compares the logs and the event counts; each of
/// `seen` must occur in some unit's log, so the comparison covers it.
fn assert_same_both_ways(s: &Scenario, seen: &[&str]) {
    let mut unseen: Vec<&str> = seen.to_vec();
    for unit in 0..s.scale_units {
        let mut fast = Log::default();
        let mut sim = SimulationBuilder::new(s, unit).build();
        sim.run(&mut fast);
        let fast_events = sim.events_processed();
        let mut reference = Log::default();
        let mut sim = SimulationBuilder::new(s, unit).event_per_call().build();
        sim.run(&mut reference);
        assert!(
            fast.apps.values().map(Vec::len).sum::<usize>() > 1000,
            "unit {unit}: too little traffic to compare"
        );
        for (app, log) in &reference.apps {
            let other = &fast.apps[app];
            let first = log.iter().zip(other).position(|(a, b)| a != b);
            assert!(
                first.is_none() && log.len() == other.len(),
                "unit {unit}, app {app}: first difference at entry {first:?} of {}: {:?} vs {:?}",
                log.len(),
                first.map(|i| &log[i]),
                first.map(|i| &other[i]),
            );
        }
        assert_eq!(fast, reference);
        assert_eq!(
            fast_events,
            sim.events_processed(),
            "unit {unit}: event counts"
        );
        unseen.retain(|what| !fast.apps.values().flatten().any(|e| e.contains(what)));
    }
    assert!(unseen.is_empty(), "never seen: {unseen:?}");
}

const MIXED: &str = r#"
[scenario]
name = "steady"
start = "2026-03-02T00:00"
horizon = "14d"
seed = 5
users = 600
scale_units = 2

[platform]
capacity = 1000

[policy.sign_in_frequency]
every = "1d"

[events.rates]
password-change = 20
single-sign-out = 40
admin-revoke-all = 10

[[events.campaign]]
name = "reset"
at = "2026-03-06T10:00"
event = "admin-reset-entra-admin-center"
share = 0.3

[[outage]]
name = "full"
kind = "full"
start = "3d10h"
duration = "40m"

[[outage]]
name = "slow"
kind = "degraded"
start = "8d11h"
duration = "1h"
success = 0.5
latency = "2s"
units = [1]

[[segment]]
name = "scripts"
share = 0.5
sign_in = "password"
activity = { pattern = "working-hours", start = "08:00", end = "18:00", jitter = "30m" }

  [[segment.app]]
  name = "puller"
  client = "native"
  profile = "no-cache"
  resources = ["graph"]
  call_interval = "1m"

  [[segment.app]]
  name = "outlook"
  client = "native"
  profile = "msal-dotnet"
  resources = ["exchange"]
  call_interval = "5m"

[[segment]]
name = "mobile"
share = 0.3
sign_in = "passwordless"
activity = { pattern = "poisson", rate_per_day = 8, session = "25m" }

  [[segment.app]]
  name = "poller"
  client = "mobile"
  profile = "no-cache"
  resources = ["graph"]
  call_interval = "90s"

[[segment]]
name = "daemons"
share = 0.2
activity = { pattern = "always-on" }

  [[segment.app]]
  name = "etl"
  client = "daemon"
  profile = "no-cache"
  resources = ["graph"]
  call_interval = "2m"
"#;

/// Sessions of every pattern, revocation events and campaigns, sign-in frequency, a
/// full and a degraded outage (answers drawn in arrival order, so same-millisecond
/// ties must keep their order): the fast path hands every app back at the right call.
#[test]
fn steady_callers_match_an_event_per_call() {
    let seen = [
        "ServerError",
        "prompt Revocation",
        "prompt SignInFrequency",
        "ClientCredentials",
    ];
    assert_same_both_ways(&model(MIXED, &[]), &seen);
}

/// The recorder counts a steady caller's requests as a whole when its state is brought
/// up to date, not call by call: its columns are those of an event per call.
#[test]
fn the_recorder_counts_steady_calls_as_an_event_per_call() {
    let s = model(MIXED, &[]);
    for unit in 0..s.scale_units {
        let record = |builder: SimulationBuilder<'_, _>| {
            let mut sim = builder.build();
            let mut recorder = Recorder::new(&s, unit, &sim.app_rows());
            sim.run(&mut recorder);
            recorder.close();
            recorder
        };
        let fast = record(SimulationBuilder::new(&s, unit));
        let reference = record(SimulationBuilder::new(&s, unit).event_per_call());
        assert!(fast.requests[Outcome::Ok.index()].iter().sum::<u64>() > 10_000);
        assert_eq!(fast.requests, reference.requests, "unit {unit}");
        assert_eq!(fast.minute.offered, reference.minute.offered, "unit {unit}");
        assert_eq!(
            fast.minute.admitted, reference.minute.admitted,
            "unit {unit}"
        );
        assert_eq!(fast.calls_failed, reference.calls_failed, "unit {unit}");
    }
}

/// With capacity for about one call in three, the fast path meets refusals all the
/// time: each app is handed back at the refused call itself.
#[test]
fn refused_calls_are_handed_back_at_that_call() {
    let s = model(
        MIXED,
        &[
            "scenario.users=3",
            "scenario.scale_units=1",
            "platform.capacity=0.006",
            "outage.1.units=[0]",
        ],
    );
    assert_same_both_ways(&s, &["TooMany", "delay: SimDuration(2000)"]);
}

/// Queue mode: a call that would wait behind others goes back to the full model, which
/// queues it (here long enough for clients to time out); calls that go straight
/// through stay steady.
#[test]
fn queued_calls_are_handed_back_at_that_call() {
    let s = model(
        MIXED,
        &[
            "scenario.users=3",
            "scenario.scale_units=1",
            "platform.capacity=0.006",
            "outage.1.units=[0]",
            "platform.overload='queue'",
            "platform.max_queue='10m'",
        ],
    );
    assert_same_both_ways(&s, &["requests Timeout"]);
}

/// An admin revoke-all lands half a second after it is issued, between two calls a
/// second apart: when it lands in the same millisecond as a call, the call that was
/// due first (its wake-up scheduled a second earlier) still goes first.
#[test]
fn an_event_in_the_same_millisecond_as_a_call_keeps_its_place() {
    let text = r#"
[scenario]
name = "same-millisecond"
start = "2026-03-02T00:00"
horizon = "12m"
seed = 3
users = 5000
scale_units = 1

[platform]
capacity = 100000
loop_detection = 0

[events]
admin_api_lag = "500ms"

[[events.campaign]]
name = "revoke"
at = "10m"
event = "admin-revoke-all"
share = 1.0

[[segment]]
name = "pollers"
share = 1.0
sign_in = "password"
activity = { pattern = "always-on" }

  [[segment.app]]
  name = "poller"
  client = "native"
  profile = "no-cache"
  resources = ["graph"]
  call_interval = "1s"
"#;
    assert_same_both_ways(&model(text, &[]), &["prompt Revocation"]);
}

/// Regression (issue 13's open end): a no-cache app whose CAE session is blocked by
/// strict location enforcement was taken into the side queue after its token request
/// succeeded, so its calls counted as served although the resource rejects every one;
/// on the event path each call fails and the app stays blocked.
#[test]
fn strict_location_blocks_no_cache_apps_on_the_fast_path() {
    let s = model(
        MIXED,
        &[
            "scenario.users=40",
            "scenario.scale_units=1",
            "policy.cae.location='strict'",
            "segment.0.ip_mismatch_share=0.5",
            "segment.0.app.0.cp1=true",
            "outage.1.units=[0]",
        ],
    );
    assert_same_both_ways(&s, &["call None", "call New"]);
}
