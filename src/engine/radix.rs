//! A monotone radix heap of `(time, word, payload)` entries, the event queue's ordering
//! core.
//!
//! A discrete-event simulation never schedules before the event it is processing, so
//! the queue only needs to be a *monotone* priority queue: every key pushed is at least
//! the last one taken (the caller checks that). A radix heap exploits that: an entry
//! sits in the bucket of the highest digit in which its time differs from the last
//! minimum found and of its value in that digit, a push is an append, and an entry
//! moves to a lower bucket at most once per digit. Here the digits start above the low
//! `RUN_BITS` bits: entries that differ from that minimum only there are kept sorted in
//! one run, latest first, and taken from its back. When the run is empty the lowest
//! bucket is spread; the lowest level's buckets are swapped in whole as the new run and
//! sorted in place. Digits are six bits wide and occupancy bit sets find the next
//! bucket with `trailing_zeros`; a lone entry is taken straight from its bucket.
//! Measured on the default scenario: twelve-bit digits moved entries less (1.2 moves
//! per event against 3.8 for four bits) but their 32,768 bucket headers left the
//! first-level caches (1 % fewer instructions, 17 % fewer events a second); six bits
//! keep the tables small. With six-bit digits from bit 0, two moves in three led to a
//! 64 ms bucket holding a lone entry; a run of 2^12 ms replaces those two levels
//! (2^9 to 2^18 ms were measured: shorter runs move more, longer ones sort more).
//! Buckets keep push order, so entries of equal time leave in increasing `word` order
//! (the caller's sequence numbers), which keeps runs reproducible; the run is sorted by
//! (time, word). The payload travels with its entry, so taking an entry reads nothing
//! else (the queue's event used to sit in a slot beside the heap, one cache miss a pop
//! away from it).

use super::time::SimTime;
use std::collections::BinaryHeap;

/// Low bits of a time in milliseconds that the sorted run spans (see the module
/// comment).
const RUN_BITS: u32 = 12;

/// Bits of one digit above them (see the module comment for why six).
const DIGIT_BITS: u32 = 6;

/// Values of one digit.
const DIGITS: usize = 1 << DIGIT_BITS;

/// Occupancy words of one level.
const WORDS: usize = DIGITS / 64;

/// Digits of a time above the run's bits (the top one partial), rounded up to a power
/// of two so that an index masked to the tables' size needs no bounds check.
const LEVELS: usize = (u64::BITS - RUN_BITS)
    .div_ceil(DIGIT_BITS)
    .next_power_of_two() as usize;

/// Bucket `level × DIGITS + d` holds entries whose time first differs from the last
/// minimum's in digit `level` (counted from `RUN_BITS`) and has `d` there. Every entry
/// of a bucket is earlier than every entry of a higher one, and later than the run's.
const BUCKETS: usize = LEVELS * DIGITS;

/// Level of a difference from `last` of at least `2^RUN_BITS`, by its leading zeros:
/// its highest set bit's digit.
const LEVEL_BY_ZEROS: [u8; 65] = {
    let mut table = [0; 65];
    let mut zeros = 0;
    while zeros < (u64::BITS - RUN_BITS) as usize {
        table[zeros] = ((u64::BITS - 1 - RUN_BITS - zeros as u32) / DIGIT_BITS) as u8;
        zeros += 1;
    }
    table
};

/// What orders an entry: its time, and the caller's word (ties leave in increasing word
/// order).
pub(super) type Key = (SimTime, u64);

/// An entry: its key and the caller's payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Entry<T> {
    pub(super) at: SimTime,
    pub(super) word: u64,
    pub(super) payload: T,
}

impl<T> Entry<T> {
    #[inline(always)]
    fn key(&self) -> Key {
        (self.at, self.word)
    }
}

/// An entry pushed before `last`, ordered by its key alone (the payload need not be
/// ordered), smallest first in a max-heap.
struct Early<T>(Entry<T>);

impl<T> PartialEq for Early<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.key() == other.0.key()
    }
}

impl<T> Eq for Early<T> {}

impl<T> PartialOrd for Early<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Early<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.0.key().cmp(&self.0.key())
    }
}

