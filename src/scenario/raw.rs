//! The model file exactly as written: serde structs with `deny_unknown_fields` and
//! tagged enums. Nothing here is checked beyond its type; `scenario::validate` turns a
//! [`RawModel`] into a [`super::Scenario`] and enforces the cross-field rules.

use crate::domain::exposure::Attacker;
use crate::domain::{ClientType, DeviceKind, EventKind, SignIn, idp::Overload};
use crate::domain::{Jitter, Profile};
use crate::engine::SimDuration;
use crate::policy::MatrixVariant;
use crate::policy::cae::LocationMode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A duration written as text (`90s`, `15m`, `2h`, `7d`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dur(pub SimDuration);

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d).map_err(|_| {
            serde::de::Error::custom("expected a duration in quotes (use 90s, 15m, 2h or 7d)")
        })?;
        text.parse().map(Dur).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

/// A maximum age: a duration, or `until-revoked` (no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit(pub Option<SimDuration>);

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d).map_err(|_| {
            serde::de::Error::custom("expected a duration in quotes or \"until-revoked\"")
        })?;
        if text == "until-revoked" {
            return Ok(Limit(None));
        }
        text.parse()
            .map(|d| Limit(Some(d)))
            .map_err(|e| serde::de::Error::custom(format!("{e}, or \"until-revoked\"")))
    }
}

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_str("until-revoked"),
            Some(d) => s.serialize_str(&d.to_string()),
        }
    }
}

/// The whole model file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    /// `[scenario]`: name, calendar start, horizon, seed, size.
    pub scenario: RawScenario,
    /// `[policy]`: token lifetimes and timeouts.
    #[serde(default)]
    pub policy: RawPolicy,
    /// `[platform]`: capacity, throttling, backup authentication.
    #[serde(default)]
    pub platform: RawPlatform,
    /// `[[outage]]` entries.
    #[serde(default)]
    pub outage: Vec<RawOutage>,
    /// `[[segment]]` entries: the population mix.
    pub segment: Vec<RawSegment>,
    /// `[events]`: credential and admin events, and scripted campaigns.
    #[serde(default)]
    pub events: RawEvents,
}

/// `[scenario]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Short name, used for the default output folder.
    pub name: String,
    /// Calendar start in UTC, `YYYY-MM-DDTHH:MM[:SS]`.
    pub start: String,
    /// Simulated span.
    pub horizon: Dur,
    /// Seed of every random stream (0 to 2^64 − 1; TOML integers end at 2^63 − 1, so
    /// larger seeds are written in quotes).
    #[serde(default = "default_seed", with = "seed")]
    pub seed: u64,
    /// Population size.
    pub users: u32,
    /// Number of scale units the population is spread over.
    #[serde(default = "one")]
    pub scale_units: u32,
}

fn default_seed() -> u64 {
    1
}

/// A seed is any `u64`: an integer, or a quoted decimal above TOML's integer range.
mod seed {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Int(i64),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let bad = |v: &dyn std::fmt::Display| {
            D::Error::custom(format!(
                "'{v}' is not a seed (use a whole number from 0 to 18446744073709551615)"
            ))
        };
        match Written::deserialize(d).map_err(|_| {
            D::Error::custom("expected a seed: a whole number from 0 to 18446744073709551615")
        })? {
            Written::Int(n) => u64::try_from(n).map_err(|_| bad(&n)),
            Written::Text(t) => t.trim().parse().map_err(|_| bad(&t)),
        }
    }

    pub fn serialize<S: Serializer>(seed: &u64, s: S) -> Result<S::Ok, S::Error> {
        match i64::try_from(*seed) {
            Ok(n) => s.serialize_i64(n),
            Err(_) => s.serialize_str(&seed.to_string()),
        }
    }
}
fn one() -> u32 {
    1
}

