//! Steady no-cache callers. An app without a token cache sends a token request with
//! every API call; while the platform is healthy and its refresh token stays valid,
//! each of those calls goes the same way (admitted, granted, served). Such an app is
//! taken off the event queue into a small side queue of its own: each call costs a
//! capacity check and the observer's counters instead of a full pass through the
//! silent chain. The first call that could go otherwise — refused by capacity, a
//! failing outage, a token limit, an event on the user — goes through the full client
//! model at exactly that call, with the app's state brought up to date. Each call keeps
//! the place in the order of equal-time events that its wake-up would have had, so
//! outputs are the same as when every call goes through the event queue. The calls of
//! one line go in runs, without a return to the event loop between them, while each
//! comes before everything else due.

use super::endpoint::Endpoint;
use super::observer::{AppRef, Observer};
use super::state::{AppIx, Need};
use super::world::Simulation;
use crate::domain::idp::RequestKind;
use crate::engine::queue::MAX_PENDING;
use crate::engine::ring::Ring;
use crate::engine::{SimDuration, SimTime};
use crate::policy::cae::CaeSession;

/// Loop detection counts tokens per app in windows of this length.
pub(super) const LOOP_WINDOW: SimDuration = SimDuration::from_mins(5);

/// Loop detection's (window, tokens) before any token is counted: at the start and
/// after an interactive sign-in.
pub(super) const NO_LOOP_WINDOW: (u32, u32) = (u32::MAX, 0);

/// A stream's next call as its line queues it: all that a call reads and writes, so a
/// call touches its line's front and back and nothing else of the stream.
#[derive(Debug, Clone, Copy)]
struct Due {
    /// The next call.
    next: SimTime,
    /// Its place among events at the same time × [`MAX_PENDING`] + the stream's slot.
    word: u64,
    /// Calls from here on go through the full model (token limit, next outage, an event).
    until: SimTime,
    /// The session's end: no call from here on.
    end: SimTime,
}

impl Due {
    fn key(self) -> (SimTime, u64) {
        (self.next, self.word)
    }

    fn slot(self) -> u32 {
        split_word(self.word).1
    }
}

/// What a stream's calls do not read: needed when it enters, leaves or hands back.
#[derive(Debug, Clone, Copy)]
struct Stream {
    app: AppRef,
    kind: RequestKind,
    /// Its interval's line in [`Streams::lines`].
    line: u32,
    /// The first call counted since the app's state was last brought up to date: the
    /// calls since are every interval from it up to the queued one.
    first: SimTime,
}

/// A stream's calls since the app's state was last brought up to date: `n` of them,
/// from `first` on every `interval`.
#[derive(Debug, Clone, Copy)]
struct Served {
    app: AppRef,
    kind: RequestKind,
    first: SimTime,
    interval: SimDuration,
    n: u64,
}

/// The streams of one call interval, by next call. A stream that made its call goes to
/// the back (its next call is a whole interval on, no earlier than any other's there),
/// so a call takes from the front of a ring and adds to its back; only a stream that
/// enters with a call due before others' is put in its place by a search. A stream that
/// leaves is taken out of its line at once (a search and a shift, rare next to calls),
/// so every entry is live and the front needs no check.
struct Line {
    interval: SimDuration,
    entries: Ring<Due>,
}

impl Line {
    /// Adds an entry at its place in the order.
    #[inline(always)]
    fn insert(&mut self, due: Due) {
        match self.entries.back() {
            Some(back) if back.key() > due.key() => self.insert_sorted(due),
            _ => self.entries.push_back(due),
        }
    }

    #[inline(never)]
    fn insert_sorted(&mut self, due: Due) {
        let at = self.entries.partition_point(|e| e.key() < due.key());
        self.entries.insert(at, due);
    }

    /// Where the entry of `slot` is, given the first call counted: its next call is a
    /// whole number of intervals after that, and no earlier than the front's.
    fn position_of(&self, slot: u32, first: SimTime) -> usize {
        let front = self.entries.front().expect("a queued entry").next;
        let mut at = if first >= front {
            first
        } else {
            first
                + self.interval
                    * front
                        .since(first)
                        .as_millis()
                        .div_ceil(self.interval.as_millis())
        };
        loop {
            let from = self.entries.partition_point(|e| e.next < at);
            assert!(from < self.entries.len(), "a queued entry");
            let found = self
                .entries
                .iter_from(from)
                .take_while(|e| e.next == at)
                .position(|e| e.slot() == slot);
            if let Some(k) = found {
                return from + k;
            }
            at += self.interval;
        }
    }
}

