//! Future-event list ordered by `(time, insertion sequence)`: equal times pop in FIFO
//! order, which makes runs reproducible. Scheduling returns an [`EventKey`] that cancels
//! the event; cancelled entries stay in the heap as tombstones and are skipped on pop.
//! Ordering lives in a monotone [`RadixHeap`] of two-word entries — the time, and the
//! sequence number above the slot index — because ordering dominates the engine's
//! profile. Monotone means no event is scheduled before the last one popped, which a
//! simulation guarantees by construction; breaking it panics.

use super::radix::RadixHeap;
use super::time::SimTime;

/// Handle to a scheduled event, valid until the event fires or is cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventKey {
    slot: u32,
    seq: u64,
}

struct Slot<E> {
    seq: u64,
    event: Option<E>,
}

/// Bits of a heap entry's second word that hold the slot index; the sequence number
/// sits above them, so comparing the word compares sequence numbers.
const SLOT_BITS: u32 = 28;

/// Most events that can be pending at once in one queue.
pub const MAX_PENDING: usize = 1 << SLOT_BITS;

/// Sequence number and slot index of a heap entry's second word.
fn split(word: u64) -> (u64, usize) {
    (word >> SLOT_BITS, (word & ((1 << SLOT_BITS) - 1)) as usize)
}

/// A priority queue of events of type `E`.
pub struct EventQueue<E> {
    heap: RadixHeap,
    slots: Vec<Slot<E>>,
    free: Vec<u32>,
    next_seq: u64,
    live: usize,
    /// Time of the last live event popped.
    now: SimTime,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: RadixHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
            now: SimTime::ZERO,
        }
    }

    /// Schedules `event` at `at`; events at the same time fire in scheduling order.
    /// Panics if `at` is before the last event popped.
    pub fn schedule(&mut self, at: SimTime, event: E) -> EventKey {
        let seq = self.take_seq();
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Slot {
                    seq,
                    event: Some(event),
                };
                slot
            }
            None => {
                self.slots.push(Slot {
                    seq,
                    event: Some(event),
                });
                (self.slots.len() - 1) as u32
            }
        };
        assert!(
            (slot as usize) < MAX_PENDING,
            "more than {MAX_PENDING} pending events in one queue"
        );
        assert!(
            at >= self.now,
            "event scheduled at {at:?}, before the queue's current time {:?}",
            self.now
        );
        self.heap.push(at, (seq << SLOT_BITS) | slot as u64);
        self.live += 1;
        EventKey { slot, seq }
    }

    /// Cancels a pending event and returns it; `None` if it already fired or was cancelled.
    pub fn cancel(&mut self, key: EventKey) -> Option<E> {
        let slot = self.slots.get_mut(key.slot as usize)?;
        if slot.seq != key.seq {
            return None;
        }
        let event = slot.event.take()?;
        self.live -= 1;
        Some(event)
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
            seq < 1 << (64 - SLOT_BITS),
            "the event sequence number overflowed"
        );
        self.next_seq += 1;
        seq
    }

    /// Inlined into the event loop: most calls find the cached minimum not due.
    #[inline(always)]
    fn pop_where(&mut self, due: impl Fn(SimTime, u64) -> bool) -> Option<(SimTime, E)> {
        while let Some((at, word)) = self.heap.pop_if(|(at, word)| due(at, split(word).0)) {
            let (seq, slot) = split(word);
            let entry = &mut self.slots[slot];
            if entry.seq != seq {
                continue;
            }
            let event = entry.event.take();
            self.free.push(slot as u32);
            if let Some(event) = event {
                self.live -= 1;
                self.now = at;
                return Some((at, event));
            }
        }
        None
    }

    /// Time of the earliest live event, dropping tombstones on the way.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        while let Some((at, word)) = self.heap.peek() {
            let (seq, slot) = split(word);
            let entry = &self.slots[slot];
            if entry.seq == seq && entry.event.is_some() {
                return Some(at);
            }
            self.heap.pop_if(|_| true);
            if entry.seq == seq {
                self.free.push(slot as u32);
            }
        }
        None
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
                            prop_assert_eq!(q.cancel(key), shadow.remove(&id));
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

    #[test]
    fn equal_times_are_fifo() {
        let mut q = EventQueue::new();
        for i in 0..5 {
            q.schedule(SimTime(10), i);
        }
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
    }
}