/// `[policy]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// `[policy.access_token]`.
    #[serde(default)]
    pub access_token: RawAccessToken,
    /// `[policy.refresh_token]`: the legacy configurable lifetimes.
    #[serde(default)]
    pub refresh_token: RawRefreshToken,
    /// `[policy.session_cookie]`.
    #[serde(default)]
    pub session_cookie: RawSessionCookie,
    /// `[policy.sign_in_frequency]`: Conditional Access sign-in frequency.
    #[serde(default)]
    pub sign_in_frequency: Option<SignInFrequency>,
    /// `[policy.cae]`: Continuous Access Evaluation.
    #[serde(default)]
    pub cae: RawCae,
}

/// `[policy.cae]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCae {
    /// Shortest access-token lifetime of a CAE session (apps with `cp1` calling only
    /// CAE-capable resources).
    #[serde(default = "cae_min")]
    pub lifetime_min: Dur,
    /// Longest one; drawn uniformly between the two ("up to 28 h").
    #[serde(default = "cae_max")]
    pub lifetime_max: Dur,
    /// Share of CAE sessions that fall back to short tokens (IP mismatch and the other
    /// documented cases).
    #[serde(default)]
    pub fallback_share: f64,
    /// Access-token lifetime of a fallback session.
    #[serde(default = "one_hour")]
    pub fallback_lifetime: Dur,
    /// Longest delay for a critical event to reach the resource ("up to 15 minutes").
    #[serde(default = "fifteen_min")]
    pub propagation_max: Dur,
    /// `standard` (IP mismatch: 1 h fallback tokens) or `strict` (the resource rejects
    /// tokens presented from another IP: mismatched sessions are blocked).
    #[serde(default)]
    pub location: LocationMode,
}

impl Default for RawCae {
    fn default() -> Self {
        RawCae {
            lifetime_min: cae_min(),
            lifetime_max: cae_max(),
            fallback_share: 0.0,
            fallback_lifetime: one_hour(),
            propagation_max: fifteen_min(),
            location: LocationMode::Standard,
        }
    }
}

fn cae_min() -> Dur {
    Dur(SimDuration::from_hours(20))
}
fn cae_max() -> Dur {
    Dur(SimDuration::from_hours(28))
}
fn one_hour() -> Dur {
    Dur(SimDuration::from_hours(1))
}
fn fifteen_min() -> Dur {
    Dur(SimDuration::from_mins(15))
}

/// Mean events per user per year by kind (`password-change = 2`, ...); kinds not given
/// are zero (or, per segment, the `[events.rates]` value).
pub type RawRates = BTreeMap<EventKind, f64>;

/// `[events]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvents {
    /// `current` (Azure portal and Entra admin center rows differ) or `legacy` (one
    /// "admin resets password" row, as in older documentation).
    #[serde(default)]
    pub matrix: MatrixVariant,
    /// Delay between an admin's "revoke all sessions" and its effect.
    #[serde(default = "admin_api_lag")]
    pub admin_api_lag: Dur,
    /// `[events.rates]`: per user per year, for every segment.
    #[serde(default)]
    pub rates: RawRates,
    /// `[[events.campaign]]`: scripted events.
    #[serde(default)]
    pub campaign: Vec<RawCampaign>,
    /// Event kinds the headline exposure (report, sweep, compare, TUI) is about; empty:
    /// every access-cutting kind the run has.
    #[serde(default)]
    pub exposure_events: Vec<EventKind>,
    /// Attacker model of the headline exposure: `stolen-access-token`, `replay` or
    /// `compromised-device` (the report shows all three).
    #[serde(default)]
    pub exposure_attacker: Attacker,
}

impl Default for RawEvents {
    fn default() -> Self {
        RawEvents {
            matrix: MatrixVariant::default(),
            admin_api_lag: admin_api_lag(),
            rates: RawRates::new(),
            campaign: Vec::new(),
            exposure_events: Vec::new(),
            exposure_attacker: Attacker::default(),
        }
    }
}