/// The key of a line with no entries, after every real one (calls come before the
/// horizon).
const EMPTY: (SimTime, u64) = (SimTime::NEVER, u64::MAX);

/// The unit's steady callers, ordered by their next call.
#[derive(Default)]
pub(super) struct Streams {
    /// Indexed by the slot in an entry's word; a freed slot keeps its last stream.
    slots: Vec<Stream>,
    free: Vec<u32>,
    /// One line per call interval (a handful), indexed by [`Stream::line`].
    lines: Vec<Line>,
    /// Each line's front key ([`EMPTY`] if none): the earliest call is the least of a
    /// handful of keys side by side, without a look into each line.
    fronts: Vec<(SimTime, u64)>,
    /// The earliest entry's time, place among equal times and line, kept up to date
    /// as lines change (a run of calls settles its line once, at its end): the event
    /// loop peeks before every event.
    first: Option<(SimTime, u64, u32)>,
    /// Calls of streams that left or handed back, not yet reported as a whole.
    served: Vec<(AppRef, u64)>,
}

impl Streams {
    /// The line of streams calling every `interval`, opened if there is none yet.
    fn line_of(&mut self, interval: SimDuration) -> u32 {
        let line = match self.lines.iter().position(|l| l.interval == interval) {
            Some(line) => line,
            None => {
                self.lines.push(Line {
                    interval,
                    entries: Ring::default(),
                });
                self.fronts.push(EMPTY);
                self.lines.len() - 1
            }
        };
        line as u32
    }

    /// Records line `line`'s new front and the earliest entry of all.
    #[inline(always)]
    fn settle(&mut self, line: u32) {
        let front = self.lines[line as usize]
            .entries
            .front()
            .map_or(EMPTY, Due::key);
        self.fronts[line as usize] = front;
        let (mut best, mut key) = (0, EMPTY);
        for (l, &k) in self.fronts.iter().enumerate() {
            if k < key {
                (best, key) = (l, k);
            }
        }
        self.first = (key != EMPTY).then_some((key.0, split_word(key.1).0, best as u32));
    }

    /// Takes in a stream whose first call is `next`, with place `seq` among equal times.
    fn insert(&mut self, app: AppRef, kind: RequestKind, interval: SimDuration, due: Due) -> u32 {
        let line = self.line_of(interval);
        let stream = Stream {
            app,
            kind,
            line,
            first: due.next,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = stream;
                slot
            }
            None => {
                self.slots.push(stream);
                (self.slots.len() - 1) as u32
            }
        };
        self.lines[line as usize].insert(Due {
            word: order_word(split_word(due.word).0, slot),
            ..due
        });
        self.settle(line);
        slot
    }

    /// Takes the stream in `slot` out, with the calls it made since it was last
    /// brought up to date.
    fn remove(&mut self, slot: u32) -> Served {
        let line = self.slots[slot as usize].line;
        let queued = &mut self.lines[line as usize];
        let at = queued.position_of(slot, self.slots[slot as usize].first);
        let due = queued.entries.remove(at).expect("a queued entry");
        self.release(line, due)
    }

    /// Takes out the stream whose entry `due` just left `line`, with the calls it made
    /// before `due.next`.
    fn release(&mut self, line: u32, due: Due) -> Served {
        let slot = due.slot();
        self.free.push(slot);
        self.settle(line);
        let interval = self.lines[line as usize].interval;
        served_until(&self.slots[slot as usize], interval, due.next)
    }

    /// The calls the stream in `slot` made since it was last brought up to date; from
    /// here on they count from its next call, which goes through the full model.
    fn hand_back(&mut self, slot: u32) -> Served {
        let stream = &mut self.slots[slot as usize];
        let line = &mut self.lines[stream.line as usize];
        let at = line.position_of(slot, stream.first);
        let due = line.entries.get_mut(at);
        let served = served_until(stream, line.interval, due.next);
        (stream.first, due.until) = (due.next, due.next);
        served
    }

    /// The earliest next call: its time, its place among equal times, its line.
    #[inline]
    pub(super) fn peek(&self) -> Option<(SimTime, u64, u32)> {
        self.first
    }

    /// Takes the due entry from the front of `line`; [`Streams::requeue`] or
    /// [`Streams::release`] follows.
    #[inline(always)]
    fn pop_due(&mut self, line: u32) -> Due {
        self.lines[line as usize]
            .entries
            .pop_front()
            .expect("a due stream")
    }

    /// Queues the next call of a stream whose entry [`Streams::pop_due`] took, at the
    /// back: it is a whole interval after the call just made, and every entry of the
    /// line is at most that after the time it was queued (a call's next, or an entering
    /// stream's first call after the one it made). [`Streams::settle`] follows before
    /// the next peek.
    #[inline(always)]
    fn requeue(&mut self, line: u32, next: Due) {
        let entries = &mut self.lines[line as usize].entries;
        debug_assert!(
            entries.back().is_none_or(|back| back.key() < next.key()),
            "a call's next goes to the back of its line"
        );
        entries.push_back(next);
    }

    /// The key before which `line`'s calls come ahead of everything else: the other
    /// lines' fronts, the queue's first entry (time and sequence number, `None` if
    /// empty) and `until`. Sequence numbers are shared by the queue and the lines, so
    /// an entry is before the queue's exactly when its word is below that sequence
    /// number's first word (`seq × MAX_PENDING`).
    fn bound_of(
        &self,
        line: u32,
        queued: Option<(SimTime, u64)>,
        until: SimTime,
    ) -> (SimTime, u64) {
        let queued = queued.map_or(EMPTY, |(at, seq)| (at, order_word(seq, 0)));
        let others = self
            .fronts
            .iter()
            .enumerate()
            .filter(|&(l, _)| l != line as usize)
            .map(|(_, &k)| k);
        others.fold(queued.min((until, 0)), |a, b| a.min(b))
    }
}

