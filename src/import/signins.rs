//! Sign-in logs (`GET /auditLogs/signIns`, interactive and non-interactive, or the
//! admin center's JSON download) → compact events. Only what the fit needs is kept:
//! a time, a user *number* (user ids are hashed in memory and never written), an app,
//! and what the record says about the request. Questionable records are skipped and
//! counted; a record that cannot be read is an error naming it and its field.

use super::devices::{self, Trust};
pub use super::record::{AppliedPolicy, AuthenticationDetail, DeviceDetail, SignInRecord, Status};
use crate::domain::{ClientType, DeviceKind};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// Device platform, from `deviceDetail.operatingSystem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    /// Windows (any version).
    Windows,
    /// macOS.
    MacOs,
    /// iOS and iPadOS.
    Ios,
    /// Android.
    Android,
    /// Linux.
    Linux,
    /// Missing or not recognised.
    Other,
}

impl Platform {
    /// Label used in app names and reports.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Windows => "windows",
            Platform::MacOs => "macos",
            Platform::Ios => "ios",
            Platform::Android => "android",
            Platform::Linux => "linux",
            Platform::Other => "other",
        }
    }

    /// The `operatingSystem` text the synthetic logs write.
    pub fn graph_name(self) -> &'static str {
        match self {
            Platform::Windows => "Windows10",
            Platform::MacOs => "MacOs",
            Platform::Ios => "Ios",
            Platform::Android => "Android",
            Platform::Linux => "Linux",
            Platform::Other => "",
        }
    }

    fn parse(os: &str) -> Platform {
        let os = os.to_ascii_lowercase();
        match () {
            _ if os.starts_with("windows") => Platform::Windows,
            _ if os.starts_with("mac") => Platform::MacOs,
            _ if os.starts_with("ios") || os.starts_with("ipados") => Platform::Ios,
            _ if os.starts_with("android") => Platform::Android,
            _ if os.starts_with("linux") => Platform::Linux,
            _ => Platform::Other,
        }
    }
}

/// An app as the model sees it: the name, how it runs, where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppKey {
    /// `appDisplayName`.
    pub name: String,
    /// Client type, from `clientAppUsed` and the platform.
    pub client: ClientType,
    /// Device platform.
    pub platform: Platform,
}

/// How an interactive sign-in authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Not an interactive sign-in, or no detail.
    Unknown,
    /// Password only.
    Password,
    /// Password and a second factor.
    Mfa,
    /// No password typed (Windows Hello, FIDO2, passkey, phone sign-in).
    Passwordless,
}

/// One kept record, 24 bytes.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// Unix milliseconds, UTC.
    pub t_ms: i64,
    /// User number (order of first appearance).
    pub user: u32,
    /// Index into [`SignInLog::apps`].
    pub app: u16,
    /// A person signed in.
    pub interactive: bool,
    /// Served by the backup authentication service.
    pub backup: bool,
    /// How an interactive sign-in authenticated.
    pub method: Method,
    /// `status.errorCode` (0: success).
    pub error_code: i32,
    /// The device kind `deviceDetail` describes.
    pub device: DeviceKind,
}

/// Everything read from the sign-in files, aggregated as they stream by.
#[derive(Debug, Default)]
pub struct SignInLog {
    /// Kept records, in file order.
    pub events: Vec<Event>,
    /// Apps seen, indexed by [`Event::app`].
    pub apps: Vec<AppKey>,
    app_index: HashMap<AppKey, u16>,
    users: HashMap<u64, u32>,
    seen_ids: HashSet<u64>,
    /// Records read, kept or not.
    pub records: u64,
    /// Skipped records by reason.
    pub skipped: BTreeMap<&'static str, u64>,
    /// Values outside the documented enums, by field and value (at most 20 per field).
    pub unknown: BTreeMap<(&'static str, String), u64>,
    /// Kept records without an id (duplicates among them cannot be detected).
    pub without_id: u64,
    /// Records whose time carried a zone other than UTC (converted).
    pub converted_zones: u64,
    /// `incomingTokenType` counts.
    pub incoming: BTreeMap<String, u64>,
    /// Records by device platform, join type and management (for the import report).
    pub devices: BTreeMap<String, u64>,
    /// Conditional Access policy results seen in the logs, by policy name and result.
    pub applied: BTreeMap<(String, String), u64>,
}

const CLIENT_APPS: [&str; 2] = ["Browser", "Mobile Apps and Desktop clients"];
const ISSUERS: [&str; 6] = [
    "AzureAD",
    "ADFederationServices",
    "UnknownFutureValue",
    "AzureADBackupAuth",
    "ADFederationServicesMFAAdapter",
    "NPSExtension",
];
const REQUIREMENTS: [&str; 2] = ["singleFactorAuthentication", "multiFactorAuthentication"];
const PASSWORDLESS: [&str; 5] = [
    "windows hello",
    "fido2",
    "passkey",
    "passwordless",
    "x.509 certificate",
];

impl SignInLog {
    /// Number of distinct users kept.
    pub fn users(&self) -> usize {
        self.users.len()
    }

