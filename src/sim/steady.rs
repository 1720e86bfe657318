//! Steady no-cache callers. An app without a token cache sends a token request with
//! every API call; while the platform is healthy and its refresh token stays valid,
//! each of those calls goes the same way (admitted, granted, served). Such an app is
//! taken off the event queue into a small side queue of its own: each call costs a
//! capacity check and the observer's counters instead of a full pass through the
//! silent chain. The first call that could go otherwise — refused by capacity, a
//! failing outage, a token limit, an event on the user — goes through the full client
//! model at exactly that call, with the app's state brought up to date. Each call keeps
//! the place in the order of equal-time events that its wake-up would have had, so
//! outputs are the same as when every call goes through the event queue.

use super::endpoint::Endpoint;
use super::observer::{AppRef, CallResult, Observer, Outcome};
use super::state::{AppIx, Need};
use super::world::Simulation;
use crate::domain::idp::{Answer, Reply, RequestKind};
use crate::engine::queue::MAX_PENDING;
use crate::engine::{SimDuration, SimTime};
use crate::policy::cae::CaeSession;

/// Loop detection counts tokens per app in windows of this length.
pub(super) const LOOP_WINDOW: SimDuration = SimDuration::from_mins(5);

/// Loop detection's (window, tokens) before any token is counted: at the start and
/// after an interactive sign-in.
pub(super) const NO_LOOP_WINDOW: (u32, u32) = (u32::MAX, 0);

/// Taken entries a line keeps before it compacts (when they are also half of it).
const COMPACT_AT: usize = 16;

/// One app calling steadily.
#[derive(Debug, Clone, Copy)]
struct Stream {
    app: AppRef,
    kind: RequestKind,
    interval: SimDuration,
    /// Its interval's line in [`Streams::lines`] (set when it enters).
    line: u32,
    /// The next call, and its place among events at the same time.
    next: SimTime,
    seq: u64,
    /// Calls from here on go through the full model (token limit, next outage, an event).
    until: SimTime,
    /// The session's end: no call from here on.
    end: SimTime,
    /// The first call counted since the app's state was last brought up to date, and
    /// how many were served from there.
    first: SimTime,
    served: u64,
}

/// The streams of one call interval, by next call: (next call, its place ×
/// [`MAX_PENDING`] + slot). A stream that made its call goes to the back (its next call
/// is a whole interval on, no earlier than any other's there), so a line needs no heap.
/// A stream that leaves is taken out of its line at once (a search and a shift, rare
/// next to calls), so every entry is live and the front needs no check. A `Vec` read
/// from `head` rather than a `VecDeque`: taking the front is one increment.
struct Line {
    interval: SimDuration,
    entries: Vec<(SimTime, u64)>,
    /// Entries before it were taken.
    head: usize,
}

impl Line {
    fn front(&self) -> Option<(SimTime, u64)> {
        self.entries.get(self.head).copied()
    }

    fn pop_front(&mut self) -> Option<(SimTime, u64)> {
        let front = self.front()?;
        self.head += 1;
        if self.head == self.entries.len() {
            self.entries.clear();
            self.head = 0;
        } else if self.head >= COMPACT_AT && self.head * 2 >= self.entries.len() {
            // The taken entries are half the line: each live one is copied at most once
            // per entry taken.
            self.entries.drain(..self.head);
            self.head = 0;
        }
        Some(front)
    }

    /// Where `entry` goes among the entries not taken.
    fn place_of(&self, entry: (SimTime, u64)) -> usize {
        self.head + self.entries[self.head..].partition_point(|&e| e < entry)
    }

    /// Adds an entry at its place in the order.
    #[inline]
    fn insert(&mut self, entry: (SimTime, u64)) {
        if self.entries.last().is_none_or(|&last| last < entry) {
            self.entries.push(entry);
        } else {
            self.entries.insert(self.place_of(entry), entry);
        }
    }

    /// Takes out an entry of the line.
    fn remove(&mut self, entry: (SimTime, u64)) {
        let at = self.place_of(entry);
        debug_assert_eq!(self.entries.get(at), Some(&entry), "a queued entry");
        if at == self.head {
            self.pop_front();
        } else {
            self.entries.remove(at);
        }
    }
}

/// The unit's steady callers, ordered by their next call.
#[derive(Default)]
pub(super) struct Streams {
    slots: Vec<Option<Stream>>,
    free: Vec<u32>,
    /// One line per call interval (a handful), indexed by [`Stream::line`].
    lines: Vec<Line>,
    /// The earliest entry, once a peek found it, until a stream moves or leaves: the
    /// event loop peeks before every event.
    first: Option<(SimTime, u64)>,
}

impl Streams {
    /// The line of streams calling every `interval`, opened if there is none yet.
    fn line_of(&mut self, interval: SimDuration) -> u32 {
        let line = match self.lines.iter().position(|l| l.interval == interval) {
            Some(line) => line,
            None => {
                self.lines.push(Line {
                    interval,
                    entries: Vec::new(),
                    head: 0,
                });
                self.lines.len() - 1
            }
        };
        line as u32
    }