/// Monotone min-queue of `(time, word, payload)`, ordered by time then by push order
/// (which is `word` order: the caller pushes increasing words).
pub(super) struct RadixHeap<T> {
    buckets: Box<[Vec<Entry<T>>; BUCKETS]>,
    /// Each non-empty bucket's earliest key (first pushed among equal times), kept up to
    /// date as entries arrive. A peek reads it instead of moving the heap on, so a
    /// caller that stops at the minimum (a steady caller's call comes first) may still
    /// push earlier entries.
    mins: Box<[Key; BUCKETS]>,
    /// Bit `d % 64` of `occupied[level][d / 64]`: bucket `level × DIGITS + d` holds
    /// entries.
    occupied: Box<[[u64; WORDS]; LEVELS]>,
    /// Bit `w` of `words[level]`: `occupied[level][w]` is not zero.
    words: [u64; LEVELS],
    /// Bit `level` set: `words[level]` is not zero.
    levels: u32,
    /// Time of the last minimum a bucket was spread from; no bucketed entry is earlier.
    last: SimTime,
    /// Entries whose time differs from `last` below `RUN_BITS` only, sorted by key,
    /// latest first: the earliest is taken from the back. Earlier than every bucketed
    /// entry.
    run: Vec<Entry<T>>,
    /// Entries pushed before `last` (only after the caller took cancelled entries ahead
    /// of its clock); rare, so a binary heap. They are earlier than every other entry.
    early: BinaryHeap<Early<T>>,
    /// The earliest bucketed entry's key and its bucket, while the run is empty, from
    /// the last `pop_if` that did not take it until something earlier arrives: the
    /// event loop asks before each steady caller's call, mostly with nothing pushed or
    /// taken in between.
    top: Option<(Key, usize)>,
}

impl<T: Copy> RadixHeap<T> {
    pub(super) fn new() -> Self {
        RadixHeap {
            buckets: boxed_array(Vec::new()),
            mins: boxed_array((SimTime::ZERO, 0)),
            occupied: boxed_array([0; WORDS]),
            words: [0; LEVELS],
            levels: 0,
            last: SimTime::ZERO,
            run: Vec::new(),
            early: BinaryHeap::new(),
            top: None,
        }
    }

    /// Whether a time at or after `last` belongs in the run.
    #[inline(always)]
    fn in_run(&self, at: SimTime) -> bool {
        (at.0 ^ self.last.0) >> RUN_BITS == 0
    }

    /// Puts an entry at or after `last`, not in the run's span, in its bucket.
    #[inline(always)]
    fn file(&mut self, entry: Entry<T>) {
        let differ = entry.at.0 ^ self.last.0;
        let level = LEVEL_BY_ZEROS[differ.leading_zeros() as usize] as usize & (LEVELS - 1);
        let shift = RUN_BITS + level as u32 * DIGIT_BITS;
        let digit = (entry.at.0 >> shift) as usize & (DIGITS - 1);
        let b = level * DIGITS + digit;
        let (word, bit) = (digit / 64, 1u64 << (digit % 64));
        let occupied = &mut self.occupied[level][word];
        if *occupied & bit == 0 {
            *occupied |= bit;
            self.words[level] |= 1 << word;
            self.levels |= 1 << level;
            self.mins[b] = entry.key();
        } else if entry.at < self.mins[b].0 {
            self.mins[b] = entry.key();
        }
        self.buckets[b].push(entry);
    }

    /// Puts an entry in the run at its place (a late one near the front, a soon one
    /// near the back, where inserting shifts little).
    fn insert_run(&mut self, entry: Entry<T>) {
        let place = self.run.partition_point(|e| e.key() > entry.key());
        self.run.insert(place, entry);
    }

    /// Marks bucket `b` empty.
    fn vacate(&mut self, b: usize) {
        let (level, word) = (b / DIGITS, b % DIGITS / 64);
        self.occupied[level][word] &= !(1 << (b % 64));
        if self.occupied[level][word] == 0 {
            self.words[level] &= !(1 << word);
            if self.words[level] == 0 {
                self.levels &= !(1 << level);
            }
        }
    }

    /// Adds an entry. Inlined into the queue's `schedule`, the rare cases not.
    #[inline]
    pub(super) fn push(&mut self, at: SimTime, word: u64, payload: T) {
        if self.top.is_some_and(|(top, _)| at < top.0) {
            self.top = None;
        }
        let entry = Entry { at, word, payload };
        if at < self.last {
            self.push_early(entry);
        } else if self.in_run(at) {
            self.insert_run(entry);
        } else {
            self.file(entry);
        }
    }

