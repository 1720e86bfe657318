//! Blocked users, blocked user-time and failed calls inside a set of time windows: one
//! incident's impact window, or the union of every incident's. The windows are merged
//! first, so a user or a millisecond in two overlapping windows counts once.

use crate::engine::{SimDuration, SimTime};

/// What a unit's users lost inside some windows.
#[derive(Debug, Clone, Default)]
pub struct WindowTally {
    /// Disjoint, ascending half-open windows.
    windows: Vec<(SimTime, SimTime)>,
    /// Per local user: blocked or a call failed inside a window.
    pub users: Vec<bool>,
    /// Blocked user-milliseconds inside the windows.
    pub blocked_ms: u64,
    /// App calls inside the windows that got no token.
    pub calls_failed: u64,
}

impl WindowTally {
    /// A tally over the union of `windows` (any order, may overlap) for `users` users.
    pub fn new(mut windows: Vec<(SimTime, SimTime)>, users: usize) -> Self {
        windows.retain(|(a, b)| a < b);
        windows.sort_unstable();
        let mut merged: Vec<(SimTime, SimTime)> = Vec::with_capacity(windows.len());
        for (a, b) in windows {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        WindowTally {
            windows: merged,
            users: vec![false; users],
            blocked_ms: 0,
            calls_failed: 0,
        }
    }

    /// Users flagged.
    pub fn users_blocked(&self) -> u64 {
        self.users.iter().filter(|b| **b).count() as u64
    }

    /// Local user `user` was blocked during `[from, to)`.
    pub fn blocked(&mut self, user: usize, from: SimTime, to: SimTime) {
        for &(start, end) in &self.windows {
            let overlap = to.min(end).since(from.max(start)).as_millis();
            if overlap > 0 {
                self.users[user] = true;
                self.blocked_ms += overlap;
            }
        }
    }

    /// `n` calls of local user `user`, at `first` and then every `every`, got no token.
    pub fn failed(&mut self, user: usize, first: SimTime, every: SimDuration, n: u64) {
        for &(start, end) in &self.windows {
            let inside = calls_in(first, every, n, start, end);
            if inside > 0 {
                self.users[user] = true;
                self.calls_failed += inside;
            }
        }
    }
}

/// How many of the `n` calls at `first + k every` fall in `[start, end)`.
fn calls_in(first: SimTime, every: SimDuration, n: u64, start: SimTime, end: SimTime) -> u64 {
    if n == 0 || end <= first {
        return 0;
    }
    let step = every.as_millis().max(1);
    let index_at = |t: SimTime| {
        t.as_millis()
            .saturating_sub(first.as_millis())
            .div_ceil(step)
            .min(n)
    };
    index_at(end) - index_at(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(t: u64) -> SimTime {
        SimTime(t)
    }

    /// Overlapping windows count a user and a millisecond once.
    #[test]
    fn overlapping_windows_count_once() {
        let mut t = WindowTally::new(vec![(ms(100), ms(300)), (ms(0), ms(200))], 2);
        t.blocked(0, ms(50), ms(250));
        assert_eq!(t.blocked_ms, 200);
        t.failed(1, ms(150), SimDuration(100), 3);
        assert_eq!(t.calls_failed, 2);
        assert_eq!(t.users_blocked(), 2);
    }

    #[test]
    fn calls_are_counted_by_their_grid() {
        let every = SimDuration(10);
        assert_eq!(calls_in(ms(5), every, 4, ms(0), ms(100)), 4);
        assert_eq!(calls_in(ms(5), every, 4, ms(6), ms(26)), 2);
        assert_eq!(calls_in(ms(5), every, 4, ms(35), ms(100)), 1);
        assert_eq!(calls_in(ms(5), every, 4, ms(0), ms(5)), 0);
        assert_eq!(calls_in(ms(5), every, 1, ms(5), ms(6)), 1);
    }
}
