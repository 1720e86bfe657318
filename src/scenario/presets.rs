//! Historical outage presets from `datasets/outages.csv` (embedded at build time so the
//! binary runs anywhere). A preset may have several phases; each becomes an outage.

use serde::Deserialize;

/// The embedded preset table.
pub const OUTAGES_CSV: &str = include_str!("../../datasets/outages.csv");

/// One phase of a preset, as in the CSV.
#[derive(Debug, Clone, Deserialize)]
pub struct PresetPhase {
    /// Preset id referred to by `[[outage]] preset = ...`.
    pub id: String,
    /// Phase number within the preset.
    pub phase: u32,
    /// Start relative to the outage start.
    pub offset: String,
    /// `full`, `degraded`, `capacity` or `signing-key`.
    pub kind: String,
    /// Length.
    pub duration: String,
    /// `5xx` or `timeout` for full outages.
    pub failure: Option<String>,
    /// Success probability of degraded phases.
    pub success: Option<f64>,
    /// Added latency of degraded phases.
    pub latency: Option<String>,
    /// Capacity factor of capacity phases.
    pub factor: Option<f64>,
    /// `all`, a unit index, or `share:X`.
    pub units: String,
    /// What happened.
    pub description: String,
    /// Where the numbers come from.
    pub source: String,
}

/// All phases of every preset, in file order.
pub fn phases() -> Result<Vec<PresetPhase>, String> {
    csv::Reader::from_reader(OUTAGES_CSV.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.map_err(|e| format!("datasets/outages.csv row {}: {e}", i + 2)))
        .collect()
}

/// The phases of preset `id`, or the list of known ids.
pub fn lookup(id: &str) -> Result<Vec<PresetPhase>, String> {
    let all = phases()?;
    let found: Vec<PresetPhase> = all.iter().filter(|p| p.id == id).cloned().collect();
    if found.is_empty() {
        let mut ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
        ids.dedup();
        return Err(format!(
            "'{id}' is not a known preset (known: {})",
            ids.join(", ")
        ));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_presets_parse_and_cover_the_design_list() {
        let all = phases().unwrap();
        for id in [
            "2020-09-28-global",
            "2021-03-15-key-rotation",
            "2020-12-14-europe",
            "2018-04-06-regional",
        ] {
            assert!(all.iter().any(|p| p.id == id), "{id}");
        }
        assert!(lookup("nope").unwrap_err().contains("2020-09-28-global"));
    }
}