    /// Queues a stream's next call in its line, in order.
    #[inline(always)]
    fn enqueue(&mut self, line: u32, entry: (SimTime, u64)) {
        if let Some(first) = &mut self.first
            && entry < *first
        {
            *first = entry;
        }
        self.lines[line as usize].insert(entry);
    }

    fn insert(&mut self, mut stream: Stream) -> u32 {
        stream.line = self.line_of(stream.interval);
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(stream);
                slot
            }
            None => {
                self.slots.push(Some(stream));
                (self.slots.len() - 1) as u32
            }
        };
        self.enqueue(stream.line, (stream.next, order_word(stream.seq, slot)));
        slot
    }

    fn remove(&mut self, slot: u32) -> Stream {
        let stream = self.slots[slot as usize].take().expect("a live stream");
        self.free.push(slot);
        self.lines[stream.line as usize].remove((stream.next, order_word(stream.seq, slot)));
        self.first = None;
        stream
    }

    /// The earliest next call: its time, its place among equal times, its slot.
    #[inline]
    pub(super) fn peek(&mut self) -> Option<(SimTime, u64, u32)> {
        let (at, word) = match self.first {
            Some(first) => first,
            None => {
                self.first = self.find_first();
                self.first?
            }
        };
        let (seq, slot) = split_word(word);
        Some((at, seq, slot))
    }

    /// The earliest of the lines' fronts.
    #[inline(never)]
    fn find_first(&self) -> Option<(SimTime, u64)> {
        self.lines.iter().filter_map(Line::front).min()
    }

    /// Moves the due stream in `slot`, at the front of `line`, to its next call.
    fn advance(&mut self, slot: u32, line: u32, next: (SimTime, u64)) {
        let front = self.lines[line as usize]
            .pop_front()
            .map(|(_, word)| split_word(word).1);
        debug_assert_eq!(front, Some(slot), "the due stream leads its line");
        self.first = None;
        self.enqueue(line, (next.0, order_word(next.1, slot)));
    }
}