    /// Adds record `index`; `Err` names the record and field of an unreadable value.
    pub fn add(&mut self, index: usize, r: SignInRecord) -> Result<(), String> {
        self.records += 1;
        let name = |r: &SignInRecord| match &r.id {
            Some(id) => format!("record {index} (id '{id}')"),
            None => format!("record {index}"),
        };
        let Some(when) = r.created_date_time.as_deref() else {
            return Err(format!("{}: field 'createdDateTime' is missing", name(&r)));
        };
        // Windows PowerShell 5.1's ConvertTo-Json writes `/Date(<Unix ms>)/` (UTC).
        let legacy = when
            .strip_prefix("/Date(")
            .and_then(|w| w.strip_suffix(")/"))
            .and_then(|ms| ms.parse::<i64>().ok());
        let t_ms = match (legacy, chrono::DateTime::parse_from_rfc3339(when)) {
            (Some(ms), _) => ms,
            (None, Ok(t)) => {
                self.converted_zones += (t.offset().local_minus_utc() != 0) as u64;
                t.timestamp_millis()
            }
            (None, Err(_))
                if chrono::NaiveDateTime::parse_from_str(when, "%Y-%m-%dT%H:%M:%S%.f").is_ok() =>
            {
                return self.skip("createdDateTime has no time zone (cannot place it in the week)");
            }
            (None, Err(e)) => {
                return Err(format!(
                    "{}: field 'createdDateTime': '{when}' is not an ISO 8601 time ({e})",
                    name(&r)
                ));
            }
        };
        if let Some(id) = &r.id {
            if !self.seen_ids.insert(hash(id)) {
                return self.skip("duplicate record id (overlapping pages or files)");
            }
        } else {
            self.without_id += 1;
        }
        let types = r.sign_in_event_types.as_deref().unwrap_or_default();
        if types
            .iter()
            .any(|t| t == "servicePrincipal" || t == "managedIdentity")
        {
            return self.skip("service principal or managed identity sign-in (not a user)");
        }
        let interactive = match (r.is_interactive, types.first().map(String::as_str)) {
            (Some(i), _) => i,
            (None, Some("interactiveUser")) => true,
            (None, Some("nonInteractiveUser")) => false,
            _ => return self.skip("neither isInteractive nor signInEventTypes says who signed in"),
        };
        let Some(user) = r.user_id.as_deref().filter(|u| !u.is_empty()) else {
            return self.skip("no userId");
        };
        let Some(app_name) = r.app_display_name.as_deref().filter(|a| !a.is_empty()) else {
            return self.skip("no appDisplayName");
        };
        let client_app = r.client_app_used.as_deref().unwrap_or("");
        if !client_app.is_empty() && !CLIENT_APPS.contains(&client_app) {
            self.note_unknown("clientAppUsed", client_app);
            return self.skip("legacy or unknown clientAppUsed (not modelled)");
        }
        let device = r.device_detail.clone().unwrap_or_default();
        let platform = Platform::parse(device.operating_system.as_deref().unwrap_or(""));
        let join = device
            .trust_type
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or("not registered");
        let managed = if device.is_managed == Some(true) {
            "managed"
        } else {
            "not managed"
        };
        if Trust::parse(join) == Trust::Unknown {
            self.note_unknown("deviceDetail.trustType", join);
        }
        let device_kind = devices::classify(platform, &device);
        let key = format!(
            "{} / {join} / {managed} → {}",
            platform.label(),
            device_kind.label()
        );
        if self.devices.len() < 50 || self.devices.contains_key(&key) {
            *self.devices.entry(key).or_default() += 1;
        }
        let client = match (client_app, platform) {
            ("Browser", _) => ClientType::Web,
            (_, Platform::Ios | Platform::Android) => ClientType::Mobile,
            _ => ClientType::Native,
        };
        let issuer = r.token_issuer_type.as_deref().unwrap_or("AzureAD");
        if !ISSUERS.contains(&issuer) {
            self.note_unknown("tokenIssuerType", issuer);
        }
        if let Some(incoming) = &r.incoming_token_type {
            *self.incoming.entry(incoming.clone()).or_default() += 1;
        }
        for p in r.applied_conditional_access_policies.iter().flatten() {
            let key = (
                p.display_name.clone().unwrap_or_default(),
                p.result.clone().unwrap_or_default(),
            );
            *self.applied.entry(key).or_default() += 1;
        }
        let method = if interactive {
            self.method(&r)
        } else {
            Method::Unknown
        };
        let error_code = r.status.as_ref().and_then(|s| s.error_code).unwrap_or(0);
        let Ok(error_code) = i32::try_from(error_code) else {
            return Err(format!(
                "{}: field 'status.errorCode': '{error_code}' is not an error code",
                name(&r)
            ));
        };
        let key = AppKey {
            name: app_name.to_string(),
            client,
            platform,
        };
        let app = match self.app_index.get(&key) {
            Some(&a) => a,
            None => {
                let Ok(a) = u16::try_from(self.apps.len()) else {
                    return self.skip("more than 65535 distinct apps");
                };
                self.apps.push(key.clone());
                self.app_index.insert(key, a);
                a
            }
        };
        let next = self.users.len() as u32;
        let user = *self.users.entry(hash(user)).or_insert(next);
        self.events.push(Event {
            t_ms,
            user,
            app,
            interactive,
            backup: issuer == "AzureADBackupAuth",
            method,
            error_code,
            device: device_kind,
        });
        Ok(())
    }