fn admin_api_lag() -> Dur {
    Dur(SimDuration::from_mins(5))
}

/// `[[events.campaign]]`: e.g. at 09:00 on day 12, admin resets the passwords of 5 % of
/// one segment.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCampaign {
    /// Name for reports; defaults to `campaign-N`.
    pub name: Option<String>,
    /// A date-time `YYYY-MM-DDTHH:MM` or an offset from the scenario start (`11d9h`).
    pub at: String,
    /// The event, e.g. `admin-reset-entra-admin-center`.
    pub event: EventKind,
    /// Name of the segment it targets; every segment when absent.
    pub segment: Option<String>,
    /// Share of the targeted users it hits.
    #[serde(default = "one_f64")]
    pub share: f64,
}

fn one_f64() -> f64 {
    1.0
}

/// `[policy.access_token]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccessToken {
    /// Shortest lifetime drawn (uniformly) for a new access token.
    #[serde(default = "at_min")]
    pub lifetime_min: Dur,
    /// Longest lifetime drawn.
    #[serde(default = "at_max")]
    pub lifetime_max: Dur,
    /// A cached token is used while at least this much lifetime remains (MSAL: 300 s).
    #[serde(default = "margin")]
    pub expiry_margin: Dur,
}

impl Default for RawAccessToken {
    fn default() -> Self {
        RawAccessToken {
            lifetime_min: at_min(),
            lifetime_max: at_max(),
            expiry_margin: margin(),
        }
    }
}

fn at_min() -> Dur {
    Dur(SimDuration::from_mins(60))
}
fn at_max() -> Dur {
    Dur(SimDuration::from_mins(90))
}
fn margin() -> Dur {
    Dur(SimDuration::from_secs(300))
}

/// `[policy.refresh_token]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRefreshToken {
    /// MaxInactiveTime: a refresh token unused for longer is rejected.
    #[serde(default = "ninety_days")]
    pub max_inactive: Dur,
    /// MaxAgeSingleFactor.
    #[serde(default = "until_revoked")]
    pub max_age_single_factor: Limit,
    /// MaxAgeMultiFactor.
    #[serde(default = "until_revoked")]
    pub max_age_multi_factor: Limit,
    /// MaxAgeSessionSingleFactor (session cookie).
    #[serde(default = "until_revoked")]
    pub max_age_session_single_factor: Limit,
    /// MaxAgeSessionMultiFactor (session cookie).
    #[serde(default = "until_revoked")]
    pub max_age_session_multi_factor: Limit,
}

impl Default for RawRefreshToken {
    fn default() -> Self {
        RawRefreshToken {
            max_inactive: ninety_days(),
            max_age_single_factor: until_revoked(),
            max_age_multi_factor: until_revoked(),
            max_age_session_single_factor: until_revoked(),
            max_age_session_multi_factor: until_revoked(),
        }
    }
}

fn ninety_days() -> Dur {
    Dur(SimDuration::from_days(90))
}
fn until_revoked() -> Limit {
    Limit(None)
}

/// `[policy.session_cookie]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSessionCookie {
    /// "Stay signed in": the cookie lives 90 days of inactivity instead of 24 hours.
    #[serde(default = "yes")]
    pub persistent: bool,
}

impl Default for RawSessionCookie {
    fn default() -> Self {
        RawSessionCookie { persistent: true }
    }
}

fn yes() -> bool {
    true
}

/// `[policy.sign_in_frequency]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignInFrequency {
    /// Re-authentication period, or `every-time` (5 minutes of tolerance).
    pub every: String,
}

