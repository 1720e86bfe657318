//! `--set dotted.path=value`: edits the parsed TOML before validation, so an override
//! is checked exactly like the same value written in the file.

use super::error::ModelError;
use std::str::FromStr;
use toml::{Table, Value};

/// One `key=value` override. Array entries are addressed by index: `segment.0.share`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The text as given, for messages.
    pub text: String,
    /// Path components.
    pub path: Vec<String>,
    /// The value, read as TOML (`2`, `true`, `"x"`, `[1, 2]`) or else as a bare string.
    pub value: Value,
}

impl FromStr for Override {
    type Err = ModelError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |message: &str| ModelError::Override {
            text: text.into(),
            message: message.into(),
        };
        let (key, raw) = text
            .split_once('=')
            .ok_or_else(|| bad("expected key=value, e.g. policy.access_token.lifetime_min=30m"))?;
        let path: Vec<String> = key.trim().split('.').map(str::to_string).collect();
        if path.iter().any(String::is_empty) {
            return Err(bad(
                "the key has an empty part; use dotted names like platform.capacity",
            ));
        }
        let raw = raw.trim();
        let value = format!("v = {raw}")
            .parse::<Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| Value::String(raw.to_string()));
        Ok(Override {
            text: text.into(),
            path,
            value,
        })
    }
}

impl Override {
    /// Writes the value into `root`, creating missing tables on the way.
    pub fn apply(&self, root: &mut Table) -> Result<(), ModelError> {
        let mut whole = Value::Table(std::mem::take(root));
        let result = self.apply_to(&mut whole);
        if let Value::Table(t) = whole {
            *root = t;
        }
        result
    }

    fn apply_to(&self, root: &mut Value) -> Result<(), ModelError> {
        let bad = |message: String| ModelError::Override {
            text: self.text.clone(),
            message,
        };
        let mut node = root;
        for (depth, part) in self.path.iter().enumerate() {
            let above = self.path[..depth].join(".");
            let last = depth + 1 == self.path.len();
            let here = self.path[..=depth].join(".");
            node = match node {
                Value::Table(t) if last => {
                    if t.get(part).is_some_and(Value::is_table) && !self.value.is_table() {
                        return Err(bad(format!(
                            "{here} is a section; set one of its fields, e.g. {here}.<field>=…"
                        )));
                    }
                    t.insert(part.clone(), self.value.clone());
                    return Ok(());
                }
                Value::Table(t) => {
                    let next = &self.path[depth + 1];
                    if !t.contains_key(part) && next.parse::<usize>().is_ok() {
                        return Err(bad(format!(
                            "the model has no {here} entries to address as {here}.{next}; add one to the model file first"
                        )));
                    }
                    t.entry(part.clone())
                        .or_insert_with(|| Value::Table(Table::new()))
                }
                Value::Array(items) => {
                    let len = items.len();
                    let i: usize = part.parse().map_err(|_| {
                        bad(format!(
                            "{above} is a list; address an entry by number, e.g. {above}.0"
                        ))
                    })?;
                    let item = items.get_mut(i).ok_or_else(|| {
                        bad(format!("{above} has {len} entries, numbered from 0"))
                    })?;
                    if last {
                        *item = self.value.clone();
                        return Ok(());
                    }
                    item
                }
                _ => return Err(bad(format!("{above} is a value, not a section"))),
            };
        }
        Ok(())
    }
}

/// Applies all overrides in order.
pub fn apply_all(root: &mut Table, overrides: &[Override]) -> Result<(), ModelError> {
    overrides.iter().try_for_each(|o| o.apply(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().unwrap()
    }

    #[test]
    fn sets_nested_fields_and_array_entries() {
        let mut t = table("[a]\nx = 1\n[[seg]]\nshare = 0.5\n[[seg]]\nshare = 0.5\n");
        apply_all(
            &mut t,
            &[
                "a.x=2".parse().unwrap(),
                "seg.1.share=0.25".parse().unwrap(),
                "b.c.d=7d".parse().unwrap(),
            ],
        )
        .unwrap();
        assert_eq!(t["a"]["x"].as_integer(), Some(2));
        assert_eq!(t["seg"][1]["share"].as_float(), Some(0.25));
        assert_eq!(t["b"]["c"]["d"].as_str(), Some("7d"));
    }

    #[test]
    fn explains_bad_overrides() {
        let mut t = table("[[seg]]\nshare = 1.0\n");
        let err = "seg.3.share=1"
            .parse::<Override>()
            .unwrap()
            .apply(&mut t)
            .unwrap_err();
        assert!(err.to_string().contains("seg has 1 entries"), "{err}");
        let err = "seg.x=1"
            .parse::<Override>()
            .unwrap()
            .apply(&mut t)
            .unwrap_err();
        assert!(
            err.to_string().contains("address an entry by number"),
            "{err}"
        );
        let err = "events.campaign.0.share=2"
            .parse::<Override>()
            .unwrap()
            .apply(&mut t)
            .unwrap_err();
        assert!(
            err.to_string().contains("no events.campaign entries"),
            "{err}"
        );
        let mut t = table("[scenario]\nname = \"x\"\n");
        let err = "scenario=5"
            .parse::<Override>()
            .unwrap()
            .apply(&mut t)
            .unwrap_err();
        assert!(err.to_string().contains("scenario is a section"), "{err}");
        assert!(
            "novalue"
                .parse::<Override>()
                .unwrap_err()
                .to_string()
                .contains("key=value")
        );
    }
}
