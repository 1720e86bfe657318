//! The metrics recorder: one per scale unit, fed by the simulation through
//! [`Observer`], keeping flat per-app counters and per-minute columns.

use super::window::WindowTally;
use crate::domain::PromptCause;
use crate::domain::idp::{Answer, Reply, RequestKind};
use crate::engine::time::MS_PER_MINUTE;
use crate::engine::{SimDuration, SimTime};
use crate::scenario::Scenario;
use crate::sim::observer::ANSWERED_AT_ONCE;
use crate::sim::{AppRef, AppRow, CallResult, Observer, Outcome, RevocationRecord};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Per-minute platform counters of a unit.
#[derive(Debug, Clone, Default)]
pub struct MinuteColumns {
    /// Requests that reached the unit.
    pub offered: Vec<u32>,
    /// Accepted by the primary within capacity.
    pub admitted: Vec<u32>,
    /// Shed with 429.
    pub shed: Vec<u32>,
    /// 5xx or hung.
    pub failed: Vec<u32>,
    /// Served by the backup service.
    pub backup: Vec<u32>,
    /// Users active in the minute.
    pub active_users: Vec<u32>,
    /// Users blocked in the minute.
    pub blocked_users: Vec<u32>,
}

/// What one unit recorded.
pub struct Recorder {
    minutes: usize,
    user_index: HashMap<u32, u32, BuildHasherDefault<IdHasher>>,
    /// Milliseconds each app was blocked.
    pub blocked_ms: Vec<u64>,
    /// App calls that got no token, per app.
    pub calls_failed: Vec<u64>,
    /// Requests per app, one column per [`Outcome`] (indexed by [`Outcome::index`]):
    /// almost every request adds to the `ok` column, which is dense enough to stay in
    /// cache, where a row of all outcomes per app was one more line loaded per request.
    pub requests: [Vec<u64>; Outcome::ALL.len()],
    /// Prompts by [`PromptCause`] per app.
    pub prompts: Vec<[u32; PromptCause::ALL.len()]>,
    /// Apps that a sign-in of another app served by re-establishing the device or
    /// browser session they share (no prompt of their own).
    pub shared_sign_in_apps: u64,
    /// Milliseconds during which some app of a user was blocked, summed over users.
    pub user_blocked_ms: u64,
    /// Milliseconds during which some app of the user was blocked, per user (local index).
    pub blocked_ms_of_user: Vec<u64>,
    /// Segment of each user (local index).
    segment_of_user: Vec<u16>,
    /// Active milliseconds per user (local index).
    pub wanted_ms: Vec<u64>,
    /// Per-minute columns (the user columns are filled when the unit's run closes).
    pub minute: MinuteColumns,
    active_diff: Vec<i64>,
    blocked_diff: Vec<i64>,
    segment_blocked_diff: Vec<Vec<i64>>,
    /// Users blocked in each minute, per segment (filled when the unit's run closes).
    pub segment_blocked_users: Vec<Vec<u32>>,
    /// Per incident of the scenario: what the unit's users lost in its impact window
    /// (empty windows when it does not hit the unit).
    pub incidents: Vec<WindowTally>,
    /// The same over the union of every incident's impact window.
    pub during_outages: WindowTally,
    /// Exposure windows of access-cutting events, in event order.
    pub revocations: Vec<RevocationRecord>,
}

/// Hashes the recorder's keys, user ids, with one multiplication: SipHash, the default,
/// was a fifth of a session's bookkeeping, and the ids come from the model, not from
/// an adversary. The high half is folded in, as a unit's ids share their low bits.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// An incident's impact is counted from its start until this long after its end.
pub const IMPACT_TAIL: crate::engine::SimDuration = crate::engine::SimDuration::from_hours(24);

impl Recorder {
    /// A recorder for unit `unit` with these app rows.
    pub fn new(scenario: &Scenario, unit: u32, rows: &[AppRow]) -> Self {
        let minutes = scenario.horizon.as_millis().div_ceil(MS_PER_MINUTE) as usize;
        let mut user_index = HashMap::default();
        let mut segment_of_user = Vec::new();
        for row in rows {
            let next = user_index.len() as u32;
            user_index.entry(row.user).or_insert_with(|| {
                segment_of_user.push(row.segment);
                next
            });
        }
        let users = user_index.len();
        let horizon = SimTime::ZERO + scenario.horizon;
        let zeros = || vec![0u32; minutes];
        let hit = scenario.outages_of_unit(unit);
        let windows: Vec<Vec<(SimTime, SimTime)>> = scenario
            .incidents()
            .iter()
            .map(|i| {
                let hits = i.phases.iter().any(|k| hit.contains(k));
                let window = (i.start, (i.end + IMPACT_TAIL).min(horizon));
                hits.then_some(window).into_iter().collect()
            })
            .collect();
        Recorder {
            minutes,
            blocked_ms: vec![0; rows.len()],
            calls_failed: vec![0; rows.len()],
            requests: std::array::from_fn(|_| vec![0; rows.len()]),
            prompts: vec![[0; PromptCause::ALL.len()]; rows.len()],
            shared_sign_in_apps: 0,
            user_blocked_ms: 0,
            blocked_ms_of_user: vec![0; users],
            segment_of_user,
            wanted_ms: vec![0; users],
            minute: MinuteColumns {
                offered: zeros(),
                admitted: zeros(),
                shed: zeros(),
                failed: zeros(),
                backup: zeros(),
                active_users: Vec::new(),
                blocked_users: Vec::new(),
            },
            active_diff: vec![0; minutes + 1],
            blocked_diff: vec![0; minutes + 1],
            segment_blocked_diff: vec![vec![0; minutes + 1]; scenario.segments.len()],
            segment_blocked_users: Vec::new(),
            during_outages: WindowTally::new(windows.concat(), users),
            incidents: windows
                .into_iter()
                .map(|w| WindowTally::new(w, users))
                .collect(),
            revocations: Vec::new(),
            user_index,
        }
    }

