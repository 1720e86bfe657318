//! Simulated time as integer milliseconds: exact, totally ordered and cheap to compare.
//! Durations read as `90s`, `15m`, `2h`, `7d` (also `500ms`, `1d12h`) and display the same way.

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Sub};

/// Milliseconds per unit, so conversions are spelled once.
pub const MS_PER_SECOND: u64 = 1_000;
/// Milliseconds in a minute.
pub const MS_PER_MINUTE: u64 = 60 * MS_PER_SECOND;
/// Milliseconds in an hour.
pub const MS_PER_HOUR: u64 = 60 * MS_PER_MINUTE;
/// Milliseconds in a day.
pub const MS_PER_DAY: u64 = 24 * MS_PER_HOUR;

/// A point in simulated time: milliseconds since the scenario start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A non-negative span of simulated time in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// The scenario start.
    pub const ZERO: SimTime = SimTime(0);
    /// A time later than any event of a run; used as "never".
    pub const NEVER: SimTime = SimTime(u64::MAX);

    /// Milliseconds since the start.
    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// The whole minute this instant falls in.
    pub fn minute(self) -> u64 {
        self.0 / MS_PER_MINUTE
    }

    /// Time elapsed since `earlier`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }

    /// This time minus a duration, clamped at the start.
    pub fn saturating_sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_sub(d.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A duration of `n` milliseconds.
    pub const fn from_millis(n: u64) -> Self {
        SimDuration(n)
    }
    /// A duration of `n` seconds.
    pub const fn from_secs(n: u64) -> Self {
        SimDuration(n * MS_PER_SECOND)
    }
    /// A duration of `n` minutes.
    pub const fn from_mins(n: u64) -> Self {
        SimDuration(n * MS_PER_MINUTE)
    }
    /// A duration of `n` hours.
    pub const fn from_hours(n: u64) -> Self {
        SimDuration(n * MS_PER_HOUR)
    }
    /// A duration of `n` days.
    pub const fn from_days(n: u64) -> Self {
        SimDuration(n * MS_PER_DAY)
    }
    /// Length in milliseconds.
    pub fn as_millis(self) -> u64 {
        self.0
    }
    /// Length in (fractional) minutes, for reports.
    pub fn as_minutes_f64(self) -> f64 {
        self.0 as f64 / MS_PER_MINUTE as f64
    }
    /// Length in (fractional) days, for reports.
    pub fn as_days_f64(self) -> f64 {
        self.0 as f64 / MS_PER_DAY as f64
    }
    /// Half of this duration, rounded down.
    pub fn half(self) -> Self {
        SimDuration(self.0 / 2)
    }
    /// `self - other`, zero if negative.
    pub fn saturating_sub(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(other.0))
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        *self = *self + d;
    }
}

impl Sub<SimDuration> for SimTime {
    type Output = SimTime;
    fn sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0 - d.0)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(d.0))
    }
}

impl Mul<u64> for SimDuration {
    type Output = SimDuration;
    fn mul(self, n: u64) -> SimDuration {
        SimDuration(self.0.saturating_mul(n))
    }
}

impl fmt::Display for SimTime {
    /// `d3 14:05:00` (day index from the start, then the time of day); milliseconds shown only when present.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == SimTime::NEVER {
            return f.write_str("never");
        }
        let ms = self.0;
        let day = ms / MS_PER_DAY;
        let rest = ms % MS_PER_DAY;
        let (h, m, s) = (
            rest / MS_PER_HOUR,
            rest % MS_PER_HOUR / MS_PER_MINUTE,
            rest % MS_PER_MINUTE / MS_PER_SECOND,
        );
        write!(f, "d{day} {h:02}:{m:02}:{s:02}")?;
        match ms % MS_PER_SECOND {
            0 => Ok(()),
            frac => write!(f, ".{frac:03}"),
        }
    }
}

impl fmt::Display for SimDuration {
    /// The shortest exact form from the largest unit down, e.g. `1d12h`, `90s`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        for (unit, ms) in UNITS {
            if rest >= ms {
                write!(f, "{}{unit}", rest / ms)?;
                rest %= ms;
            }
        }
        Ok(())
    }
}

const UNITS: [(&str, u64); 5] = [
    ("d", MS_PER_DAY),
    ("h", MS_PER_HOUR),
    ("m", MS_PER_MINUTE),
    ("s", MS_PER_SECOND),
    ("ms", 1),
];

/// A text that is not a duration; its message says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a duration (use 90s, 15m, 2h or 7d)")]
pub struct TimeParseError(pub String);

impl std::str::FromStr for SimDuration {
    type Err = TimeParseError;

    /// Parses one or more `<integer><unit>` parts, units `ms`, `s`, `m`, `h`, `d`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || TimeParseError(text.to_string());
        let s = text.trim();
        if s.is_empty() {
            return Err(bad());
        }
        let mut total: u64 = 0;
        let mut rest = s;
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
            if digits == 0 {
                return Err(bad());
            }
            let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
            rest = &rest[digits..];
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            let ms = UNITS
                .iter()
                .find(|(u, _)| *u == unit)
                .map(|(_, ms)| *ms)
                .ok_or_else(bad)?;
            total = n
                .checked_mul(ms)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(bad)?;
            rest = &rest[unit_len..];
        }
        Ok(SimDuration(total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_units() {
        assert_eq!(
            "90s".parse::<SimDuration>().unwrap(),
            SimDuration::from_secs(90)
        );
        assert_eq!(
            "15m".parse::<SimDuration>().unwrap(),
            SimDuration::from_mins(15)
        );
        assert_eq!(
            "2h".parse::<SimDuration>().unwrap(),
            SimDuration::from_hours(2)
        );
        assert_eq!(
            "7d".parse::<SimDuration>().unwrap(),
            SimDuration::from_days(7)
        );
        assert_eq!(
            "1d12h".parse::<SimDuration>().unwrap(),
            SimDuration::from_hours(36)
        );
        assert_eq!("250ms".parse::<SimDuration>().unwrap(), SimDuration(250));
    }

    #[test]
    fn rejects_bad_text_with_help() {
        for bad in ["", "7x", "h", "5", "-3m", "2.5h", "3 d"] {
            let err = bad.parse::<SimDuration>().unwrap_err();
            assert!(err.to_string().contains("use 90s, 15m, 2h or 7d"), "{err}");
        }
    }

    #[test]
    fn displays_time_of_day() {
        let t = SimTime::ZERO + SimDuration::from_days(3) + SimDuration::from_mins(14 * 60 + 5);
        assert_eq!(t.to_string(), "d3 14:05:00");
        assert_eq!((t + SimDuration(7)).to_string(), "d3 14:05:00.007");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(ms in 0u64..400 * MS_PER_DAY) {
            let d = SimDuration(ms);
            prop_assert_eq!(d.to_string().parse::<SimDuration>().unwrap(), d);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<SimDuration>();
        }
    }
}
