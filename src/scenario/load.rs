//! Reading model files: text → TOML table → `--set` overrides → [`RawModel`] (with the
//! field path of any error) → validated [`Scenario`].

use super::error::ModelError;
use super::model::Scenario;
use super::overrides::{Override, apply_all};
use super::raw::RawModel;
use super::validate::validate;
use std::path::Path;

/// The embedded default scenario: a copy of `models/default.toml`.
pub const DEFAULT_MODEL: &str = include_str!("../../models/default.toml");

/// Label used for the embedded default in messages.
pub const DEFAULT_LABEL: &str = "models/default.toml (embedded)";

/// Loads and validates a model file with overrides.
pub fn load_file(path: &Path, overrides: &[Override]) -> Result<Scenario, ModelError> {
    let (text, file) = read_file(path)?;
    parse_model(&text, &file, overrides)
}

/// Reads a model file's text; returns it with the label that names it in messages.
pub fn read_file(path: &Path) -> Result<(String, String), ModelError> {
    let file = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((text, file)),
        Err(cause) => Err(ModelError::Io { file, cause }),
    }
}

/// Loads the embedded default scenario with overrides.
pub fn load_default(overrides: &[Override]) -> Result<Scenario, ModelError> {
    parse_model(DEFAULT_MODEL, DEFAULT_LABEL, overrides)
}

/// Parses model text; `label` names it in errors.
pub fn parse_model(
    text: &str,
    label: &str,
    overrides: &[Override],
) -> Result<Scenario, ModelError> {
    let mut table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| ModelError::Syntax {
            file: label.into(),
            message: e.to_string(),
        })?;
    apply_all(&mut table, overrides)?;
    let file = if overrides.is_empty() {
        label.to_string()
    } else {
        let sets: Vec<&str> = overrides.iter().map(|o| o.text.as_str()).collect();
        format!("{label} with --set {}", sets.join(", --set "))
    };
    let raw: RawModel =
        serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            ModelError::Field {
                file: file.clone(),
                field: e.path().to_string(),
                // toml appends its own, index-less copy of the path; ours already names the field.
                message: plain(
                    e.inner()
                        .to_string()
                        .split("\nin `")
                        .next()
                        .unwrap_or_default(),
                ),
            }
        })?;
    validate(raw, &file)
}

/// serde's words for the model's shapes in the words of the model file: a section is
/// a table (not `struct RawScenario`), an array a list.
fn plain(message: &str) -> String {
    let mut out = message.trim().replace("a sequence", "a list");
    while let Some(at) = out.find("struct Raw") {
        let name = at + "struct ".len();
        let end = out[name..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(out.len(), |k| name + k);
        out.replace_range(at..end, "a table (a [section] or { ... })");
    }
    out
}

/// Serialises a raw model back to TOML (for saving edited scenarios).
pub fn to_toml(raw: &RawModel) -> String {
    toml::to_string_pretty(raw).unwrap_or_default()
}