    /// Local index of a user of this unit.
    pub fn local_user(&self, user: u32) -> usize {
        self.user_index[&user] as usize
    }

    /// Whether app `k` was blocked: some time without a token, or a call that got none
    /// (a one-call visit is blocked although it loses no time).
    pub fn app_blocked(&self, k: usize) -> bool {
        self.blocked_ms[k] > 0 || self.calls_failed[k] > 0
    }

    fn count_requests(&mut self, app: AppRef, outcome: Outcome, n: u64) {
        self.requests[outcome.index()][app.local as usize] += n;
    }

    fn add_interval(diff: &mut [i64], from: SimTime, to: SimTime) {
        if to <= from {
            return;
        }
        let last = diff.len() - 1;
        diff[(from.minute() as usize).min(last)] += 1;
        diff[((to.as_millis() - 1) / MS_PER_MINUTE + 1).min(last as u64) as usize] -= 1;
    }

    /// Turns the interval differences into per-minute user counts.
    fn finish(&mut self) {
        let accumulate = |diff: &[i64], minutes: usize| -> Vec<u32> {
            diff.iter()
                .take(minutes)
                .scan(0i64, |acc, d| {
                    *acc += d;
                    Some(*acc as u32)
                })
                .collect()
        };
        self.minute.active_users = accumulate(&self.active_diff, self.minutes);
        self.minute.blocked_users = accumulate(&self.blocked_diff, self.minutes);
        self.segment_blocked_users = self
            .segment_blocked_diff
            .iter()
            .map(|d| accumulate(d, self.minutes))
            .collect();
        self.active_diff = Vec::new();
        self.blocked_diff = Vec::new();
        self.segment_blocked_diff = Vec::new();
    }
}

impl Observer for Recorder {
    /// Inlined: a steady call's constant reply folds to two increments.
    #[inline(always)]
    fn offered(&mut self, t: SimTime, _app: AppRef, _kind: RequestKind, reply: &Reply) {
        let m = (t.minute() as usize).min(self.minutes - 1);
        self.minute.offered[m] += 1;
        if reply.admitted {
            self.minute.admitted[m] += 1;
        }
        if reply.by_backup {
            self.minute.backup[m] += 1;
        } else {
            match reply.answer {
                Answer::TooMany { .. } | Answer::TooManyNotJson { .. } => self.minute.shed[m] += 1,
                Answer::ServerError { .. } | Answer::Hang(_) | Answer::Refused => {
                    self.minute.failed[m] += 1
                }
                Answer::Ok | Answer::InvalidGrant(_) => {}
            }
        }
    }

    fn requests(&mut self, _t: SimTime, app: AppRef, outcome: Outcome, n: u64) {
        self.count_requests(app, outcome, n);
    }

    fn prompt(&mut self, _t: SimTime, app: AppRef, cause: PromptCause) {
        self.prompts[app.local as usize][cause.index()] += 1;
    }

    fn sign_in_served(&mut self, _t: SimTime, _app: AppRef, others: u32) {
        self.shared_sign_in_apps += others as u64;
    }

    fn app_blocked(&mut self, app: AppRef, from: SimTime, to: SimTime) {
        self.blocked_ms[app.local as usize] += to.since(from).as_millis();
    }

    fn user_blocked(&mut self, user: u32, from: SimTime, to: SimTime) {
        Self::add_interval(&mut self.blocked_diff, from, to);
        self.user_blocked_ms += to.since(from).as_millis();
        let local = self.local_user(user);
        self.blocked_ms_of_user[local] += to.since(from).as_millis();
        let segment = self.segment_of_user[local] as usize;
        Self::add_interval(&mut self.segment_blocked_diff[segment], from, to);
        for tally in self.incidents.iter_mut() {
            tally.blocked(local, from, to);
        }
        self.during_outages.blocked(local, from, to);
    }

    fn call(&mut self, t: SimTime, app: AppRef, result: CallResult) {
        if result == CallResult::None {
            self.calls_failed(app, t, SimDuration(1), 1);
        }
    }

    /// The per-minute load only: the per-app request count comes in bulk.
    fn steady_call(&mut self, t: SimTime, app: AppRef, kind: RequestKind) {
        self.offered(t, app, kind, &ANSWERED_AT_ONCE);
    }

    fn steady_served(&mut self, app: AppRef, n: u64) {
        self.count_requests(app, Outcome::Ok, n);
    }

    fn calls_failed(&mut self, app: AppRef, first: SimTime, every: SimDuration, n: u64) {
        self.calls_failed[app.local as usize] += n;
        let local = self.local_user(app.user);
        for tally in self.incidents.iter_mut() {
            tally.failed(local, first, every, n);
        }
        self.during_outages.failed(local, first, every, n);
    }

    fn revocation(&mut self, record: &RevocationRecord) {
        self.revocations.push(*record);
    }

    fn close(&mut self) {
        self.finish();
    }

    fn session(&mut self, user: u32, from: SimTime, to: SimTime) {
        Self::add_interval(&mut self.active_diff, from, to);
        let local = self.local_user(user);
        self.wanted_ms[local] += to.since(from).as_millis();
    }
}
