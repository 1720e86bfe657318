//! Future-event list ordered by `(time, insertion sequence)`: equal times pop in FIFO
//! order, which makes runs reproducible. Scheduling returns an [`EventKey`] that cancels
//! the event; cancelled entries stay in the heap as tombstones and are skipped on pop.
//! A heap entry is two words — the time, and the sequence number above the slot index —
//! because the heap's sift loops dominate the engine's profile.

use super::time::SimTime;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
    heap: BinaryHeap<Reverse<(SimTime, u64)>>,
    slots: Vec<Slot<E>>,
    free: Vec<u32>,
    next_seq: u64,
    live: usize,
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
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
        }
    }

    /// Schedules `event` at `at`; events at the same time fire in scheduling order.
    pub fn schedule(&mut self, at: SimTime, event: E) -> EventKey {
        let seq = self.next_seq;
        self.next_seq += 1;
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
            seq < 1 << (64 - SLOT_BITS),
            "the event sequence number overflowed"
        );
        self.heap
            .push(Reverse((at, (seq << SLOT_BITS) | slot as u64)));
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
        self.pop_where(|_| true)
    }

    /// Removes and returns the earliest live event if it is due before `until`.
    pub fn pop_before(&mut self, until: SimTime) -> Option<(SimTime, E)> {
        self.pop_where(|at| at < until)
    }

    fn pop_where(&mut self, due: impl Fn(SimTime) -> bool) -> Option<(SimTime, E)> {
        while let Some(&Reverse((at, word))) = self.heap.peek() {
            if !due(at) {
                return None;
            }
            self.heap.pop();
            let (seq, slot) = split(word);
            let entry = &mut self.slots[slot];
            if entry.seq != seq {
                continue;
            }
            let event = entry.event.take();
            self.free.push(slot as u32);
            if let Some(event) = event {
                self.live -= 1;
                return Some((at, event));
            }
        }
        None
    }

    /// Time of the earliest live event, dropping tombstones on the way.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        while let Some(&Reverse((at, word))) = self.heap.peek() {
            let (seq, slot) = split(word);
            let entry = &self.slots[slot];
            if entry.seq == seq && entry.event.is_some() {
                return Some(at);
            }
            self.heap.pop();
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
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u64..50).prop_map(Op::Schedule),
            1 => (0usize..64).prop_map(Op::Cancel),
            2 => Just(Op::Pop),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// The queue behaves like a `BTreeMap` keyed by (time, seq): same pops, same cancels.
        #[test]
        fn matches_btreemap_shadow(ops in proptest::collection::vec(op(), 0..200)) {
            let mut q = EventQueue::new();
            let mut shadow: BTreeMap<(u64, u64), u64> = BTreeMap::new();
            let mut keys: Vec<(EventKey, (u64, u64))> = Vec::new();
            let mut seq = 0u64;
            for op in ops {
                match op {
                    Op::Schedule(t) => {
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
                    }
                }
                prop_assert_eq!(q.len(), shadow.len());
            }
        }
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
