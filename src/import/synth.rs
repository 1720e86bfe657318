//! Synthetic exports in the real Graph shapes, drawn from a known model: the simulator
//! runs the model and every token request that reached the service becomes a sign-in
//! record (interactive for a sign-in a person sees, non-interactive otherwise). The
//! same rows feed [`super::validate`], so logs and simulation are counted one way.
//! Deterministic: the same model and seed give the same bytes.

use super::devices;
use super::signins::{AuthenticationDetail, DeviceDetail, Platform, SignInRecord, Status};
use crate::domain::ClientType;
use crate::domain::app::AppSpec;
use crate::domain::idp::{Reply, RequestKind};
use crate::domain::user::Segment;
use crate::engine::{Purpose, Rng, SimTime};
use crate::metrics::atomic;
use crate::pipeline::{all_units, run_units};
use crate::scenario::Scenario;
use crate::sim::{AppRef, AppRow, Observer, Outcome, RunError};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `status.errorCode` of an `invalid_grant` (AADSTS700082: the refresh token expired
/// by inactivity; the simulator's other invalid_grant causes share this one code).
pub const INVALID_GRANT: i32 = 700082;
/// `status.errorCode` of a 5xx (AADSTS90033: a transient error).
pub const SERVER_ERROR: i32 = 90033;
/// Records per page, Graph's largest page of sign-ins.
const PAGE: usize = 1000;
const CONTEXT: &str = "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns";

/// A token request as the sign-in log would show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// When it completed.
    pub t: SimTime,
    /// Global user id.
    pub user: u32,
    /// Segment of the user.
    pub segment: u16,
    /// App index within the segment.
    pub slot: u16,
    /// A person signed in.
    pub interactive: bool,
    /// Served by the backup authentication service.
    pub backup: bool,
    /// 0, [`INVALID_GRANT`] or [`SERVER_ERROR`].
    pub error_code: i32,
    /// The app's device has its broker in use.
    pub brokered: bool,
}

/// Turns one unit's requests into rows. 429s, client timeouts and throttle-cache
/// answers are left out: they never completed at the token service.
pub struct Rows {
    apps: Vec<AppRow>,
    kind: Vec<RequestKind>,
    /// The rows, in completion order.
    pub rows: Vec<Row>,
}

impl Rows {
    /// An observer for a unit with these apps.
    pub fn new(apps: &[AppRow]) -> Rows {
        Rows {
            apps: apps.to_vec(),
            kind: vec![RequestKind::Refresh; apps.len()],
            rows: Vec::new(),
        }
    }
}

impl Observer for Rows {
    fn offered(&mut self, _t: SimTime, app: AppRef, kind: RequestKind, _reply: &Reply) {
        self.kind[app.local as usize] = kind;
    }

    fn requests(&mut self, t: SimTime, app: AppRef, outcome: Outcome, n: u64) {
        let (error_code, backup) = match outcome {
            Outcome::Ok => (0, false),
            Outcome::Backup => (0, true),
            Outcome::InvalidGrant => (INVALID_GRANT, false),
            Outcome::ServerError => (SERVER_ERROR, false),
            Outcome::TooMany | Outcome::Timeout | Outcome::Throttled => return,
        };
        let row = self.apps[app.local as usize];
        let interactive = self.kind[app.local as usize] == RequestKind::Interactive;
        for _ in 0..n {
            self.rows.push(Row {
                t,
                user: row.user,
                segment: row.segment,
                slot: row.slot,
                interactive,
                backup,
                error_code,
                brokered: row.brokered,
            });
        }
    }
}

/// Simulates `scenario` and returns its rows, units in order.
pub fn draw(scenario: &Scenario, threads: usize) -> Result<Vec<Row>, RunError> {
    let runs = run_units(
        scenario,
        &all_units(scenario),
        threads,
        |_, apps| Rows::new(apps),
        &|_| true,
    )?;
    Ok(runs.into_iter().flat_map(|r| r.observer.rows).collect())
}

