//! Seeded random streams. Every stream is derived from `(seed, unit, entity, purpose)`
//! with SplitMix64, so a user's draws do not depend on how many other users exist,
//! which unit runs first, or how many threads run. The generator is xoshiro256++,
//! written here so that results stay identical across dependency upgrades.

/// What a stream is used for; part of the derivation so streams never overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Building the population: segment, unit, apps, initial token state.
    Population = 1,
    /// A user's activity: sessions, absences.
    Activity = 2,
    /// A client app's choices: token lifetimes, jitter.
    Client = 3,
    /// The platform's answers: degraded success draws.
    Platform = 4,
    /// Credential and admin events.
    Events = 5,
    /// Outage target selection.
    Outage = 6,
    /// Synthetic exports: record ids and sign-in methods of generated logs.
    Synthetic = 7,
    /// Whether a user's device has its broker in use.
    Device = 8,
    /// The base seed of a replication.
    Replication = 9,
    /// The points of a sensitivity design.
    Sensitivity = 10,
}

/// The base seed of replication `r` of a run with seed `seed`: replication 0 is the
/// run itself, the others are drawn from their own stream of `seed`, so adding
/// replications never changes the earlier ones. 63 bits, because a model file's
/// integers (TOML) are signed 64-bit.
pub fn replication_seed(seed: u64, r: u64) -> u64 {
    if r == 0 {
        return seed;
    }
    Rng::stream(seed, 0, r, Purpose::Replication).next_u64() >> 1
}

/// A xoshiro256++ generator.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream for `(seed, unit, entity, purpose)`.
    pub fn stream(seed: u64, unit: u64, entity: u64, purpose: Purpose) -> Rng {
        let mut st = seed;
        let mut mix = splitmix(&mut st);
        for part in [unit, entity, purpose as u64] {
            mix ^= part.wrapping_mul(0xD6E8_FEB8_6659_FD93);
            st = mix;
            mix = splitmix(&mut st);
        }
        let mut st = mix;
        Rng {
            s: [
                splitmix(&mut st),
                splitmix(&mut st),
                splitmix(&mut st),
                splitmix(&mut st),
            ],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = (s[0].wrapping_add(s[3])).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    pub fn unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `[lo, hi]` (inclusive); `lo` when the range is empty.
    pub fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo + 1;
        // Lemire's multiply-shift; the bias for spans far below 2^64 is negligible.
        lo + ((self.next_u64() as u128 * span as u128) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit_f64() < p
    }

    /// Exponential with the given mean (inverse transform), in the same unit as `mean`.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit_f64()).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4)
            .map(|_| Rng::stream(7, 1, 2, Purpose::Client).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Rng::stream(7, 1, 2, Purpose::Client);
        let mut y = Rng::stream(7, 1, 3, Purpose::Client);
        let mut z = Rng::stream(7, 1, 2, Purpose::Activity);
        let (xv, yv, zv) = (x.next_u64(), y.next_u64(), z.next_u64());
        assert_ne!(xv, yv);
        assert_ne!(xv, zv);
    }

    #[test]
    fn replication_zero_is_the_run_and_the_others_differ() {
        assert_eq!(replication_seed(42, 0), 42);
        let seeds: Vec<u64> = (0..50).map(|r| replication_seed(42, r)).collect();
        let mut unique = seeds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seeds.len());
        assert_eq!(replication_seed(42, 7), replication_seed(42, 7));
        assert_ne!(replication_seed(42, 7), replication_seed(43, 7));
        assert!(seeds.iter().all(|s| i64::try_from(*s).is_ok()));
    }

    #[test]
    fn uniform_mean_is_half_within_five_sigma() {
        let mut r = Rng::stream(1, 0, 0, Purpose::Population);
        let n = 200_000;
        let mean = (0..n).map(|_| r.unit_f64()).sum::<f64>() / n as f64;
        // sd of the mean of U(0,1) is sqrt(1/12/n).
        let sd = (1.0 / 12.0 / n as f64).sqrt();
        assert!((mean - 0.5).abs() < 5.0 * sd, "mean {mean}");
    }

    #[test]
    fn exponential_mean_within_five_sigma() {
        let mut r = Rng::stream(2, 0, 0, Purpose::Activity);
        let n = 200_000;
        let mean = (0..n).map(|_| r.exponential(3.0)).sum::<f64>() / n as f64;
        let sd = 3.0 / (n as f64).sqrt();
        assert!((mean - 3.0).abs() < 5.0 * sd, "mean {mean}");
    }

    #[test]
    fn range_inclusive_hits_both_ends() {
        let mut r = Rng::stream(3, 0, 0, Purpose::Client);
        let draws: Vec<u64> = (0..1000).map(|_| r.range_inclusive(5, 7)).collect();
        assert!(draws.iter().all(|v| (5..=7).contains(v)));
        assert!(draws.contains(&5) && draws.contains(&7));
    }
}