    #[inline(never)]
    fn push_early(&mut self, entry: Entry<T>) {
        self.early.push(Early(entry));
    }

    /// The lowest non-empty bucket.
    fn first_occupied(&self) -> Option<usize> {
        if self.levels == 0 {
            return None;
        }
        let level = self.levels.trailing_zeros() as usize & (LEVELS - 1);
        let word = self.words[level].trailing_zeros() as usize & (WORDS - 1);
        let bit = self.occupied[level][word].trailing_zeros() as usize;
        Some(level * DIGITS + word * 64 + bit)
    }

    /// The earliest entry's key (first pushed among equal times), without removing it.
    pub(super) fn peek(&self) -> Option<Key> {
        if let Some(Early(e)) = self.early.peek() {
            return Some(e.key());
        }
        match self.run.last() {
            Some(e) => Some(e.key()),
            None => self.first_occupied().map(|b| self.mins[b]),
        }
    }

    /// The entry `ahead` places after the one the next `pop_if` takes, when it is
    /// already in the run (as for most pops): a hint of what comes, moving nothing.
    #[inline(always)]
    pub(super) fn in_run_ahead(&self, ahead: usize) -> Option<&T> {
        if !self.early.is_empty() {
            return None;
        }
        let place = self.run.len().checked_sub(ahead + 1)?;
        Some(&self.run[place].payload)
    }

    /// Removes and returns the earliest entry if `due` accepts its key. Inlined: the
    /// event loop asks before every steady caller's call, and mostly the minimum is not
    /// due.
    #[inline]
    pub(super) fn pop_if(&mut self, due: impl FnOnce(Key) -> bool) -> Option<Entry<T>> {
        if !self.early.is_empty() {
            return self.pop_early_if(due);
        }
        if let Some(e) = self.run.last() {
            return if due(e.key()) { self.run.pop() } else { None };
        }
        let (min, b) = match self.top {
            Some(top) => top,
            None => self.find_top()?,
        };
        if !due(min) {
            return None;
        }
        self.top = None;
        Some(self.take(b))
    }

    #[inline(never)]
    fn pop_early_if(&mut self, due: impl FnOnce(Key) -> bool) -> Option<Entry<T>> {
        let key = self.early.peek()?.0.key();
        due(key).then(|| self.early.pop().expect("just peeked").0)
    }

    /// Looks up the earliest bucketed entry's key and its bucket, and caches them.
    #[inline(never)]
    fn find_top(&mut self) -> Option<(Key, usize)> {
        let b = self.first_occupied()?;
        let top = (self.mins[b], b);
        self.top = Some(top);
        Some(top)
    }

    /// Removes the earliest entry of `b`, the lowest non-empty bucket, the run empty.
    #[inline(never)]
    fn take(&mut self, b: usize) -> Entry<T> {
        if self.buckets[b].len() == 1 {
            // Spreading a lone entry would only move it to the run to take it.
            let entry = self.buckets[b].pop().expect("a non-empty bucket");
            self.last = entry.at;
            self.vacate(b);
            return entry;
        }
        self.refill(b);
        self.run.pop().expect("the minimum went to the run")
    }

    /// Advances `last` to the minimum of bucket `b`, the lowest non-empty one (so the
    /// run is empty), and spreads the bucket over the run and the lower buckets. A
    /// lowest-level bucket goes to the run whole: its allocation is swapped in.
    fn refill(&mut self, b: usize) {
        self.last = self.mins[b].0;
        self.vacate(b);
        if b < DIGITS {
            std::mem::swap(&mut self.run, &mut self.buckets[b]);
        } else {
            let mut source = std::mem::take(&mut self.buckets[b]);
            for &entry in &source {
                if self.in_run(entry.at) {
                    self.run.push(entry);
                } else {
                    self.file(entry);
                }
            }
            // Hand the emptied allocation back so the bucket does not regrow.
            source.clear();
            self.buckets[b] = source;
        }
        self.run
            .sort_unstable_by_key(|e| std::cmp::Reverse(e.key()));
    }
}

/// A boxed array of `N` copies of `value`, built on the heap (the bucket tables are too
/// large for a thread's stack).
fn boxed_array<T: Clone, const N: usize>(value: T) -> Box<[T; N]> {
    vec![value; N]
        .into_boxed_slice()
        .try_into()
        .unwrap_or_else(|_| unreachable!("a vector of length N"))
}
