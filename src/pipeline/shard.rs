//! `--shard I/N`: the I-th of N disjoint slices of a run's scale units, round-robin
//! (unit `u` belongs to shard `u % N`). Round-robin rather than contiguous ranges
//! because outages often hit a run of neighbouring units: dealt out in turn, the units
//! an outage hits (and the work they cost) spread over every shard.

use crate::scenario::Scenario;
use std::fmt;

/// One shard of a run: index `index` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// Which slice, `0..count`.
    pub index: u32,
    /// How many slices the run is cut into.
    pub count: u32,
}

impl Shard {
    /// A shard, checked: `count` ≥ 1 and `index` < `count`.
    pub fn new(index: u32, count: u32) -> Result<Shard, String> {
        if count == 0 {
            return Err("the shard count N must be at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard index {index} is not below the shard count {count} (shards are 0..{count})"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The units of `scenario` this shard runs, ascending.
    pub fn units(self, scenario: &Scenario) -> Vec<u32> {
        (self.index..scenario.scale_units)
            .step_by(self.count as usize)
            .collect()
    }

    /// The name of its folder in a sharded run folder (hive style): `shard=I`.
    pub fn folder(self) -> String {
        format!("{FOLDER_PREFIX}{}", self.index)
    }
}

/// Prefix of a shard's folder name.
pub const FOLDER_PREFIX: &str = "shard=";

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `I/N`, e.g. `0/4`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{text}' is not I/N (e.g. 0/4: the first of four shards)");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let i: u32 = i.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(i, n).map_err(|e| format!("'{text}': {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn shards_parse_and_refuse_what_is_not_a_slice() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for (text, says) in [
            ("3/3", "not below the shard count 3"),
            ("0/0", "at least 1"),
            ("x/2", "is not I/N"),
            ("1", "is not I/N"),
            ("-1/2", "is not I/N"),
        ] {
            let err = text.parse::<Shard>().unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn round_robin_shards_cover_every_unit_once() {
        let scenario = crate::scenario::parse_model(
            crate::scenario::DEFAULT_MODEL,
            "default.toml",
            &["scenario.scale_units=7".parse().unwrap()],
        )
        .unwrap();
        let mut all: Vec<u32> = (0..3)
            .flat_map(|i| Shard::new(i, 3).unwrap().units(&scenario))
            .collect();
        assert_eq!(Shard::new(1, 3).unwrap().units(&scenario), [1, 4]);
        all.sort();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
    }
}