    fn method(&mut self, r: &SignInRecord) -> Method {
        let requirement = r.authentication_requirement.as_deref().unwrap_or("");
        if !requirement.is_empty() && !REQUIREMENTS.contains(&requirement) {
            self.note_unknown("authenticationRequirement", requirement);
        }
        let steps: Vec<String> = r
            .authentication_details
            .iter()
            .flatten()
            .filter_map(|d| d.authentication_method.as_deref())
            .map(str::to_ascii_lowercase)
            .collect();
        let password = steps.iter().any(|m| m == "password");
        if !password
            && steps
                .iter()
                .any(|m| PASSWORDLESS.iter().any(|p| m.contains(p)))
        {
            Method::Passwordless
        } else if requirement == "multiFactorAuthentication" {
            Method::Mfa
        } else if requirement == "singleFactorAuthentication" || password {
            Method::Password
        } else {
            Method::Unknown
        }
    }

    fn skip(&mut self, reason: &'static str) -> Result<(), String> {
        *self.skipped.entry(reason).or_default() += 1;
        Ok(())
    }

    fn note_unknown(&mut self, field: &'static str, value: &str) {
        let distinct = self.unknown.keys().filter(|(f, _)| *f == field).count();
        let key = (field, value.to_string());
        if distinct < 20 || self.unknown.contains_key(&key) {
            *self.unknown.entry(key).or_default() += 1;
        }
    }

    /// The logs' period in whole hours (Unix ms): from the first record's hour to the
    /// hour after the last record.
    pub fn hours(&self) -> Option<(i64, i64)> {
        let hour = crate::engine::time::MS_PER_HOUR as i64;
        let (first, last) = self.period()?;
        Some((
            first.div_euclid(hour) * hour,
            (last.div_euclid(hour) + 1) * hour,
        ))
    }

    /// First and last record time, Unix milliseconds.
    pub fn period(&self) -> Option<(i64, i64)> {
        let first = self.events.iter().map(|e| e.t_ms).min()?;
        let last = self.events.iter().map(|e| e.t_ms).max()?;
        Some((first, last))
    }
}

/// A fixed-key hash of an identifier: enough to count distinct values, and the
/// identifier itself is dropped at once.
fn hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    "tokensim-import".hash(&mut h);
    id.hash(&mut h);
    h.finish()
}