/// `[platform]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlatform {
    /// Token-endpoint capacity of one scale unit, requests per second.
    #[serde(default = "capacity")]
    pub capacity: f64,
    /// What happens above capacity: `shed` (429 + Retry-After) or `queue`.
    #[serde(default)]
    pub overload: Overload,
    /// Retry-After sent with a 429.
    #[serde(default = "sixty_s")]
    pub retry_after: Dur,
    /// In `queue` mode, the longest wait before the unit answers 503.
    #[serde(default = "sixty_s")]
    pub max_queue: Dur,
    /// `refresh_in` is sent as this share of the lifetime ...
    #[serde(default = "half")]
    pub refresh_in_share: f64,
    /// ... for access tokens living at least this long.
    #[serde(default = "two_hours")]
    pub refresh_in_min_lifetime: Dur,
    /// Client request loop detection: the platform answers `invalid_grant` (UI required)
    /// to an app that obtained this many tokens within 5 minutes; 0 turns it off.
    #[serde(default = "loop_limit")]
    pub loop_detection: u32,
    /// `[platform.backup]`: the backup authentication service.
    #[serde(default)]
    pub backup: RawBackup,
}

impl Default for RawPlatform {
    fn default() -> Self {
        RawPlatform {
            capacity: capacity(),
            overload: Overload::default(),
            retry_after: sixty_s(),
            max_queue: sixty_s(),
            refresh_in_share: half(),
            refresh_in_min_lifetime: two_hours(),
            loop_detection: loop_limit(),
            backup: RawBackup::default(),
        }
    }
}

fn loop_limit() -> u32 {
    20
}
fn capacity() -> f64 {
    100.0
}
fn sixty_s() -> Dur {
    Dur(SimDuration::from_secs(60))
}
fn half() -> f64 {
    0.5
}
fn two_hours() -> Dur {
    Dur(SimDuration::from_hours(2))
}

/// `[platform.backup]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBackup {
    /// On by default, as in the real service.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Time from the start of a primary outage until the backup serves.
    #[serde(default = "switchover")]
    pub switchover: Dur,
    /// Backup capacity as a share of the unit's primary capacity.
    #[serde(default = "half")]
    pub capacity_share: f64,
    /// A session is served only if it authenticated at the primary this recently.
    #[serde(default = "three_days")]
    pub session_window: Dur,
    /// Serve brokered apps' silent requests (PRT-based) like native apps with a
    /// persisted cache; the docs are silent on brokers, so on by default (the broker
    /// keeps the PRT across restarts, as the rule for native apps asks).
    #[serde(default = "yes")]
    pub serves_brokered: bool,
}

impl Default for RawBackup {
    fn default() -> Self {
        RawBackup {
            enabled: true,
            switchover: switchover(),
            capacity_share: half(),
            session_window: three_days(),
            serves_brokered: true,
        }
    }
}

fn switchover() -> Dur {
    Dur(SimDuration::from_mins(2))
}
fn three_days() -> Dur {
    Dur(SimDuration::from_days(3))
}

/// `[[outage]]`: either a `preset` from `datasets/outages.csv` or explicit fields;
/// explicit fields override the preset's.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutage {
    /// Name used in reports; defaults to the preset name.
    pub name: Option<String>,
    /// A historical preset's id.
    pub preset: Option<String>,
    /// Start: a calendar time `YYYY-MM-DDTHH:MM` or an offset from the scenario start (`7d9h`).
    pub start: Option<String>,
    /// How long it lasts.
    pub duration: Option<Dur>,
    /// `full`, `degraded`, `capacity` or `signing-key`.
    pub kind: Option<RawOutageKind>,
    /// Full outages: `5xx` or `timeout`.
    pub failure: Option<RawFailure>,
    /// Full outages with `5xx`: Retry-After sent with each error, if any.
    pub retry_after: Option<Dur>,
    /// Full outages with `timeout`: how long the server hangs before dropping the connection.
    pub hang: Option<Dur>,
    /// Degraded: probability that a request succeeds.
    pub success: Option<f64>,
    /// Degraded: latency added to every answer.
    pub latency: Option<Dur>,
    /// Capacity loss: remaining share of capacity.
    pub factor: Option<f64>,
    /// Target units: `"all"` or a list of unit indices.
    pub units: Option<RawUnits>,
    /// Target a share of the units instead (chosen with the seed).
    pub unit_share: Option<f64>,
}