/// Writes `signins.json`, `policies.json` and `lifetime.json` drawn from `scenario`
/// into `dir`; returns their paths.
pub fn write_exports(
    scenario: &Scenario,
    threads: usize,
    dir: &Path,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut rows = draw(scenario, threads).map_err(std::io::Error::other)?;
    // Graph lists sign-ins newest first.
    rows.sort_by(|a, b| {
        b.t.cmp(&a.t)
            .then(a.user.cmp(&b.user))
            .then(a.slot.cmp(&b.slot))
    });
    let signins = dir.join("signins.json");
    atomic::write_with(&signins, |w| {
        let pages = rows.len().div_ceil(PAGE).max(1);
        for (p, page) in rows.chunks(PAGE).enumerate() {
            write!(w, "{{\"@odata.context\":\"{CONTEXT}\",\"value\":[")?;
            for (i, row) in page.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                serde_json::to_writer(&mut *w, &record(scenario, p * PAGE + i, row))?;
            }
            w.write_all(b"]")?;
            if p + 1 < pages {
                write!(
                    w,
                    ",\"@odata.nextLink\":\"https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=page{}\"",
                    p + 1
                )?;
            }
            w.write_all(b"}\n")?;
        }
        if rows.is_empty() {
            writeln!(w, "{{\"@odata.context\":\"{CONTEXT}\",\"value\":[]}}")?;
        }
        Ok(())
    })?;
    let policies = dir.join("policies.json");
    atomic::write_bytes(
        &policies,
        serde_json::to_string_pretty(&ca_policies(scenario).map_err(std::io::Error::other)?)?
            .as_bytes(),
    )?;
    let lifetime = dir.join("lifetime.json");
    atomic::write_bytes(
        &lifetime,
        serde_json::to_string_pretty(&lifetime_policies(scenario))?.as_bytes(),
    )?;
    Ok(vec![signins, policies, lifetime])
}

