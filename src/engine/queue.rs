//! Future-event list ordered by `(time, insertion sequence)`: equal times pop in FIFO
//! order, which makes runs reproducible. Scheduling returns an [`EventKey`] that cancels
//! the event; cancelled entries stay in the heap as tombstones and are skipped on pop.
//! Ordering lives in a monotone `RadixHeap` of entries that carry the time, the
//! sequence number and the event itself, because ordering dominates the engine's
//! profile: a pop reads its entry and nothing else (with the events in slots beside the
//! heap, each pop missed the cache on its slot). Cancels are rare, so the tombstones are
//! kept aside by (time, seq) and a pop compares its entry with the first. Monotone means
//! no event is scheduled before the last one popped, which a simulation guarantees by
//! construction; breaking it panics.

use super::radix::RadixHeap;
use super::time::SimTime;
use std::collections::BTreeSet;

/// Handle to a scheduled event, valid until the event fires or is cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventKey {
    at: SimTime,
    seq: u64,
}

impl EventKey {
    fn order(self) -> (SimTime, u64) {
        (self.at, self.seq)
    }
}

/// Bits below a sequence number that a caller may pack an index into (the steady
/// streams' order words): sequence numbers stay below 2^(64 − 28).
const INDEX_BITS: u32 = 28;

/// Most events one queue is sized for: validation bounds a unit's pending events by it,
/// and a caller may pack an index below it under a sequence number.
pub const MAX_PENDING: usize = 1 << INDEX_BITS;