/// Outage kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawOutageKind {
    /// Every request fails.
    Full,
    /// Requests succeed with a probability.
    Degraded,
    /// Capacity drops to a share.
    Capacity,
    /// Resources reject tokens issued before the start.
    SigningKey,
}

/// How a full outage fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum RawFailure {
    /// HTTP 5xx at once.
    #[serde(rename = "5xx")]
    ServerError,
    /// The server hangs.
    #[serde(rename = "timeout")]
    Timeout,
}

/// `"all"` or a list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RawUnits {
    /// `"all"`.
    Named(String),
    /// `[0, 3]`.
    List(Vec<u32>),
}

/// `[[segment]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    /// Segment name.
    pub name: String,
    /// Share of the population (all shares add up to 1).
    pub share: f64,
    /// `password`, `passwordless` or `mfa`.
    #[serde(default)]
    pub sign_in: SignIn,
    /// Offset of the users' local time from UTC, in hours.
    #[serde(default)]
    pub utc_offset_hours: f64,
    /// Guests (not home-tenant users) are never served by the backup service.
    #[serde(default)]
    pub guest: bool,
    /// Whether the apps start signed in (a running organisation) or signed out (a new
    /// rollout: every app prompts at its first call).
    #[serde(default = "yes")]
    pub signed_in_at_start: bool,
    /// How the users are active.
    pub activity: RawActivity,
    /// Holidays, during which nobody uses anything.
    #[serde(default)]
    pub absence: Option<RawAbsence>,
    /// The client apps each user runs.
    pub app: Vec<RawApp>,
    /// The devices each user has (`[[segment.device]]`); without any, every app holds
    /// its own refresh token and cookie.
    #[serde(default)]
    pub device: Vec<RawDevice>,
    /// Share of users whose Windows, macOS and mobile devices have the broker in use
    /// (joined or registered, SSO plug-in deployed); the others' behave as unmanaged.
    #[serde(default = "one_f64")]
    pub broker_share: f64,
    /// Share of interactive sign-ins without a password (Windows Hello, FIDO2,
    /// passkey); default 1 for `sign_in = "passwordless"`, else 0.
    #[serde(default)]
    pub passwordless_share: Option<f64>,
    /// Credential and admin event rates of this segment, overriding `[events.rates]`
    /// kind by kind.
    #[serde(default)]
    pub event_rates: RawRates,
    /// Share of CAE sessions whose IP seen by the resource differs from the one Entra
    /// saw (split tunnels, IPv4/IPv6); default `policy.cae.fallback_share`.
    #[serde(default)]
    pub ip_mismatch_share: Option<f64>,
    /// Token Protection for the segment's apps in its scope (native apps calling only
    /// Exchange, SharePoint, Teams); an app's own `token_protection` overrides it.
    #[serde(default)]
    pub token_protection: bool,
}

/// Activity patterns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "pattern", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RawActivity {
    /// Office hours on working days.
    WorkingHours {
        /// Local start of the day, `HH:MM`.
        #[serde(default = "day_start")]
        start: String,
        /// Local end of the day, `HH:MM`.
        #[serde(default = "day_end")]
        end: String,
        /// Each start and end moves by up to this much either way.
        #[serde(default = "jitter")]
        jitter: Dur,
        /// Whether Saturdays and Sundays are working days.
        #[serde(default)]
        weekends: bool,
    },
    /// Active all the time (daemons, kiosks).
    AlwaysOn,
    /// Memoryless activity: sessions start as a Poisson process.
    Poisson {
        /// Mean sessions per day.
        rate_per_day: f64,
        /// Length of each session (`0s`: a single call).
        #[serde(default = "zero")]
        session: Dur,
    },
    /// Poisson sessions whose rate follows the hour of the week (local time).
    Weekly {
        /// 168 mean session starts per user and hour, Monday 00:00–01:00 first.
        rates_per_hour: Vec<f64>,
        /// Length of each session (`0s`: a single call).
        #[serde(default = "zero")]
        session: Dur,
    },
}