/// The calls of `stream` before its queued one at `next`, one every `interval`.
fn served_until(stream: &Stream, interval: SimDuration, next: SimTime) -> Served {
    Served {
        app: stream.app,
        kind: stream.kind,
        first: stream.first,
        interval,
        n: next.since(stream.first).as_millis() / interval.as_millis(),
    }
}

impl<E: Endpoint> Simulation<'_, E> {
    /// After a successful call at `t`, takes app `a` into a stream if its following
    /// calls are certain to go the same way until some known instant; `false` if not.
    #[inline(always)]
    pub(super) fn enter_steady(&mut self, a: AppIx, t: SimTime) -> bool {
        // Decided here for the apps with a cache, most calls, without the frame of the
        // checks below.
        self.steady_streams && !self.spec(a).profile.caches() && self.enter_stream(a, t)
    }

    /// [`Simulation::enter_steady`] for a no-cache app.
    #[inline(never)]
    fn enter_stream(&mut self, a: AppIx, t: SimTime) -> bool {
        let spec = self.spec(a);
        let (interval, service) = (spec.call_interval, spec.client.is_service());
        let user = &self.users[self.apps[a].user];
        if !user.active {
            return false;
        }
        let end = user.session_end.min(self.horizon);
        let Some(healthy) = self.endpoint.healthy_until(t) else {
            return false;
        };
        let mut until = end.min(healthy);
        let app = &self.apps[a];
        // Strict location: the resource rejects every call of a blocked CAE session,
        // which only the full model's `served` knows.
        if app.need != Need::Silent
            || app.claims.is_some()
            || app.wake.is_some()
            || app.cae == CaeSession::Blocked
        {
            return false;
        }
        let kind = if service {
            RequestKind::ClientCredentials
        } else {
            let policy = self.policy();
            let limit = self.endpoint.loop_limit();
            let per_window = LOOP_WINDOW.as_millis().div_ceil(interval.as_millis()) as u32;
            // A shared session changes under other apps' feet (PRT renewal, one sign-in
            // for all): its apps stay on the event path.
            let session = &self.sessions[app.rt];
            let Some(rt) = session
                .refresh
                .filter(|rt| !rt.revoked && !session.shared())
            else {
                return false;
            };
            if interval > policy.max_inactive
                || (limit > 0 && app.loop_window.1 + per_window > limit)
            {
                return false;
            }
            until = until.min(policy.refresh_deadline_in_use(&rt) + SimDuration(1));
            RequestKind::Refresh
        };
        let next = self.next_call_at(a, t + SimDuration(1));
        if next >= until || app.throttle().is_some_and(|th| th.until > next) {
            return false;
        }
        let due = Due {
            next,
            // The place the wake-up for `next` would take (the slot is filled in).
            word: order_word(self.queue.take_seq(), 0),
            until,
            end,
        };
        let app = self.app_ref(a);
        self.apps[a].steady = Some(self.streams.insert(app, kind, interval, due));
        true
    }

    /// The calls at the front of `line`, the first due at `t`, one after another while
    /// each comes before everything else due: the queue's first entry, the other
    /// lines' fronts and `until`. None of them touches the queue or another line, so
    /// the bound holds for the whole run, and the line's front is settled once, at
    /// its end, instead of after every call.
    pub(super) fn steady_run<O: Observer>(
        &mut self,
        line: u32,
        t: SimTime,
        until: SimTime,
        obs: &mut O,
    ) {
        let bound = self.streams.bound_of(line, self.queue.first_place(), until);
        let mut t = t;
        loop {
            self.events += 1;
            if !self.on_steady(line, t, obs) {
                return;
            }
            match self.streams.lines[line as usize].entries.front() {
                Some(front) if front.key() < bound => t = front.next,
                _ => break,
            }
        }
        self.streams.settle(line);
    }

    /// The next call of the stream at the front of `line`, due at `t`; `false` if the
    /// stream left (its line then settled), `true` if it queued its next call without
    /// settling the line.
    #[inline(always)]
    fn on_steady<O: Observer>(&mut self, line: u32, t: SimTime, obs: &mut O) -> bool {
        let due = self.streams.pop_due(line);
        let slot = due.slot();
        if t >= due.until || !self.endpoint.admit_at_once(t) {
            let a = AppIx(self.streams.slots[slot as usize].app.local);
            self.leave_at_front(a, line, due, 0);
            self.call(a, t, obs);
            return false;
        }
        // An observer that does not read the stream's app and kind (the recorder)
        // leaves its slot unread.
        let stream = &self.streams.slots[slot as usize];
        obs.steady_call(t, stream.app, stream.kind);
        let next = t + self.streams.lines[line as usize].interval;
        if next >= due.end {
            let a = AppIx(stream.app.local);
            self.leave_at_front(a, line, due, 1);
            return false;
        }
        let word = order_word(self.queue.take_seq(), slot);
        self.streams.requeue(line, Due { next, word, ..due });
        true
    }

    /// Takes app `a` out of its stream, whose entry `due` [`Streams::pop_due`] just
    /// took from `line`; the `calls` it made at `due.next` (none or one) count too.
    fn leave_at_front(&mut self, a: AppIx, line: u32, due: Due, calls: u64) {
        self.apps[a].steady = None;
        let served = self.streams.release(line, due);
        let n = served.n + calls;
        self.bring_up_to_date(a, &Served { n, ..served });
    }

    /// An event on the user at `t`: brings app `a`'s state up to date so the event
    /// sees it, and sends the app's next call through the full model (at its own
    /// place in the order, as its wake-up would have come).
    pub(super) fn hand_back_at_next_call(&mut self, a: AppIx) {
        let Some(slot) = self.apps[a].steady else {
            return;
        };
        let served = self.streams.hand_back(slot);
        self.bring_up_to_date(a, &served);
    }

    /// Takes app `a` out of its stream, its state as after the stream's last call.
    pub(super) fn leave_steady(&mut self, a: AppIx) {
        if let Some(slot) = self.apps[a].steady.take() {
            let served = self.streams.remove(slot);
            self.bring_up_to_date(a, &served);
        }
    }

    /// Sets what the full model would have left after the stream's calls so far, and
    /// keeps their count for [`Observer::steady_served`].
    fn bring_up_to_date(&mut self, a: AppIx, s: &Served) {
        if s.n == 0 {
            return;
        }
        self.streams.served.push((s.app, s.n));
        let last = s.first + s.interval * (s.n - 1);
        let app = &mut self.apps[a];
        app.last_primary_auth = Some(last);
        app.revocation.handed_out = Some(last);
        app.call_started = last;
        let session = &mut self.sessions[app.rt];
        if let (RequestKind::Refresh, Some(rt)) = (s.kind, session.refresh.as_mut()) {
            rt.last_used = last;
            if self.endpoint.loop_limit() > 0 {
                app.loop_window = loop_window_after(app.loop_window, s, last);
            }
        }
    }

    /// Reports the steady calls counted as a whole since the last report
    /// ([`Observer::steady_served`]).
    pub(super) fn report_steady_served<O: Observer>(&mut self, obs: &mut O) {
        for (app, n) in self.streams.served.drain(..) {
            obs.steady_served(app, n);
        }
    }
}

