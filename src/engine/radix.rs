//! A monotone radix heap of `(time, word)` entries, the event queue's ordering core.
//!
//! A discrete-event simulation never schedules before the event it is processing, so
//! the queue only needs to be a *monotone* priority queue: every key pushed is at least
//! the last minimum taken (the caller checks that). A radix heap exploits that: an entry sits in the bucket of
//! the highest bit in which its time differs from the last minimum, a push is an
//! append, and an entry moves to a lower bucket at most once per bit. Buckets keep
//! insertion order, so entries of equal time leave in increasing `word` order (the
//! caller's sequence numbers), which keeps runs reproducible.

use super::time::SimTime;

/// Bucket 0 holds entries at the last minimum's time; bucket `b` those whose time first
/// differs from it in bit `b - 1`.
const BUCKETS: usize = 65;

/// Monotone min-queue of `(time, word)`, ordered by time then by push order.
pub(super) struct RadixHeap {
    buckets: Vec<Vec<(SimTime, u64)>>,
    /// Entries of bucket 0 before this index were already taken.
    head: usize,
    /// Time of the last minimum; no entry is earlier.
    last: SimTime,
    len: usize,
}

impl RadixHeap {
    pub(super) fn new() -> Self {
        RadixHeap {
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            head: 0,
            last: SimTime::ZERO,
            len: 0,
        }
    }

    fn bucket(&self, at: SimTime) -> usize {
        (u64::BITS - (at.0 ^ self.last.0).leading_zeros()) as usize
    }

    /// Adds an entry. An entry earlier than the last minimum peeked (the caller may
    /// stop at a minimum it does not take) re-sorts the heap around the new minimum.
    pub(super) fn push(&mut self, at: SimTime, word: u64) {
        if at < self.last {
            self.rebase(at);
        }
        let b = self.bucket(at);
        self.buckets[b].push((at, word));
        self.len += 1;
    }

    /// The earliest entry (first pushed among equal times), without removing it.
    pub(super) fn peek(&mut self) -> Option<(SimTime, u64)> {
        if self.head == self.buckets[0].len() {
            self.refill()?;
        }
        Some(self.buckets[0][self.head])
    }

    /// Removes the entry [`RadixHeap::peek`] returns.
    pub(super) fn pop(&mut self) -> Option<(SimTime, u64)> {
        let entry = self.peek()?;
        self.head += 1;
        self.len -= 1;
        Some(entry)
    }

    /// Moves `last` back to `at`, re-filing every pending entry in (time, word) order,
    /// so the buckets keep equal times in push order.
    fn rebase(&mut self, at: SimTime) {
        let head = self.head;
        let mut pending: Vec<(SimTime, u64)> = self.buckets[0].drain(head..).collect();
        for bucket in &mut self.buckets[1..] {
            pending.append(bucket);
        }
        pending.sort_unstable();
        self.buckets[0].clear();
        self.head = 0;
        self.last = at;
        for (t, word) in pending {
            let b = self.bucket(t);
            self.buckets[b].push((t, word));
        }
    }

    /// Empties bucket 0, advances `last` to the earliest remaining time and spreads the
    /// first non-empty bucket over the lower ones; `None` when the heap is empty.
    fn refill(&mut self) -> Option<()> {
        self.buckets[0].clear();
        self.head = 0;
        let b = (1..BUCKETS).find(|&b| !self.buckets[b].is_empty())?;
        let source = std::mem::take(&mut self.buckets[b]);
        self.last = source
            .iter()
            .map(|&(at, _)| at)
            .min()
            .expect("the bucket is not empty");
        for &(at, word) in &source {
            let to = self.bucket(at);
            self.buckets[to].push((at, word));
        }
        // Hand the emptied allocation back so the bucket does not regrow.
        let mut source = source;
        source.clear();
        self.buckets[b] = source;
        Some(())
    }
}
