//! One client app against a scripted timeline of platform answers (`tokensim trace`).
//! The app runs the same client code as the population runs; only the endpoint is a
//! script. Every app call and every request that reaches the platform is logged.

use super::endpoint::Endpoint;
use super::observer::{AppRef, CallResult, Observer, Outcome};
use super::world::SimulationBuilder;
use crate::domain::idp::{Answer, Reply, RequestKind};
use crate::domain::{Jitter, Profile, PromptCause};
use crate::engine::{SimDuration, SimTime};
use crate::scenario::population::UserSeed;
use crate::scenario::script::Script;
use crate::scenario::{ModelError, parse_model};

/// The app under trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TracedApp {
    /// Client library profile.
    pub profile: Profile,
    /// Confidential client (a web app) instead of a public one (a desktop app).
    pub confidential: bool,
    /// msal-python: the app catches MSAL's exception and keeps its old token.
    pub catches_errors: bool,
    /// Jitter of the `guided` backoff.
    pub jitter: Jitter,
}

/// One line of a trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceLine {
    /// An app call and what it got.
    Call {
        /// When.
        t: SimTime,
        /// What the app got.
        result: CallResult,
        /// Why, when it got no new token: the outcome that decided it.
        why: Option<Outcome>,
    },
    /// A request reached the platform.
    Request {
        /// When it was sent.
        t: SimTime,
        /// What was asked.
        kind: RequestKind,
        /// What the platform answered.
        answer: Answer,
    },
    /// The user was asked to sign in.
    Prompt {
        /// When.
        t: SimTime,
        /// Why.
        cause: PromptCause,
    },
    /// The app was blocked (a call waited for a token or got none) during `[from, t)`;
    /// logged when it ends, so the timeline stays ordered.
    Blocked {
        /// Since when.
        from: SimTime,
        /// Until when.
        t: SimTime,
    },
}

impl TraceLine {
    /// When it happened.
    pub fn time(&self) -> SimTime {
        match self {
            TraceLine::Call { t, .. }
            | TraceLine::Request { t, .. }
            | TraceLine::Prompt { t, .. }
            | TraceLine::Blocked { t, .. } => *t,
        }
    }
}

struct ScriptedEndpoint<'a> {
    script: &'a Script,
}

impl Endpoint for ScriptedEndpoint<'_> {
    fn handle(&mut self, t: SimTime, _kind: RequestKind, _eligible: bool) -> Reply {
        let elapsed = t.since(SimTime::ZERO);
        let answer = self
            .script
            .windows
            .iter()
            .rev()
            .find(|w| w.from <= elapsed)
            .map_or(Answer::Ok, |w| w.answer);
        let delay = match answer {
            Answer::Hang(h) => h,
            _ => SimDuration::ZERO,
        };
        Reply {
            answer,
            delay,
            by_backup: false,
            admitted: true,
        }
    }
    fn backup_may_serve(&self, _t: SimTime, _kind: RequestKind) -> bool {
        false
    }
    fn in_outage(&self, _t: SimTime) -> bool {
        false
    }
    fn refresh_in(&self, _lifetime: SimDuration) -> Option<SimDuration> {
        self.script.refresh_in
    }
    fn tokens_rejected_before(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
    fn next_rejection_after(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
    fn backup_window(&self) -> SimDuration {
        SimDuration::ZERO
    }
    fn loop_limit(&self) -> u32 {
        0
    }
    /// Every scripted answer is reported on its own: never a steady stream.
    fn healthy_until(&self, _t: SimTime) -> Option<SimTime> {
        None
    }
    fn admit_at_once(&mut self, _t: SimTime) -> bool {
        false
    }
}

#[derive(Default)]
struct TraceLog {
    lines: Vec<TraceLine>,
    last_outcome: Option<(SimTime, Outcome)>,
}

impl Observer for TraceLog {
    fn offered(&mut self, t: SimTime, _app: AppRef, kind: RequestKind, reply: &Reply) {
        self.lines.push(TraceLine::Request {
            t,
            kind,
            answer: reply.answer,
        });
    }
    fn requests(&mut self, t: SimTime, _app: AppRef, outcome: Outcome, _n: u64) {
        self.last_outcome = Some((t, outcome));
    }
    fn prompt(&mut self, t: SimTime, _app: AppRef, cause: PromptCause) {
        self.lines.push(TraceLine::Prompt { t, cause });
    }
    fn call(&mut self, t: SimTime, _app: AppRef, result: CallResult) {
        let why = match result {
            CallResult::Cached | CallResult::New => None,
            CallResult::Old | CallResult::None => {
                self.last_outcome.filter(|(at, _)| *at == t).map(|(_, o)| o)
            }
        };
        self.lines.push(TraceLine::Call { t, result, why });
    }
    fn app_blocked(&mut self, _app: AppRef, from: SimTime, t: SimTime) {
        self.lines.push(TraceLine::Blocked { from, t });
    }
}

/// Runs `app` against `script` and returns the timeline, ordered by time.
pub fn run_trace(script: &Script, app: TracedApp) -> Result<Vec<TraceLine>, ModelError> {
    let client = if app.confidential { "web" } else { "native" };
    let margin = SimDuration::from_secs(300).min(SimDuration(script.expires_in.as_millis() / 2));
    let model = format!(
        r#"
[scenario]
name = "trace"
start = "2026-01-05T00:00"
horizon = "{duration}"
users = 1
[policy.access_token]
lifetime_min = "{lifetime}"
lifetime_max = "{lifetime}"
expiry_margin = "{margin}"
[platform]
loop_detection = 0
[platform.backup]
enabled = false
[[segment]]
name = "trace"
share = 1.0
activity = {{ pattern = "always-on" }}
[[segment.app]]
name = "traced"
client = "{client}"
profile = "{profile}"
call_interval = "{every}"
catches_errors = {catches}
retry = {{ jitter = "{jitter}" }}
{timeout}
"#,
        duration = script.duration,
        lifetime = script.expires_in,
        every = script.call_every,
        profile = app.profile.label(),
        catches = app.catches_errors,
        jitter = app.jitter.label(),
        timeout = script
            .timeout
            .map_or(String::new(), |t| format!("timeout = \"{t}\"")),
    );
    let scenario = parse_model(&model, "trace script", &[])?;
    let mut log = TraceLog::default();
    let mut sim = SimulationBuilder::new(&scenario, 0)
        .endpoint(ScriptedEndpoint { script })
        .users(vec![UserSeed { id: 0, segment: 0 }])
        .trace()
        .calls(script.calls.clone())
        .build();
    sim.run(&mut log);
    Ok(log.lines)
}