/// A priority queue of events of type `E`.
pub struct EventQueue<E> {
    heap: RadixHeap<E>,
    /// Cancelled events still in the heap, by (time, seq): the heap gives its entries
    /// in that order, so a taken entry is a tombstone exactly when it is the first.
    tombstones: BTreeSet<(SimTime, u64)>,
    /// Cancelled events taken from the heap ahead of the last live one (a cancel of
    /// their key must still fail); dropped once that passes them.
    buried: BTreeSet<(SimTime, u64)>,
    next_seq: u64,
    live: usize,
    /// Time and sequence number of the last live event popped: live events leave in
    /// increasing order, so a key at or before it has fired.
    fired: Option<(SimTime, u64)>,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: RadixHeap::new(),
            tombstones: BTreeSet::new(),
            buried: BTreeSet::new(),
            next_seq: 0,
            live: 0,
            fired: None,
        }
    }

    /// Time of the last live event popped.
    fn now(&self) -> SimTime {
        self.fired.map_or(SimTime::ZERO, |(at, _)| at)
    }

    /// Schedules `event` at `at`; events at the same time fire in scheduling order.
    /// Panics if `at` is before the last event popped.
    pub fn schedule(&mut self, at: SimTime, event: E) -> EventKey {
        let seq = self.take_seq();
        assert!(
            at >= self.now(),
            "event scheduled at {at:?}, before the queue's current time {:?}",
            self.now()
        );
        self.heap.push(at, seq, event);
        self.live += 1;
        EventKey { at, seq }
    }

    /// Cancels a pending event; `false` if it already fired or was cancelled.
    pub fn cancel(&mut self, key: EventKey) -> bool {
        let order = key.order();
        let pending = self.fired.is_none_or(|fired| order > fired)
            && !self.buried.contains(&order)
            && self.tombstones.insert(order);
        if pending {
            self.live -= 1;
        }
        pending
    }

    /// Whether the heap's first entry, of key `order`, is a tombstone.
    #[inline(always)]
    fn is_tombstone(&self, order: (SimTime, u64)) -> bool {
        !self.tombstones.is_empty() && self.tombstones.first() == Some(&order)
    }

    /// Moves the first tombstone, just taken from the heap, to the buried ones.
    #[inline(never)]
    fn bury(&mut self) {
        let order = self.tombstones.pop_first().expect("a tombstone");
        self.buried.insert(order);
    }

    /// Removes and returns the earliest live event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_where(|_, _| true)
    }

    /// Removes and returns the earliest live event if it is due before `until`.
    pub fn pop_before(&mut self, until: SimTime) -> Option<(SimTime, E)> {
        self.pop_where(|at, _| at < until)
    }

    /// Removes and returns the earliest live event if it comes before a place in the
    /// order reserved with [`EventQueue::take_seq`] for time `at`.
    pub fn pop_ahead_of(&mut self, at: SimTime, seq: u64) -> Option<(SimTime, E)> {
        self.pop_where(|t, s| (t, s) < (at, seq))
    }

    /// Reserves the next place in the order of equal-time events, for an event the
    /// caller keeps outside the queue (compare with [`EventQueue::pop_ahead_of`]).
    pub fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        assert!(
            seq < 1 << (64 - INDEX_BITS),
            "the event sequence number overflowed"
        );
        self.next_seq += 1;
        seq
    }

    /// Inlined into the event loop: most calls find the cached minimum not due.
    #[inline(always)]
    fn pop_where(&mut self, due: impl Fn(SimTime, u64) -> bool) -> Option<(SimTime, E)> {
        while let Some(entry) = self.heap.pop_if(|(at, seq)| due(at, seq)) {
            let order = (entry.at, entry.word);
            if self.is_tombstone(order) {
                self.bury();
                continue;
            }
            self.live -= 1;
            self.fired = Some(order);
            if !self.buried.is_empty() {
                self.forget_buried(order);
            }
            return Some((entry.at, entry.payload));
        }
        None
    }

    /// Forgets the buried tombstones at or before `fired`: the fired check covers them.
    #[inline(never)]
    fn forget_buried(&mut self, fired: (SimTime, u64)) {
        while self.buried.first().is_some_and(|&b| b <= fired) {
            self.buried.pop_first();
        }
    }

    /// Time of the earliest live event, dropping tombstones on the way.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        while let Some(order) = self.heap.peek() {
            if !self.is_tombstone(order) {
                return Some(order.0);
            }
            self.heap.pop_if(|_| true);
            self.bury();
        }
        None
    }

    /// The event that the pop `ahead` pops from now most likely returns (0: the next),
    /// when the heap has it at hand: a hint for prefetching its state (it may be
    /// cancelled, or a steady caller's call may come first), never an answer.
    #[inline(always)]
    pub fn upcoming(&self, ahead: usize) -> Option<E> {
        self.heap.in_run_ahead(ahead).copied()
    }

    /// Time and sequence number of the earliest pending entry, possibly a cancelled
    /// one: a bound before which nothing the queue holds is due.
    pub fn first_place(&self) -> Option<(SimTime, u64)> {
        self.heap.peek()
    }

    /// Number of live (not cancelled) events.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when no live event is pending.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Schedule(u64),
        Cancel(usize),
        Pop,
        PopBefore(u64),
        Peek,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u64..50).prop_map(Op::Schedule),
            // Seconds to minutes ahead: entries that move down one or two digits.
            1 => (0u64..1 << 20).prop_map(Op::Schedule),
            // Far ahead: entries that move down through several digits of the radix heap.
            1 => (0u64..1 << 40).prop_map(Op::Schedule),
            1 => (0usize..64).prop_map(Op::Cancel),
            2 => Just(Op::Pop),
            1 => (0u64..50).prop_map(Op::PopBefore),
            1 => Just(Op::Peek),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// The queue behaves like a `BTreeMap` keyed by (time, seq): same pops, same
        /// cancels, same peeks (also when events are scheduled after a peek). Events are
        /// scheduled up to 50 ms after the last one popped, as a simulation does (offsets
        /// of 0 exercise ties), up to 2^20 ms or up to 2^40 ms after it.
        #[test]
        fn matches_btreemap_shadow(ops in proptest::collection::vec(op(), 0..200)) {
            let mut q = EventQueue::new();
            let mut now = 0u64;
            let mut shadow: BTreeMap<(u64, u64), u64> = BTreeMap::new();
            let mut keys: Vec<(EventKey, (u64, u64))> = Vec::new();
            let mut seq = 0u64;
            for op in ops {
                match op {
                    Op::Schedule(d) => {
                        let t = now + d;
                        let key = q.schedule(SimTime(t), seq);
                        shadow.insert((t, seq), seq);
                        keys.push((key, (t, seq)));
                        seq += 1;
                    }
                    Op::Cancel(i) => {
                        if let Some(&(key, id)) = keys.get(i) {
                            prop_assert_eq!(q.cancel(key), shadow.remove(&id).is_some());
                        }
                    }
                    Op::Pop => {
                        let expected = shadow.pop_first().map(|((t, _), v)| (SimTime(t), v));
                        prop_assert_eq!(q.peek_time(), expected.map(|e| e.0));
                        prop_assert_eq!(q.pop(), expected);
                        if let Some((t, _)) = expected {
                            now = t.0;
                        }
                    }
                    Op::Peek => {
                        let expected = shadow.first_key_value().map(|(&(t, _), _)| SimTime(t));
                        prop_assert_eq!(q.peek_time(), expected);
                    }
                    Op::PopBefore(d) => {
                        let until = now + d;
                        let due = shadow.first_key_value().is_some_and(|(&(t, _), _)| t < until);
                        let expected = due
                            .then(|| shadow.pop_first().map(|((t, _), v)| (SimTime(t), v)))
                            .flatten();
                        prop_assert_eq!(q.pop_before(SimTime(until)), expected);
                        if let Some((t, _)) = expected {
                            now = t.0;
                        }
                    }
                }
                prop_assert_eq!(q.len(), shadow.len());
            }
        }
    }

    #[test]
    #[should_panic(expected = "before the queue's current time")]
    fn scheduling_into_the_past_panics() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), 0);
        q.pop();
        q.schedule(SimTime(9), 1);
    }

    /// Scheduling before a pending event the queue stopped at (`pop_before` at a day
    /// boundary, or before a steady caller's call) is allowed and keeps the order.
    #[test]
    fn schedules_before_an_event_it_stopped_at() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(100), 0);
        q.schedule(SimTime(100), 1);
        assert_eq!(q.pop_before(SimTime(50)), None);
        q.schedule(SimTime(60), 2);
        q.schedule(SimTime(100), 3);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (SimTime(60), 2),
                (SimTime(100), 0),
                (SimTime(100), 1),
                (SimTime(100), 3)
            ]
        );
    }

    /// Far-apart times (every bucket of the radix heap) still pop in order.
    #[test]
    fn spans_every_time_scale() {
        let mut q = EventQueue::new();
        let times: Vec<u64> = (0..64).map(|b| 1u64 << b).chain([0, 3, u64::MAX]).collect();
        for (i, &t) in times.iter().enumerate().rev() {
            q.schedule(SimTime(t), i);
        }
        let mut sorted = times.clone();
        sorted.sort_unstable();
        let popped: Vec<u64> = std::iter::from_fn(|| q.pop().map(|(t, _)| t.0)).collect();
        assert_eq!(popped, sorted);
    }

    /// A place reserved in the order splits equal-time events into those scheduled
    /// before it and those after.
    #[test]
    fn pop_ahead_of_a_reserved_place() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), 'a');
        let place = q.take_seq();
        q.schedule(SimTime(10), 'b');
        q.schedule(SimTime(5), 'c');
        assert_eq!(q.pop_ahead_of(SimTime(10), place), Some((SimTime(5), 'c')));
        assert_eq!(q.pop_ahead_of(SimTime(10), place), Some((SimTime(10), 'a')));
        assert_eq!(q.pop_ahead_of(SimTime(10), place), None);
        assert_eq!(q.pop(), Some((SimTime(10), 'b')));
    }

    /// A cancelled event's tombstone taken ahead of the clock (by a `pop_before` that
    /// then found nothing due) still refuses a second cancel of its key, also after an
    /// earlier event was scheduled behind it; a fired key refuses too.
    #[test]
    fn keys_stay_spent_after_their_entries_leave() {
        let mut q = EventQueue::new();
        let a = q.schedule(SimTime(10), 'a');
        let b = q.schedule(SimTime(20), 'b');
        assert!(q.cancel(b));
        assert_eq!(q.pop_before(SimTime(30)), Some((SimTime(10), 'a')));
        assert_eq!(
            q.pop_before(SimTime(30)),
            None,
            "only b's tombstone was left"
        );
        let c = q.schedule(SimTime(15), 'c');
        assert!(!q.cancel(b), "b was cancelled already");
        assert!(!q.cancel(a), "a fired");
        assert_eq!(q.len(), 1);
        assert!(q.cancel(c));
        assert!(q.is_empty());
        assert_eq!(q.pop(), None);
    }

    /// Equal times on both sides of the radix heap's sorted run (2^12 ms) leave in
    /// scheduling order, also when pushed while the run is being taken.
    #[test]
    fn equal_times_across_the_run_edge_are_fifo() {
        let mut q = EventQueue::new();
        for (i, t) in [4096, 4095, 8191, 4096, 4095, 0].into_iter().enumerate() {
            q.schedule(SimTime(t), i);
        }
        assert_eq!(q.pop(), Some((SimTime(0), 5)));
        q.schedule(SimTime(4095), 6);
        q.schedule(SimTime(4096), 7);
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec![1, 4, 6, 0, 3, 7, 2]);
    }

    #[test]
    fn equal_times_are_fifo() {
        let mut q = EventQueue::new();
        for i in 0..5 {
            q.schedule(SimTime(10), i);
        }
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
    }

    /// The prefetch hint names the events the next pops return, in order, while the
    /// run holds them, and nothing beyond what it holds.
    #[test]
    fn upcoming_names_the_events_the_next_pops_return() {
        let mut q = EventQueue::new();
        for (i, t) in [30, 10, 20, 10, 5_000_000].into_iter().enumerate() {
            q.schedule(SimTime(t), i);
        }
        assert_eq!(q.pop(), Some((SimTime(10), 1)));
        assert_eq!(
            (q.upcoming(0), q.upcoming(1), q.upcoming(2)),
            (Some(3), Some(2), Some(0))
        );
        assert_eq!(q.upcoming(3), None, "a far event is not in the run yet");
        for expected in [3, 2, 0] {
            assert_eq!(q.upcoming(0), Some(expected));
            assert_eq!(q.pop().map(|(_, e)| e), Some(expected));
        }
        assert_eq!(q.upcoming(0), None);
    }
}