/// A stream's place in the order: its sequence number above its slot (fewer slots than
/// one queue's pending events, which validation bounds).
fn order_word(seq: u64, slot: u32) -> u64 {
    seq * MAX_PENDING as u64 + slot as u64
}

/// The sequence number and slot of an order word.
fn split_word(word: u64) -> (u64, u32) {
    (
        word / MAX_PENDING as u64,
        (word % MAX_PENDING as u64) as u32,
    )
}

/// Loop detection's (window, tokens) after the stream's last call at `last`, given the
/// count `before` it started.
fn loop_window_after(before: (u32, u32), s: &Served, last: SimTime) -> (u32, u32) {
    let window = last.as_millis() / LOOP_WINDOW.as_millis();
    let window_start = window * LOOP_WINDOW.as_millis();
    let window = window as u32;
    let in_window = if window_start <= s.first.as_millis() {
        let earlier = if before.0 == window { before.1 } else { 0 };
        s.n as u32 + earlier
    } else {
        let skipped = (window_start - s.first.as_millis()).div_ceil(s.interval.as_millis());
        (s.n - skipped) as u32
    };
    (window, in_window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const APP: AppRef = AppRef {
        local: 0,
        user: 0,
        slot: 0,
    };

    fn served(first: u64, interval: u64, n: u64) -> Served {
        Served {
            app: APP,
            kind: RequestKind::Refresh,
            first: SimTime(first),
            interval: SimDuration(interval),
            n,
        }
    }

    /// Counting the stream's calls in the last window matches counting them one by one.
    #[test]
    fn loop_window_matches_a_call_by_call_count() {
        let window = LOOP_WINDOW.as_millis();
        for (first, interval, n) in [(0, 60_000, 12), (250_000, 60_000, 3), (7, 45_000, 30)] {
            let s = served(first, interval, n);
            let before = ((first / window) as u32, 2);
            let mut expected = before;
            for k in 0..n {
                let w = ((first + k * interval) / window) as u32;
                expected = match expected {
                    (v, n) if v == w => (v, n + 1),
                    _ => (w, 1),
                };
            }
            let last = SimTime(first + interval * (n - 1));
            assert_eq!(loop_window_after(before, &s, last), expected);
        }
    }

    /// A run of one line's calls stops at the first of: the queue's first entry (in
    /// the order of equal times, by sequence number), another line's front, `until`.
    #[test]
    fn a_run_is_bounded_by_the_queue_the_other_lines_and_until() {
        let mut streams = Streams::default();
        let due = |next: u64, seq: u64| Due {
            next: SimTime(next),
            word: order_word(seq, 0),
            until: SimTime::NEVER,
            end: SimTime::NEVER,
        };
        let fast = streams.insert(APP, RequestKind::Refresh, SimDuration(10), due(5, 1));
        let slow = streams.insert(APP, RequestKind::Refresh, SimDuration(60), due(40, 2));
        let (fast, slow) = (
            streams.slots[fast as usize].line,
            streams.slots[slow as usize].line,
        );
        let other_front = (SimTime(40), order_word(2, 1));
        // The other line's front, unless the queue or `until` comes first.
        assert_eq!(streams.bound_of(fast, None, SimTime(100)), other_front);
        assert_eq!(
            streams.bound_of(fast, Some((SimTime(40), 2)), SimTime(100)),
            (SimTime(40), order_word(2, 0)),
            "a queued event with the same time and sequence number as the front's place comes first"
        );
        assert_eq!(
            streams.bound_of(fast, Some((SimTime(30), 9)), SimTime(100)),
            (SimTime(30), order_word(9, 0))
        );
        assert_eq!(
            streams.bound_of(fast, Some((SimTime(30), 9)), SimTime(20)),
            (SimTime(20), 0)
        );
        // A line's own front never bounds its run.
        assert_eq!(
            streams.bound_of(slow, None, SimTime(100)),
            (SimTime(5), order_word(1, 0))
        );
        // A queued event at the same time but a later place than the other front's
        // does not come first.
        assert_eq!(
            streams.bound_of(fast, Some((SimTime(40), 3)), SimTime(100)),
            other_front
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// A stream enters with one of three intervals, its first call this far ahead
        /// (taken modulo one interval and one: at most an interval, as after a call).
        Enter(usize, u64),
        /// The due stream makes its call.
        Call,
        /// The k-th live stream leaves.
        Leave(usize),
        /// The k-th live stream hands back: its calls are counted from its next one.
        HandBack(usize),
        /// The event loop looks at the due stream and handles a queued event instead.
        Peek,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            2 => (0usize..3, 0u64..400).prop_map(|(i, d)| Op::Enter(i, d)),
            4 => Just(Op::Call),
            1 => (0usize..16).prop_map(Op::Leave),
            1 => (0usize..16).prop_map(Op::HandBack),
            2 => Just(Op::Peek),
        ]
    }

    /// A live stream in the shadow: next call, place, slot, interval, calls counted.
    type Shadow = (SimTime, u64, u32, u64, u64);

    fn earliest(live: &[Shadow]) -> Option<(SimTime, u64)> {
        live.iter().map(|&(at, seq, ..)| (at, seq)).min()
    }

    proptest! {
        /// The lines give the earliest (next call, place) of the live streams, as a
        /// sorted shadow does, and find any stream again to count its calls, whatever
        /// the intervals, entries, departures and hand-backs.
        #[test]
        fn peek_and_counts_match_a_sorted_shadow(ops in proptest::collection::vec(op(), 0..200)) {
            let intervals = [60, 100, 300];
            let mut streams = Streams::default();
            let mut live: Vec<Shadow> = Vec::new();
            let (mut now, mut seq) = (0u64, 0u64);
            let due = |next: SimTime, seq: u64, slot: u32| Due {
                next,
                word: order_word(seq, slot),
                until: SimTime::NEVER,
                end: SimTime::NEVER,
            };
            for op in ops {
                match op {
                    Op::Enter(i, d) => {
                        let next = SimTime(now + d % (intervals[i] + 1));
                        let interval = SimDuration(intervals[i]);
                        let slot = streams.insert(APP, RequestKind::Refresh, interval, due(next, seq, 0));
                        live.push((next, seq, slot, intervals[i], 0));
                        seq += 1;
                    }
                    Op::Call => {
                        let expected = earliest(&live);
                        let peeked = streams.peek();
                        prop_assert_eq!(peeked.map(|(at, seq, _)| (at, seq)), expected);
                        let Some((at, _, line)) = peeked else { continue };
                        let k = live.iter().position(|e| (e.0, e.1) == (at, expected.unwrap().1)).unwrap();
                        let (_, _, slot, interval, n) = live.remove(k);
                        prop_assert_eq!(streams.pop_due(line).slot(), slot);
                        now = at.0;
                        let next = at + SimDuration(interval);
                        streams.requeue(line, due(next, seq, slot));
                        streams.settle(line);
                        live.push((next, seq, slot, interval, n + 1));
                        seq += 1;
                    }
                    Op::Peek => {
                        let peeked = streams.peek().map(|(at, seq, _)| (at, seq));
                        prop_assert_eq!(peeked, earliest(&live));
                    }
                    Op::Leave(k) | Op::HandBack(k) => {
                        if live.is_empty() {
                            continue;
                        }
                        let k = k % live.len();
                        let (slot, interval, n) = (live[k].2, live[k].3, live[k].4);
                        let counted = if matches!(op, Op::Leave(_)) {
                            live.remove(k);
                            streams.remove(slot)
                        } else {
                            live[k].4 = 0;
                            streams.hand_back(slot)
                        };
                        prop_assert_eq!(counted.n, n);
                        prop_assert_eq!(counted.interval, SimDuration(interval));
                    }
                }
            }
            prop_assert_eq!(streams.peek().map(|(at, seq, _)| (at, seq)), earliest(&live));
        }
    }
}
