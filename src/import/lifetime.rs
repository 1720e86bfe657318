//! Token lifetime policies (`GET /policies/tokenLifetimePolicies`): `definition` is an
//! array of escaped JSON strings holding `TokenLifetimePolicy`. `AccessTokenLifetime`
//! still applies (a configured lifetime replaces the random 60–90 min); the refresh and
//! session properties were retired in 2021, so they are written commented out.

use super::findings::{Findings, NoteKind};
use super::graph::{self, GraphError};
use crate::engine::SimDuration;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// `tokenLifetimePolicy`, the fields the import reads.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifetimePolicy {
    #[serde(alias = "DisplayName")]
    display_name: Option<String>,
    #[serde(alias = "Definition")]
    definition: Option<Vec<String>>,
    #[serde(alias = "IsOrganizationDefault")]
    is_organization_default: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Definition {
    token_lifetime_policy: BTreeMap<String, serde_json::Value>,
}

/// The retired properties and the model fields they map to.
const RETIRED: [(&str, &str); 5] = [
    ("MaxInactiveTime", "policy.refresh_token.max_inactive"),
    (
        "MaxAgeSingleFactor",
        "policy.refresh_token.max_age_single_factor",
    ),
    (
        "MaxAgeMultiFactor",
        "policy.refresh_token.max_age_multi_factor",
    ),
    (
        "MaxAgeSessionSingleFactor",
        "policy.refresh_token.max_age_session_single_factor",
    ),
    (
        "MaxAgeSessionMultiFactor",
        "policy.refresh_token.max_age_session_multi_factor",
    ),
];

/// Reads a token lifetime policies export; a bad `definition` is an error naming the
/// policy and the property.
pub fn read(path: &Path) -> Result<Findings, GraphError> {
    let mut f = Findings::default();
    let mut policies = 0;
    graph::read(path, |i, p: LifetimePolicy| {
        policies += 1;
        let name = p
            .display_name
            .clone()
            .unwrap_or_else(|| format!("policy {i}"));
        apply(&mut f, &name, p, policies > 1)
    })?;
    Ok(f)
}

fn apply(f: &mut Findings, name: &str, p: LifetimePolicy, later: bool) -> Result<(), String> {
    let default = p.is_organization_default == Some(true);
    let scope = if default {
        "organisation default"
    } else {
        "assigned to some apps; the model applies it to all"
    };
    if later {
        f.note(
            NoteKind::Approximated,
            format!(
                "'{name}': more than one lifetime policy; the model has one, the last one read wins"
            ),
        );
    }
    for text in p.definition.iter().flatten() {
        let d: Definition = serde_json::from_str(text).map_err(|e| {
            format!("policy '{name}': field 'definition': not a TokenLifetimePolicy ({e})")
        })?;
        for (property, value) in &d.token_lifetime_policy {
            let text = value.as_str().unwrap_or_default();
            let source = format!("{property} {text} in lifetime policy '{name}' ({scope})");
            match property.as_str() {
                "Version" => {}
                "AccessTokenLifetime" => {
                    let at =
                        timespan(text).map_err(|e| format!("policy '{name}': {property}: {e}"))?;
                    if !(SimDuration::from_mins(10)..=SimDuration::from_days(1)).contains(&at) {
                        return Err(format!(
                            "policy '{name}': {property}: '{text}' is outside 10 minutes to 1 day"
                        ));
                    }
                    let value = format!("\"{at}\"");
                    f.set(
                        "policy.access_token.lifetime_min",
                        value.clone(),
                        source.clone(),
                        false,
                    );
                    f.set("policy.access_token.lifetime_max", value, source, false);
                    let kind = if default {
                        NoteKind::Mapped
                    } else {
                        NoteKind::Approximated
                    };
                    f.note(kind, format!("'{name}': AccessTokenLifetime {text} → policy.access_token.lifetime_min = lifetime_max = {at} ({scope})"));
                }
                _ => match RETIRED.iter().find(|(p, _)| p == property) {
                    Some((_, path)) => {
                        let value = if text == "until-revoked" {
                            "\"until-revoked\"".to_string()
                        } else {
                            format!(
                                "\"{}\"",
                                timespan(text)
                                    .map_err(|e| format!("policy '{name}': {property}: {e}"))?
                            )
                        };
                        f.set(
                            path,
                            value,
                            format!("{source}; retired: Entra ignores this since 2021"),
                            true,
                        );
                        f.note(NoteKind::Ignored, format!("'{name}': {property} {text}: retired: Entra ignores this since 2021 (written commented out as {path})"));
                    }
                    None => f.note(
                        NoteKind::Ignored,
                        format!("'{name}': property {property} is not known"),
                    ),
                },
            }
        }
    }
    Ok(())
}

/// A .NET `TimeSpan` as written in lifetime policies: `[d.]hh:mm:ss`.
pub fn timespan(text: &str) -> Result<SimDuration, String> {
    let bad = || format!("'{text}' is not a [d.]hh:mm:ss time span");
    let (days, clock) = match text.split_once('.') {
        Some((d, rest)) if !d.contains(':') => (d.parse::<u64>().map_err(|_| bad())?, rest),
        _ => (0, text),
    };
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| p.parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let [h, m, s] = parts[..] else {
        return Err(bad());
    };
    if h > 23 || m > 59 || s > 59 {
        return Err(bad());
    }
    Ok(SimDuration::from_secs(((days * 24 + h) * 60 + m) * 60 + s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespans_read_days_hours_minutes_seconds() {
        assert_eq!(timespan("02:00:00"), Ok(SimDuration::from_hours(2)));
        assert_eq!(timespan("90.00:00:00"), Ok(SimDuration::from_days(90)));
        assert_eq!(timespan("1.02:03:04"), Ok(SimDuration::from_secs(93_784)));
        assert!(
            timespan("2h")
                .unwrap_err()
                .contains("'2h' is not a [d.]hh:mm:ss")
        );
        assert!(timespan("25:00:00").is_err());
    }
}
