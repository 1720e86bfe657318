//! Software prefetch of the state the next event touches. A unit's apps, users and
//! sessions span several MB, beyond the core's L2, so the first read of an app's state
//! at its wake-up usually misses; the queue knows which event comes next, so its state
//! is requested while the current event is handled, and is in L1 when its turn comes.
//! A prefetch is only a hint: it never faults and changes no result.

/// Asks the CPU to bring the first `lines` cache lines of `item` into L1.
#[inline(always)]
#[allow(unsafe_code)]
pub(super) fn prefetch<T>(item: &T, lines: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let start = (item as *const T).cast::<i8>();
        for line in 0..lines {
            // SAFETY: `_mm_prefetch` needs SSE, which every x86_64 CPU has (it is in the
            // target's baseline features); a prefetch reads nothing into the program and
            // never faults, whatever the address.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(line * 64)) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (item, lines);
}
