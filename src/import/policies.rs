//! Conditional Access policies (`GET /identity/conditionalAccess/policies`, beta for
//! `continuousAccessEvaluation`) → `[policy]` and `[platform]` fields. Only enabled
//! policies take effect; report-only and disabled ones are listed and left out. The
//! model has one tenant-wide policy, so a control scoped to some users or apps is
//! applied to all of them and reported as approximated.

use super::findings::{Findings, NoteKind};
use super::graph::{self, GraphError};
use serde::Deserialize;
use std::path::Path;

/// `conditionalAccessPolicy`, the fields the import reads.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaPolicy {
    #[serde(alias = "DisplayName")]
    display_name: Option<String>,
    #[serde(alias = "State")]
    state: Option<String>,
    #[serde(alias = "Conditions")]
    conditions: Option<Conditions>,
    #[serde(alias = "GrantControls")]
    grant_controls: Option<GrantControls>,
    #[serde(alias = "SessionControls")]
    session_controls: Option<SessionControls>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Conditions {
    #[serde(alias = "Users")]
    users: Option<Users>,
    #[serde(alias = "Applications")]
    applications: Option<Applications>,
    #[serde(alias = "ClientAppTypes")]
    client_app_types: Option<Vec<String>>,
    #[serde(alias = "Platforms")]
    platforms: Option<serde_json::Value>,
    #[serde(alias = "Locations")]
    locations: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Users {
    #[serde(alias = "IncludeUsers")]
    include_users: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Applications {
    #[serde(alias = "IncludeApplications")]
    include_applications: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GrantControls {
    #[serde(alias = "BuiltInControls")]
    built_in_controls: Option<Vec<String>>,
    #[serde(alias = "AuthenticationStrength")]
    authentication_strength: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionControls {
    #[serde(alias = "SignInFrequency")]
    sign_in_frequency: Option<SignInFrequency>,
    #[serde(alias = "PersistentBrowser")]
    persistent_browser: Option<PersistentBrowser>,
    #[serde(alias = "ContinuousAccessEvaluation")]
    continuous_access_evaluation: Option<ContinuousAccessEvaluation>,
    #[serde(alias = "DisableResilienceDefaults")]
    disable_resilience_defaults: Option<bool>,
    #[serde(alias = "SecureSignInSession")]
    secure_sign_in_session: Option<Enabled>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignInFrequency {
    #[serde(alias = "IsEnabled")]
    is_enabled: Option<bool>,
    #[serde(rename = "type")]
    #[serde(alias = "Type")]
    unit: Option<String>,
    #[serde(alias = "Value")]
    value: Option<i64>,
    #[serde(alias = "FrequencyInterval")]
    frequency_interval: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersistentBrowser {
    #[serde(alias = "IsEnabled")]
    is_enabled: Option<bool>,
    #[serde(alias = "Mode")]
    mode: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ContinuousAccessEvaluation {
    #[serde(alias = "Mode")]
    mode: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Enabled {
    #[serde(alias = "IsEnabled")]
    is_enabled: Option<bool>,
}

/// Reads a policies export.
pub fn read(path: &Path) -> Result<Findings, GraphError> {
    let mut f = Findings::default();
    let mut strictest: Option<(u64, String)> = None;
    graph::read(path, |i, p: CaPolicy| {
        let name = p
            .display_name
            .clone()
            .unwrap_or_else(|| format!("policy {i}"));
        apply(&mut f, &mut strictest, &name, p);
        Ok(())
    })?;
    Ok(f)
}

fn apply(f: &mut Findings, strictest: &mut Option<(u64, String)>, name: &str, p: CaPolicy) {
    match p.state.as_deref() {
        Some("enabled") => {}
        Some("enabledForReportingButNotEnforced") => {
            return f.note(
                NoteKind::Ignored,
                format!("'{name}': report-only, not enforced"),
            );
        }
        Some("disabled") => return f.note(NoteKind::Ignored, format!("'{name}': disabled")),
        other => {
            return f.note(
                NoteKind::Ignored,
                format!("'{name}': state '{}' is not a known state (enabled, disabled, enabledForReportingButNotEnforced)", shown(other)),
            );
        }
    }
    let c = p.conditions.unwrap_or_default();
    let all = |v: &Option<Vec<String>>| v.as_ref().is_some_and(|v| v.iter().any(|x| x == "All"));
    let everyone = all(&c.users.as_ref().and_then(|u| u.include_users.clone()))
        && all(&c
            .applications
            .as_ref()
            .and_then(|a| a.include_applications.clone()));
    let scope = if everyone {
        String::new()
    } else {
        " (the policy targets some users or apps; the model applies it to everyone)".into()
    };
    if c.platforms.is_some() || c.locations.is_some() {
        f.note(
            NoteKind::Approximated,
            format!("'{name}': platform or location conditions are not modelled; the controls apply everywhere"),
        );
    }
    let legacy = |t: &String| t == "exchangeActiveSync" || t == "other";
    if c.client_app_types.iter().flatten().any(legacy) {
        f.note(
            NoteKind::Ignored,
            format!("'{name}': legacy clients (Exchange ActiveSync, other) are not modelled"),
        );
    }
    let s = p.session_controls.unwrap_or_default();
    if let Some(sif) = s.sign_in_frequency.filter(|s| s.is_enabled == Some(true)) {
        sign_in_frequency(f, strictest, name, &scope, sif);
    }
    if let Some(pb) = s.persistent_browser.filter(|p| p.is_enabled == Some(true)) {
        match pb.mode.as_deref() {
            Some(mode @ ("always" | "never")) => {
                let persistent = mode == "always";
                // "never" is the stricter one and wins over any "always".
                let current = f
                    .get("policy.session_cookie.persistent")
                    .map(|s| s.value.clone());
                if persistent && current.as_deref() == Some("false") {
                    f.note(
                        NoteKind::Approximated,
                        format!(
                            "'{name}': persistentBrowser always, overridden by a 'never' policy"
                        ),
                    );
                } else {
                    f.set(
                        "policy.session_cookie.persistent",
                        persistent.to_string(),
                        format!("CA '{name}': persistentBrowser {mode}{scope}"),
                        false,
                    );
                    f.note(if scope.is_empty() { NoteKind::Mapped } else { NoteKind::Approximated }, format!("'{name}': persistentBrowser {mode} → policy.session_cookie.persistent = {persistent}{scope}"));
                }
            }
            other => f.note(
                NoteKind::Ignored,
                format!(
                    "'{name}': persistentBrowser mode '{}' is not always or never",
                    shown(other)
                ),
            ),
        }
    }
    if let Some(cae) = s.continuous_access_evaluation {
        match cae.mode.as_deref() {
            Some("disabled") => {
                f.cae_disabled = true;
                f.note(NoteKind::Approximated, format!("'{name}': continuousAccessEvaluation disabled → apps are written without cp1{scope}"));
            }
            Some(mode @ ("strictEnforcement" | "strictLocation")) => f.note(
                NoteKind::Ignored,
                format!("'{name}': continuousAccessEvaluation {mode} (IP-location enforcement) is not modelled; CAE stays as declared per app"),
            ),
            other => f.note(NoteKind::Ignored, format!("'{name}': continuousAccessEvaluation mode '{}' is not known (unknownFutureValue or a new member)", shown(other))),
        }
    }
    if s.disable_resilience_defaults == Some(true) {
        f.set(
            "platform.backup.enabled",
            "false".into(),
            format!("CA '{name}': disableResilienceDefaults{scope}"),
            false,
        );
        f.note(NoteKind::Approximated, format!("'{name}': disableResilienceDefaults → platform.backup.enabled = false: no session is extended by the backup service during an outage{scope}"));
    }
    if s.secure_sign_in_session
        .is_some_and(|t| t.is_enabled == Some(true))
    {
        f.note(NoteKind::Ignored, format!("'{name}': token protection (secureSignInSession) binds tokens to a device: not modelled"));
    }
    let g = p.grant_controls.unwrap_or_default();
    for control in g.built_in_controls.iter().flatten() {
        let (kind, what) = match control.as_str() {
            "mfa" => (
                NoteKind::Mapped,
                "requires MFA: the sign-in methods are taken from the logs (authenticationRequirement, authenticationDetails)",
            ),
            "compliantDevice" | "domainJoinedDevice" => (
                NoteKind::Ignored,
                "requires a compliant or joined device: device state is not modelled",
            ),
            "block" => (
                NoteKind::Ignored,
                "blocks access: blocked sign-ins are not simulated",
            ),
            _ => (
                NoteKind::Ignored,
                "a grant control the model does not express",
            ),
        };
        f.note(kind, format!("'{name}': grant control '{control}' {what}"));
    }
    if g.authentication_strength.is_some_and(|v| !v.is_null()) {
        f.note(
            NoteKind::Mapped,
            format!(
                "'{name}': authentication strength: the sign-in methods are taken from the logs"
            ),
        );
    }
}

fn sign_in_frequency(
    f: &mut Findings,
    strictest: &mut Option<(u64, String)>,
    name: &str,
    scope: &str,
    sif: SignInFrequency,
) {
    let (every, minutes) = match (
        sif.frequency_interval.as_deref(),
        sif.unit.as_deref(),
        sif.value,
    ) {
        (Some("everyTime"), _, _) => ("every-time".to_string(), 5),
        (None | Some("timeBased"), Some("hours"), Some(v)) if v > 0 => {
            (format!("{v}h"), v as u64 * 60)
        }
        (None | Some("timeBased"), Some("days"), Some(v)) if v > 0 => {
            (format!("{v}d"), v as u64 * 1440)
        }
        (interval, unit, value) => {
            return f.note(NoteKind::Ignored, format!("'{name}': signInFrequency '{}' {} '{}' is not a period of hours or days, nor everyTime", shown(interval), value.map_or("(no value)".to_string(), |v| v.to_string()), shown(unit)));
        }
    };
    if strictest.as_ref().is_some_and(|(m, _)| *m <= minutes) {
        return f.note(NoteKind::Approximated, format!("'{name}': sign-in frequency {every} is looser than '{}' and is left out (the model has one sign-in frequency)", strictest.as_ref().map_or("", |s| s.1.as_str())));
    }
    *strictest = Some((minutes, name.to_string()));
    f.set(
        "policy.sign_in_frequency.every",
        format!("\"{every}\""),
        format!("CA '{name}': signInFrequency {every}{scope}"),
        false,
    );
    let kind = if scope.is_empty() {
        NoteKind::Mapped
    } else {
        NoteKind::Approximated
    };
    f.note(
        kind,
        format!("'{name}': signInFrequency {every} → policy.sign_in_frequency.every{scope}"),
    );
}

/// An optional enum value as text; a missing one says so.
fn shown(value: Option<&str>) -> &str {
    value.unwrap_or("(missing)")
}