fn day_start() -> String {
    "08:30".into()
}
fn day_end() -> String {
    "17:30".into()
}
fn jitter() -> Dur {
    Dur(SimDuration::from_mins(45))
}
fn zero() -> Dur {
    Dur(SimDuration::ZERO)
}

/// Holidays.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAbsence {
    /// Mean number of absences per year (Poisson).
    pub per_year: f64,
    /// Length of each.
    pub length: Dur,
}

/// `[[segment.app]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawApp {
    /// App name.
    pub name: String,
    /// `native`, `mobile`, `spa`, `web`, `daemon` or `managed-identity`.
    pub client: ClientType,
    /// Client library profile.
    pub profile: Profile,
    /// Token cache kept across restarts (needed for backup authentication).
    #[serde(default = "yes")]
    pub persistent_cache: bool,
    /// Declares the `cp1` capability (CAE).
    #[serde(default)]
    pub cp1: bool,
    /// Resources the app calls.
    #[serde(default = "graph")]
    pub resources: Vec<String>,
    /// Token Protection for this app (default: the segment's switch); `true` is an
    /// error for an app outside the policy's scope.
    #[serde(default)]
    pub token_protection: Option<bool>,
    /// The app calls its resource this often while its user is active.
    #[serde(default = "call_interval")]
    pub call_interval: Dur,
    /// msal-python only: the app catches the exception MSAL raises on 5xx and keeps its old token.
    #[serde(default)]
    pub catches_errors: bool,
    /// Client-side request timeout; default per profile.
    pub timeout: Option<Dur>,
    /// Retry settings of non-MSAL profiles.
    #[serde(default)]
    pub retry: RawRetry,
    /// The `[[segment.device]]` it runs on (required when the segment declares devices).
    #[serde(default)]
    pub device: Option<String>,
    /// Member of the family of client IDs (Office, Teams, Outlook): shares one refresh
    /// token with the other family apps on its device.
    #[serde(default)]
    pub family: bool,
}

/// `[[segment.device]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDevice {
    /// Name the apps refer to.
    pub name: String,
    /// `windows`, `macos-sso`, `ios-broker`, `android-broker`, `mobile-broker` or `unmanaged`.
    pub kind: DeviceKind,
}

fn graph() -> Vec<String> {
    vec!["graph".into()]
}
fn call_interval() -> Dur {
    Dur(SimDuration::from_mins(5))
}

/// `[segment.app.retry]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetry {
    /// First backoff (guided) — at least 5 s per the guidance.
    #[serde(default = "five_s")]
    pub base: Dur,
    /// Longest backoff.
    #[serde(default = "five_min")]
    pub cap: Dur,
    /// Requests per app call before the call fails (0: unlimited); default 6 for
    /// `guided`, unlimited for `fast-retry` and `fixed-retry`.
    pub max_attempts: Option<u32>,
    /// `none`, `full`, `equal` or `decorrelated`.
    #[serde(default)]
    pub jitter: Jitter,
    /// Period of `fixed-retry` (default 30 s), delay of `fast-retry` (default 1 s).
    pub interval: Option<Dur>,
}

impl Default for RawRetry {
    fn default() -> Self {
        RawRetry {
            base: five_s(),
            cap: five_min(),
            max_attempts: None,
            jitter: Jitter::default(),
            interval: None,
        }
    }
}

fn five_s() -> Dur {
    Dur(SimDuration::from_secs(5))
}
fn five_min() -> Dur {
    Dur(SimDuration::from_mins(5))
}
