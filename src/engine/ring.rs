//! A first-in first-out ring of `Copy` entries with a power-of-two number of slots:
//! taking the front and adding at the back are a masked load or store and an
//! increment. The steady callers' lines do both once per call; `VecDeque`'s
//! wrap-around arithmetic and checks cost them about 40 instructions a call, a fifth of
//! it. Inserting or removing in the middle shifts the entries behind one by one (rare).

/// A ring of `T`, in order from its front.
#[derive(Debug, Clone)]
pub(crate) struct Ring<T> {
    /// A power of two of them, all initialised: those outside the ring keep stale
    /// entries.
    slots: Vec<T>,
    /// The slot of the front.
    head: usize,
    len: usize,
}

impl<T> Default for Ring<T> {
    fn default() -> Self {
        Ring {
            slots: Vec::new(),
            head: 0,
            len: 0,
        }
    }
}

impl<T: Copy> Ring<T> {
    /// The slot of entry `i` (counted from the front).
    #[inline(always)]
    fn slot(&self, i: usize) -> usize {
        (self.head + i) & (self.slots.len() - 1)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Entry `i`, counted from the front.
    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Option<T> {
        (i < self.len).then(|| self.slots[self.slot(i)])
    }

    /// Entry `i`, counted from the front, to change in place; panics past the back.
    pub(crate) fn get_mut(&mut self, i: usize) -> &mut T {
        assert!(i < self.len, "entry {i} of a ring of {}", self.len);
        let slot = self.slot(i);
        &mut self.slots[slot]
    }

    #[inline(always)]
    pub(crate) fn front(&self) -> Option<T> {
        self.get(0)
    }

    #[inline(always)]
    pub(crate) fn back(&self) -> Option<T> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    #[inline(always)]
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        let front = self.front()?;
        self.head = self.slot(1);
        self.len -= 1;
        Some(front)
    }

    #[inline(always)]
    pub(crate) fn push_back(&mut self, entry: T) {
        if self.len == self.slots.len() {
            self.grow(entry);
        }
        let slot = self.slot(self.len);
        self.slots[slot] = entry;
        self.len += 1;
    }

    /// Doubles the slots (at least four), the entries in order from slot 0 and the new
    /// slots filled with `filler`.
    #[inline(never)]
    fn grow(&mut self, filler: T) {
        let size = (self.slots.len() * 2).max(4);
        let mut slots = Vec::with_capacity(size);
        slots.extend((0..self.len).map(|i| self.slots[self.slot(i)]));
        slots.resize(size, filler);
        (self.slots, self.head) = (slots, 0);
    }

    /// Puts `entry` at `i` (counted from the front), the entries from there one on.
    pub(crate) fn insert(&mut self, i: usize, entry: T) {
        assert!(i <= self.len, "insert at {i} in a ring of {}", self.len);
        self.push_back(entry);
        for j in (i + 1..self.len).rev() {
            let (to, from) = (self.slot(j), self.slot(j - 1));
            self.slots[to] = self.slots[from];
        }
        let slot = self.slot(i);
        self.slots[slot] = entry;
    }

    /// Takes out entry `i` (counted from the front), the entries after it one back.
    pub(crate) fn remove(&mut self, i: usize) -> Option<T> {
        let entry = self.get(i)?;
        for j in i..self.len - 1 {
            let (to, from) = (self.slot(j), self.slot(j + 1));
            self.slots[to] = self.slots[from];
        }
        self.len -= 1;
        Some(entry)
    }

    /// The number of entries from the front for which `before` holds, given that it
    /// holds for a first run of them and no others (as for a slice).
    pub(crate) fn partition_point(&self, before: impl Fn(&T) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(&self.slots[self.slot(mid)]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The entries from `i` (counted from the front) to the back.
    pub(crate) fn iter_from(&self, i: usize) -> impl Iterator<Item = T> + '_ {
        (i..self.len).map(|j| self.slots[self.slot(j)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::VecDeque;

    #[derive(Debug, Clone)]
    enum Op {
        Push(u32),
        Pop,
        Insert(usize, u32),
        Remove(usize),
        Set(usize, u32),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => any::<u32>().prop_map(Op::Push),
            3 => Just(Op::Pop),
            1 => (0usize..40, any::<u32>()).prop_map(|(i, v)| Op::Insert(i, v)),
            1 => (0usize..40).prop_map(Op::Remove),
            1 => (0usize..40, any::<u32>()).prop_map(|(i, v)| Op::Set(i, v)),
        ]
    }

    proptest! {
        /// The ring holds what a `VecDeque` does through pushes, pops, insertions and
        /// removals anywhere, across growth and wrap-around.
        #[test]
        fn matches_a_vecdeque(ops in proptest::collection::vec(op(), 0..300)) {
            let mut ring = Ring::default();
            let mut shadow = VecDeque::new();
            for op in ops {
                match op {
                    Op::Push(v) => {
                        ring.push_back(v);
                        shadow.push_back(v);
                    }
                    Op::Pop => prop_assert_eq!(ring.pop_front(), shadow.pop_front()),
                    Op::Insert(i, v) => {
                        let i = i.min(shadow.len());
                        ring.insert(i, v);
                        shadow.insert(i, v);
                    }
                    Op::Remove(i) => prop_assert_eq!(ring.remove(i), shadow.remove(i)),
                    Op::Set(i, v) => {
                        if i < shadow.len() {
                            *ring.get_mut(i) = v;
                            shadow[i] = v;
                        }
                    }
                }
                prop_assert_eq!(ring.len(), shadow.len());
                prop_assert_eq!(ring.front(), shadow.front().copied());
                prop_assert_eq!(ring.back(), shadow.back().copied());
                prop_assert_eq!(ring.iter_from(0).collect::<Vec<_>>(), Vec::from(shadow.clone()));
            }
        }

        /// It finds the end of a sorted prefix as a slice does.
        #[test]
        fn partition_point_matches_a_slice(
            mut values in proptest::collection::vec(0u32..50, 0..60),
            popped in 0usize..20,
            at in 0u32..50,
        ) {
            values.sort_unstable();
            let mut ring = Ring::default();
            // Entries taken from the front first, so the sorted ones wrap around.
            for _ in 0..popped {
                ring.push_back(0);
            }
            for _ in 0..popped {
                ring.pop_front();
            }
            for &v in &values {
                ring.push_back(v);
            }
            prop_assert_eq!(ring.partition_point(|&v| v < at), values.partition_point(|&v| v < at));
        }
    }
}