/// A GUID-shaped identifier from a namespace and a number (not a real id).
fn guid(namespace: u64, n: u64) -> String {
    let mut r = Rng::stream(namespace, 0, n, Purpose::Synthetic);
    let (a, b) = (r.next_u64(), r.next_u64());
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

fn record(s: &Scenario, index: usize, row: &Row) -> SignInRecord {
    let segment = &s.segments[row.segment as usize];
    let app = &segment.apps[row.slot as usize];
    let t = chrono::DateTime::from_timestamp_millis(s.start_unix_ms() + row.t.0 as i64)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
    let browser = app.client.uses_browser();
    let mut r = SignInRecord {
        id: Some(guid(s.seed ^ 0x5157, index as u64)),
        created_date_time: t,
        user_id: Some(guid(s.seed ^ 0x0005, row.user as u64)),
        app_id: Some(guid(0xa99, row.segment as u64 * 1000 + row.slot as u64)),
        app_display_name: Some(app.name.clone()),
        resource_display_name: app.resources.first().cloned(),
        client_app_used: Some(
            if browser {
                "Browser"
            } else {
                "Mobile Apps and Desktop clients"
            }
            .into(),
        ),
        is_interactive: Some(row.interactive),
        sign_in_event_types: Some(vec![
            if row.interactive {
                "interactiveUser"
            } else {
                "nonInteractiveUser"
            }
            .into(),
        ]),
        device_detail: Some(device_detail(segment, app, row.brokered)),
        incoming_token_type: Some(
            if row.interactive {
                "none"
            } else {
                "refreshToken"
            }
            .into(),
        ),
        token_issuer_type: Some(
            if row.backup {
                "AzureADBackupAuth"
            } else {
                "AzureAD"
            }
            .into(),
        ),
        status: Some(Status {
            error_code: Some(row.error_code as i64),
        }),
        ..SignInRecord::default()
    };
    if row.interactive {
        // The method of this sign-in, drawn like the simulator draws credentials.
        let mut rng = Rng::stream(s.seed, 0, index as u64, Purpose::Synthetic);
        let (password_based, multi_factor) = segment.draw_credential(&mut rng);
        let method = match (password_based, multi_factor) {
            (false, _) => "Windows Hello for Business",
            _ => "Password",
        };
        let mut steps = vec![AuthenticationDetail {
            authentication_method: Some(method.into()),
            succeeded: Some(true),
        }];
        if password_based && multi_factor {
            steps.push(AuthenticationDetail {
                authentication_method: Some("Microsoft Authenticator (push notification)".into()),
                succeeded: Some(true),
            });
        }
        r.authentication_requirement = Some(
            if multi_factor {
                "multiFactorAuthentication"
            } else {
                "singleFactorAuthentication"
            }
            .into(),
        );
        r.authentication_details = Some(steps);
    }
    r
}

/// `deviceDetail` of an app's record: its device's platform, registered (joined on
/// Windows) and managed while its broker is in use, unregistered otherwise. Without
/// devices an app is on a joined, managed Windows PC (an iPhone for a mobile app).
fn device_detail(segment: &Segment, app: &AppSpec, brokered: bool) -> DeviceDetail {
    let kind = app.device.map(|d| segment.devices[d as usize].kind);
    let platform = kind
        .and_then(devices::platform_of)
        .unwrap_or(match app.client {
            ClientType::Mobile => Platform::Ios,
            _ => Platform::Windows,
        });
    let (trust, managed) = match (kind, platform) {
        (None, _) => ("Azure AD joined", true),
        (Some(_), _) if !brokered => ("", false),
        (Some(_), Platform::Windows) => ("Azure AD joined", true),
        (Some(_), _) => ("Azure AD registered", true),
    };
    DeviceDetail {
        operating_system: Some(platform.graph_name().into()),
        trust_type: Some(trust.into()),
        is_managed: Some(managed),
    }
}

/// The model's Conditional Access settings as Graph policies, plus a report-only one
/// (which the import must leave out).
fn ca_policies(s: &Scenario) -> Result<serde_json::Value, String> {
    let raw = &s.raw.policy;
    let mut value = vec![json!({
        "id": guid(0xca, 0),
        "displayName": "Report-only: block legacy authentication",
        "state": "enabledForReportingButNotEnforced",
        "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] }, "clientAppTypes": ["exchangeActiveSync", "other"] },
        "grantControls": { "operator": "OR", "builtInControls": ["block"] },
        "sessionControls": null
    })];
    let mut session = serde_json::Map::new();
    if let Some(sif) = &raw.sign_in_frequency {
        session.insert("signInFrequency".into(), match sif.every.as_str() {
            "every-time" => json!({ "isEnabled": true, "frequencyInterval": "everyTime", "authenticationType": "primaryAndSecondaryAuthentication", "type": null, "value": null }),
            _ => {
                let d = s.policy.sign_in_frequency.unwrap_or_default();
                let hour = crate::engine::time::MS_PER_HOUR;
                if d.as_millis() == 0 || !d.as_millis().is_multiple_of(hour) {
                    return Err(format!("sign-in frequency {d} is not whole hours: Conditional Access cannot express it"));
                }
                let hours = d.as_millis() / hour;
                let (unit, v) = if hours.is_multiple_of(24) { ("days", hours / 24) } else { ("hours", hours) };
                json!({ "isEnabled": true, "frequencyInterval": "timeBased", "authenticationType": "primaryAndSecondaryAuthentication", "type": unit, "value": v })
            }
        });
    }
    session.insert("persistentBrowser".into(), json!({ "isEnabled": true, "mode": if raw.session_cookie.persistent { "always" } else { "never" } }));
    session.insert(
        "disableResilienceDefaults".into(),
        json!(!s.raw.platform.backup.enabled),
    );
    value.push(json!({
        "id": guid(0xca, 1),
        "displayName": "All users: session lifetime",
        "state": "enabled",
        "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] }, "clientAppTypes": ["all"] },
        "grantControls": { "operator": "OR", "builtInControls": ["mfa"] },
        "sessionControls": session
    }));
    Ok(
        json!({ "@odata.context": "https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies", "value": value }),
    )
}

/// A fixed access-token lifetime of the model as an organisation-default policy.
fn lifetime_policies(s: &Scenario) -> serde_json::Value {
    let at = &s.raw.policy.access_token;
    let mut value = Vec::new();
    if at.lifetime_min == at.lifetime_max {
        let secs = at.lifetime_min.0.as_millis() / 1000;
        let span = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
        let definition =
            json!({ "TokenLifetimePolicy": { "Version": 1, "AccessTokenLifetime": span } })
                .to_string();
        value.push(json!({ "id": guid(0x71, 0), "displayName": "Organisation token lifetime", "isOrganizationDefault": true, "definition": [definition] }));
    }
    json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/tokenLifetimePolicies", "value": value })
}
