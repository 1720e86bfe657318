//! Historical outage presets from `datasets/outages.csv` (embedded at build time so the
//! binary runs anywhere). A preset may have several phases; each row is one, with the
//! outage fields typed as in a model file's `[[outage]]` and validated by the same code.

use super::raw::{Dur, RawFailure, RawOutage, RawOutageKind, RawUnits};
use serde::Deserialize;

/// Where the presets come from, as errors name it.
pub const SOURCE: &str = "datasets/outages.csv";
/// The embedded preset table.
pub const OUTAGES_CSV: &str = include_str!("../../datasets/outages.csv");

/// One phase of a preset: a row of the CSV.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetPhase {
    /// Preset id referred to by `[[outage]] preset = ...`.
    pub id: String,
    /// Phase number within the preset.
    pub phase: u32,
    /// Start relative to the outage start.
    pub offset: Dur,
    /// `full`, `degraded`, `capacity` or `signing-key`.
    pub kind: RawOutageKind,
    /// Length.
    pub duration: Dur,
    /// `5xx` or `timeout` for full outages.
    pub failure: Option<RawFailure>,
    /// Retry-After sent with each 5xx.
    pub retry_after: Option<Dur>,
    /// How long a `timeout` outage hangs.
    pub hang: Option<Dur>,
    /// Success probability of degraded phases.
    pub success: Option<f64>,
    /// Added latency of degraded phases.
    pub latency: Option<Dur>,
    /// Capacity factor of capacity phases.
    pub factor: Option<f64>,
    /// `all` or one unit number (a CSV cell holds no list); empty with `unit_share`.
    pub units: Option<String>,
    /// A share of the units instead.
    pub unit_share: Option<f64>,
    /// What happened.
    pub description: String,
    /// Where the numbers come from.
    pub source: String,
}

impl PresetPhase {
    /// The phase as a model file's outage would write it, for the one validator.
    pub fn outage(&self) -> RawOutage {
        RawOutage {
            duration: Some(self.duration),
            kind: Some(self.kind),
            failure: self.failure,
            retry_after: self.retry_after,
            hang: self.hang,
            success: self.success,
            latency: self.latency,
            factor: self.factor,
            units: self.units.as_ref().map(|u| match u.parse::<u32>() {
                Ok(n) => RawUnits::List(vec![n]),
                Err(_) => RawUnits::Named(u.clone()),
            }),
            unit_share: self.unit_share,
            ..RawOutage::default()
        }
    }
}

/// Every phase of a preset table in CSV text, in file order; a bad row names its row
/// and the bad value.
pub fn parse(text: &str) -> Result<Vec<PresetPhase>, String> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.map_err(|e| format!("{SOURCE} row {}: {e}", i + 2)))
        .collect()
}

/// All phases of every embedded preset, in file order.
pub fn phases() -> Result<Vec<PresetPhase>, String> {
    parse(OUTAGES_CSV)
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

    /// A typo in the table names the row and the value.
    #[test]
    fn a_bad_preset_cell_names_its_row_and_value() {
        let text = OUTAGES_CSV.replacen(",full,2h58m,", ",fulll,2h58m,", 1);
        let e = parse(&text).unwrap_err();
        assert!(
            e.starts_with("datasets/outages.csv row 2:") && e.contains("`fulll`"),
            "{e}"
        );
        let text = OUTAGES_CSV.replacen(",2h58m,", ",2h58x,", 1);
        let e = parse(&text).unwrap_err();
        assert!(e.contains("row 2:") && e.contains("'2h58x'"), "{e}");
    }
}