impl<E: Endpoint> Simulation<'_, E> {
    /// After a successful call at `t`, takes app `a` into a stream if its following
    /// calls are certain to go the same way until some known instant; `false` if not.
    pub(super) fn enter_steady(&mut self, a: AppIx, t: SimTime) -> bool {
        let spec = self.spec(a);
        if !self.steady_streams || spec.profile.caches() {
            return false;
        }
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
        let stream = Stream {
            app: self.app_ref(a),
            kind,
            interval,
            line: 0,
            next,
            // The place the wake-up for `next` would take.
            seq: self.queue.take_seq(),
            until,
            end,
            first: next,
            served: 0,
        };
        self.apps[a].steady = Some(self.streams.insert(stream));
        true
    }

    /// The next call of the stream in `slot`, due at `t`.
    pub(super) fn on_steady<O: Observer>(&mut self, slot: u32, t: SimTime, obs: &mut O) {
        let s = self.streams.slots[slot as usize].expect("a live stream");
        let a = AppIx(s.app.local);
        if t >= s.until || !self.endpoint.admit_at_once(t) {
            self.leave_steady(a);
            return self.call(a, t, obs);
        }
        let reply = Reply {
            answer: Answer::Ok,
            delay: SimDuration::ZERO,
            by_backup: false,
            admitted: true,
        };
        obs.offered(t, s.app, s.kind, &reply);
        obs.requests(t, s.app, Outcome::Ok, 1);
        obs.call(t, s.app, CallResult::New);
        let s = self.streams.slots[slot as usize]
            .as_mut()
            .expect("a live stream");
        s.served += 1;
        let next = t + s.interval;
        if next >= s.end {
            return self.leave_steady(a);
        }
        let seq = self.queue.take_seq();
        let s = self.streams.slots[slot as usize]
            .as_mut()
            .expect("a live stream");
        (s.next, s.seq) = (next, seq);
        let line = s.line;
        self.streams.advance(slot, line, (next, seq));
    }

    /// An event on the user at `t`: brings app `a`'s state up to date so the event
    /// sees it, and sends the app's next call through the full model (at its own
    /// place in the order, as its wake-up would have come).
    pub(super) fn hand_back_at_next_call(&mut self, a: AppIx) {
        let Some(slot) = self.apps[a].steady else {
            return;
        };
        let s = self.streams.slots[slot as usize].expect("a live stream");
        self.bring_up_to_date(a, &s);
        let s = self.streams.slots[slot as usize]
            .as_mut()
            .expect("a live stream");
        (s.first, s.served, s.until) = (s.next, 0, s.next);
    }

    /// Takes app `a` out of its stream, its state as after the stream's last call.
    pub(super) fn leave_steady(&mut self, a: AppIx) {
        if let Some(slot) = self.apps[a].steady.take() {
            let s = self.streams.remove(slot);
            self.bring_up_to_date(a, &s);
        }
    }

    /// Sets what the full model would have left after the stream's calls so far.
    fn bring_up_to_date(&mut self, a: AppIx, s: &Stream) {
        if s.served == 0 {
            return;
        }
        let last = s.first + s.interval * (s.served - 1);
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
fn loop_window_after(before: (u32, u32), s: &Stream, last: SimTime) -> (u32, u32) {
    let window = last.as_millis() / LOOP_WINDOW.as_millis();
    let window_start = window * LOOP_WINDOW.as_millis();
    let window = window as u32;
    let in_window = if window_start <= s.first.as_millis() {
        let earlier = if before.0 == window { before.1 } else { 0 };
        s.served as u32 + earlier
    } else {
        let skipped = (window_start - s.first.as_millis()).div_ceil(s.interval.as_millis());
        (s.served - skipped) as u32
    };
    (window, in_window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A stream whose next call is at `next`, with place `seq` among equal times.
    fn stream_at(next: SimTime, seq: u64, interval: u64) -> Stream {
        Stream {
            app: AppRef {
                local: 0,
                user: 0,
                slot: 0,
            },
            kind: RequestKind::Refresh,
            interval: SimDuration(interval),
            line: 0,
            next,
            seq,
            until: SimTime::NEVER,
            end: SimTime::NEVER,
            first: next,
            served: 0,
        }
    }

    fn stream(first: u64, interval: u64, served: u64) -> Stream {
        Stream {
            first: SimTime(first),
            served,
            ..stream_at(SimTime(first + interval * served), 0, interval)
        }
    }

    /// Counting the stream's calls in the last window matches counting them one by one.
    #[test]
    fn loop_window_matches_a_call_by_call_count() {
        let window = LOOP_WINDOW.as_millis();
        for (first, interval, served) in [(0, 60_000, 12), (250_000, 60_000, 3), (7, 45_000, 30)] {
            let s = stream(first, interval, served);
            let before = ((first / window) as u32, 2);
            let mut expected = before;
            for k in 0..served {
                let w = ((first + k * interval) / window) as u32;
                expected = match expected {
                    (v, n) if v == w => (v, n + 1),
                    _ => (w, 1),
                };
            }
            let last = SimTime(first + interval * (served - 1));
            assert_eq!(loop_window_after(before, &s, last), expected);
        }
    }

    /// A line gives its entries in order across compactions and insertions behind the
    /// taken ones.
    #[test]
    fn line_keeps_order_across_compactions() {
        let mut line = Line {
            interval: SimDuration(10),
            entries: Vec::new(),
            head: 0,
        };
        let mut taken = Vec::new();
        for k in 0..100u64 {
            line.insert((SimTime(k * 10), k));
            if k % 3 == 1 {
                // Out of order: between the entries still queued.
                line.insert((SimTime(k * 10 - 5), 1000 + k));
            }
            if k % 2 == 1 {
                taken.extend(line.pop_front());
            }
        }
        taken.extend(std::iter::from_fn(|| line.pop_front()));
        let mut sorted = taken.clone();
        sorted.sort_unstable();
        assert_eq!(taken.len(), 133);
        assert_eq!(taken, sorted);
        assert!(line.entries.is_empty(), "an emptied line holds nothing");
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// A stream enters with one of three intervals, its first call this far ahead.
        Enter(usize, u64),
        /// The due stream makes its call.
        Call,
        /// The k-th live stream leaves.
        Leave(usize),
        /// The event loop looks at the due stream and handles a queued event instead.
        Peek,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            2 => (0usize..3, 0u64..400).prop_map(|(i, d)| Op::Enter(i, d)),
            4 => Just(Op::Call),
            1 => (0usize..16).prop_map(Op::Leave),
            2 => Just(Op::Peek),
        ]
    }

    proptest! {
        /// The lines give the earliest (next call, place) of the live streams, as a
        /// sorted shadow does, whatever the intervals, entries and departures.
        #[test]
        fn peek_matches_a_sorted_shadow(ops in proptest::collection::vec(op(), 0..200)) {
            let intervals = [60, 100, 300];
            let mut streams = Streams::default();
            let mut live: Vec<(SimTime, u64, u32)> = Vec::new();
            let (mut now, mut seq) = (0u64, 0u64);
            for op in ops {
                match op {
                    Op::Enter(i, d) => {
                        let s = stream_at(SimTime(now + d), seq, intervals[i]);
                        let slot = streams.insert(s);
                        live.push((s.next, seq, slot));
                        seq += 1;
                    }
                    Op::Call => {
                        let expected = live.iter().copied().min();
                        prop_assert_eq!(streams.peek(), expected);
                        let Some((at, _, slot)) = expected else { continue };
                        now = at.0;
                        let s = streams.slots[slot as usize].as_mut().expect("live");
                        (s.next, s.seq) = (at + s.interval, seq);
                        let (line, next) = (s.line, s.next);
                        streams.advance(slot, line, (next, seq));
                        live.retain(|e| e.2 != slot);
                        live.push((next, seq, slot));
                        seq += 1;
                    }
                    Op::Peek => prop_assert_eq!(streams.peek(), live.iter().copied().min()),
                    Op::Leave(k) => {
                        if live.is_empty() {
                            continue;
                        }
                        let (_, _, slot) = live.remove(k % live.len());
                        streams.remove(slot);
                    }
                }
            }
            prop_assert_eq!(streams.peek(), live.iter().copied().min());
        }
    }
}
