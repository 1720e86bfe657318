//! The levers: model fields the Levers tab can change, as data. Each lever names a
//! dotted path (`*` stands for every entry of a list) and a ladder of values; a change
//! becomes `--set` overrides, so it is validated exactly like `tokensim run --set`.
//! A new model field becomes a lever with one entry in [`fixed_levers`].

use crate::domain::Jitter;
use crate::domain::Profile;
use crate::engine::time::MS_PER_HOUR;
use crate::engine::{SimDuration, SimTime};
use crate::scenario::Scenario;
use crate::scenario::presets;
use toml::Value;

/// How a lever's value moves.
#[derive(Debug, Clone, PartialEq)]
pub enum LeverKind {
    /// On or off.
    Toggle,
    /// One of these words.
    Choice(Vec<String>),
    /// One of these durations (written like `90m`), in increasing order.
    Durations(&'static [&'static str]),
    /// One of these whole numbers, in increasing order.
    Counts(&'static [i64]),
    /// One of these fractions, in increasing order.
    Shares(&'static [f64]),
    /// The first outage's preset, `custom` (explicit fields) or `none`.
    OutagePreset,
    /// The first outage's start, moved by this step and written as an offset.
    OutageStart(SimDuration),
}

/// One editable parameter.
#[derive(Debug, Clone)]
pub struct Lever {
    /// Name shown in the list.
    pub label: String,
    /// Dotted model path; `*` matches every entry of a list.
    pub path: String,
    /// Its values.
    pub kind: LeverKind,
    /// One sentence on what it changes.
    pub help: &'static str,
    /// What to show when the model does not set the field (e.g. a preset's value).
    pub fallback: Option<fn(&Scenario) -> Option<String>>,
}

/// A lever move: the overrides to set (path, TOML value), and paths whose earlier
/// overrides it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Overrides in order, as `(dotted path, TOML value text)`.
    pub sets: Vec<(String, String)>,
    /// Override paths starting with this prefix are dropped first (a whole entry replaced).
    pub clears: Option<String>,
}

/// Value ladders.
const AT_LIFETIMES: &[&str] = &[
    "10m", "15m", "30m", "45m", "60m", "75m", "90m", "2h", "4h", "8h", "12h", "1d",
];
const INACTIVITY: &[&str] = &["1d", "3d", "5d", "7d", "14d", "30d", "60d", "90d"];
const OUTAGE_LENGTHS: &[&str] = &[
    "15m", "30m", "1h", "2h", "2h58m", "3h", "4h", "6h", "12h", "1d",
];
const USERS: &[i64] = &[
    300, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000,
];
const CAPACITY: &[i64] = &[2, 4, 8, 12, 16, 24, 32, 48, 64];
const UNIT_SHARES: &[f64] = &[0.25, 0.5, 0.75, 1.0];
const BROKER_SHARES: &[f64] = &[0.0, 0.25, 0.5, 0.75, 1.0];

fn words(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn lever(label: &str, path: &str, kind: LeverKind, help: &'static str) -> Lever {
    Lever {
        label: label.into(),
        path: path.into(),
        kind,
        help,
        fallback: None,
    }
}

/// `lever` showing `fallback` where the model leaves the field unset.
fn or_else(mut lever: Lever, fallback: fn(&Scenario) -> Option<String>) -> Lever {
    lever.fallback = Some(fallback);
    lever
}

fn preset_duration(s: &Scenario) -> Option<String> {
    let o = s.outages.first()?;
    Some(format!("{} (preset)", o.end.since(o.start)))
}

fn preset_kind(s: &Scenario) -> Option<String> {
    Some(format!("{} (preset)", s.outages.first()?.kind.label()))
}

fn preset_units(s: &Scenario) -> Option<String> {
    s.outages.first().map(|_| "preset's units".to_string())
}

fn sif_off(_: &Scenario) -> Option<String> {
    Some("off".into())
}

/// The levers every model has, in display order.
pub fn fixed_levers() -> Vec<Lever> {
    use LeverKind::*;
    let jitters: Vec<String> = [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ]
    .iter()
    .map(toml_word)
    .collect();
    vec![
        lever(
            "population (users)",
            "scenario.users",
            Counts(USERS),
            "Number of simulated users, spread over the scale units.",
        ),
        lever(
            "outage preset",
            "outage.0",
            OutagePreset,
            "A historical outage, `custom` (edit kind and length below) or `none`.",
        ),
        lever(
            "outage start",
            "outage.0.start",
            OutageStart(SimDuration::from_hours(1)),
            "When the first outage starts (offset from the scenario start), in steps of 1 h.",
        ),
        or_else(
            lever(
                "outage duration",
                "outage.0.duration",
                Durations(OUTAGE_LENGTHS),
                "Length of a custom outage (choose `custom` as preset first).",
            ),
            preset_duration,
        ),
        or_else(
            lever(
                "outage kind",
                "outage.0.kind",
                Choice(words(&["full", "degraded", "capacity", "signing-key"])),
                "What fails in a custom outage: everything, a share of requests, capacity, or old tokens.",
            ),
            preset_kind,
        ),
        or_else(
            lever(
                "outage unit share",
                "outage.0.unit_share",
                Shares(UNIT_SHARES),
                "Share of the scale units the outage hits.",
            ),
            preset_units,
        ),
        lever(
            "AT lifetime min",
            "policy.access_token.lifetime_min",
            Durations(AT_LIFETIMES),
            "Shortest access-token lifetime (drawn uniformly between min and max).",
        ),
        lever(
            "AT lifetime max",
            "policy.access_token.lifetime_max",
            Durations(AT_LIFETIMES),
            "Longest access-token lifetime.",
        ),
        lever(
            "RT max inactive",
            "policy.refresh_token.max_inactive",
            Durations(INACTIVITY),
            "MaxInactiveTime: a refresh token unused this long is rejected.",
        ),
        or_else(
            lever(
                "sign-in frequency",
                "policy.sign_in_frequency.every",
                Choice(words(&[
                    "every-time",
                    "1h",
                    "4h",
                    "8h",
                    "12h",
                    "1d",
                    "7d",
                    "30d",
                    "90d",
                ])),
                "Conditional Access sign-in frequency (r resets it to the model's setting).",
            ),
            sif_off,
        ),
        lever(
            "broker share",
            "segment.*.broker_share",
            Shares(BROKER_SHARES),
            "Share of users whose devices use their broker (WAM, SSO plug-in, Authenticator): one sign-in serves all their brokered apps.",
        ),
        lever(
            "cp1 (CAE) on every app",
            "segment.*.app.*.cp1",
            Toggle,
            "Whether every app declares the cp1 capability for Continuous Access Evaluation.",
        ),
        lever(
            "retry jitter",
            "segment.*.app.*.retry.jitter",
            Choice(jitters),
            "Backoff jitter of every app's retry loop (guided, fixed and fast retry).",
        ),
        lever(
            "backup authentication",
            "platform.backup.enabled",
            Toggle,
            "Whether the backup service serves existing sessions during an outage.",
        ),
        lever(
            "capacity per unit (req/s)",
            "platform.capacity",
            Counts(CAPACITY),
            "Token-endpoint capacity of each scale unit.",
        ),
    ]
}

/// The word a model file uses for a serialisable value (`decorrelated`, `msal-js`).
fn toml_word<T: serde::Serialize>(v: &T) -> String {
    Value::try_from(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The fixed levers, then per app of the model a client-profile lever (together they
/// set the client-profile mix) and a cp1 lever (together, the share of CAE clients).
pub fn levers_for(scenario: &Scenario) -> Vec<Lever> {
    let mut all = fixed_levers();
    let profiles: Vec<String> = Profile::ALL.iter().map(|p| p.label().to_string()).collect();
    let apps = || {
        scenario
            .segments
            .iter()
            .enumerate()
            .flat_map(|(i, segment)| {
                segment
                    .apps
                    .iter()
                    .enumerate()
                    .map(move |(j, app)| (format!("{}/{}", segment.name, app.name), i, j))
            })
    };
    for (name, i, j) in apps() {
        all.push(lever(
            &format!("profile {name}"),
            &format!("segment.{i}.app.{j}.profile"),
            LeverKind::Choice(profiles.clone()),
            "Client library profile of this app (part of the client-profile mix).",
        ));
    }
    for (name, i, j) in apps() {
        all.push(lever(
            &format!("cp1 {name}"),
            &format!("segment.{i}.app.{j}.cp1"),
            LeverKind::Toggle,
            "Whether this app declares cp1 (CAE); the share of cp1 apps is shown below.",
        ));
    }
    all
}

/// Every concrete path `pattern` matches in `tree`, with the value there (if any).
fn expand<'t>(
    tree: &'t Value,
    pattern: &[&str],
    prefix: String,
) -> Vec<(String, Option<&'t Value>)> {
    let Some((head, rest)) = pattern.split_first() else {
        return vec![(prefix, Some(tree))];
    };
    let join = |p: &str| {
        if prefix.is_empty() {
            p.to_string()
        } else {
            format!("{prefix}.{p}")
        }
    };
    match (tree, *head) {
        (Value::Array(items), "*") => items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| expand(item, rest, join(&i.to_string())))
            .collect(),
        (Value::Array(items), index) => {
            match index.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(item) => expand(item, rest, join(index)),
                None => Vec::new(),
            }
        }
        (Value::Table(t), key) => match t.get(key) {
            Some(child) => expand(child, rest, join(key)),
            None => vec![(join(&pattern.join(".")), None)],
        },
        _ => Vec::new(),
    }
}

/// A value as the Levers tab shows it.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Boolean(b) => if *b { "on" } else { "off" }.into(),
        other => other.to_string(),
    }
}

impl Lever {
    fn targets<'t>(&self, tree: &'t Value) -> Vec<(String, Option<&'t Value>)> {
        let pattern: Vec<&str> = self.path.split('.').collect();
        expand(tree, &pattern, String::new())
    }

    /// The lever's value in `scenario`: `None` when it does not apply (no such entry).
    pub fn value(&self, scenario: &Scenario) -> Option<String> {
        if matches!(self.kind, LeverKind::OutagePreset) {
            return Some(outage_preset(&scenario.raw.outage));
        }
        if let LeverKind::OutageStart(_) = self.kind {
            return scenario
                .raw
                .outage
                .first()
                .and(outage_start(scenario))
                .map(|t| t.to_string());
        }
        let tree = Value::try_from(&scenario.raw).ok()?;
        let found = self.targets(&tree);
        let unset = || {
            self.fallback
                .and_then(|f| f(scenario))
                .unwrap_or_else(|| "(not set)".into())
        };
        let mut shown: Vec<String> = found
            .iter()
            .map(|(_, v)| v.map_or_else(unset, show))
            .collect();
        shown.dedup();
        match shown.len() {
            0 => None,
            1 => shown.pop(),
            _ => Some("mixed".into()),
        }
    }

    /// The overrides that move the lever one step (`up` or down) from its value in `scenario`.
    pub fn step(&self, scenario: &Scenario, up: bool) -> Result<Change, String> {
        let current = || self.value(scenario).ok_or("this model has no such field");
        let next = match &self.kind {
            LeverKind::OutagePreset => return preset_step(scenario, up),
            LeverKind::OutageStart(step) => return start_step(scenario, *step, up),
            LeverKind::Toggle => (current()? != "on").to_string(),
            LeverKind::Choice(options) => quote(&cycle(options, &current()?, up)),
            LeverKind::Durations(ladder) => {
                let now = current()?.parse::<SimDuration>().ok();
                let at = |d: &&str| d.parse::<SimDuration>().ok();
                quote(neighbour(ladder, now, at, up)?)
            }
            LeverKind::Counts(ladder) => {
                let now = current()?.parse::<f64>().ok();
                neighbour(ladder, now, |v| Some(*v as f64), up)?.to_string()
            }
            LeverKind::Shares(ladder) => {
                let now = current()?.parse::<f64>().ok();
                neighbour(ladder, now, |v| Some(*v), up)?.to_string()
            }
        };
        let tree = Value::try_from(&scenario.raw).map_err(|e| e.to_string())?;
        Ok(Change {
            sets: self
                .targets(&tree)
                .into_iter()
                .map(|(p, _)| (p, next.clone()))
                .collect(),
            clears: None,
        })
    }
}

/// The next rung of `ladder` above (or below) `now`; from an unknown value, the top
/// (or bottom) rung.
fn neighbour<T, K: PartialOrd>(
    ladder: &[T],
    now: Option<K>,
    key: impl Fn(&T) -> Option<K>,
    up: bool,
) -> Result<&T, String> {
    let found = match (&now, up) {
        (None, true) => ladder.first(),
        (None, false) => ladder.last(),
        (Some(n), true) => ladder.iter().find(|v| key(v).is_some_and(|k| k > *n)),
        (Some(n), false) => ladder.iter().rev().find(|v| key(v).is_some_and(|k| k < *n)),
    };
    found.ok_or_else(|| "already at the end of the range".to_string())
}

fn quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

fn cycle(options: &[String], current: &str, up: bool) -> String {
    let n = options.len();
    let next = match options.iter().position(|o| o == current) {
        Some(i) if up => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None => 0,
    };
    options[next].clone()
}

/// `none`, the preset id, or `custom`.
fn outage_preset(outages: &[crate::scenario::raw::RawOutage]) -> String {
    match outages.first() {
        None => "none".into(),
        Some(o) => o.preset.clone().unwrap_or_else(|| "custom".into()),
    }
}

/// Start of the first outage, relative to the scenario start.
fn outage_start(scenario: &Scenario) -> Option<SimTime> {
    scenario.outages.first().map(|o| o.start)
}

fn preset_ids() -> Result<Vec<String>, String> {
    let mut ids: Vec<String> = presets::phases()?.into_iter().map(|p| p.id).collect();
    ids.dedup();
    Ok(ids)
}

/// Replaces the first outage: a preset, a custom copy of the current preset's first
/// phase, or no outage at all.
fn preset_step(scenario: &Scenario, up: bool) -> Result<Change, String> {
    let mut options = vec!["none".to_string()];
    options.extend(preset_ids()?);
    options.push("custom".into());
    let next = cycle(&options, &outage_preset(&scenario.raw.outage), up);
    // Without an outage, a new one starts at the whole hour in the middle of the horizon.
    let middle = SimDuration::from_hours(scenario.horizon.as_millis() / 2 / MS_PER_HOUR);
    let start = outage_start(scenario).unwrap_or(SimTime::ZERO + middle);
    let start = quote(&start.since(SimTime::ZERO).to_string());
    let entry = match next.as_str() {
        "none" => {
            return Ok(Change {
                sets: vec![("outage".into(), "[]".into())],
                clears: Some("outage".into()),
            });
        }
        "custom" => {
            let (kind, duration) = scenario
                .outages
                .first()
                .map_or(("full".to_string(), SimDuration::from_hours(3)), |o| {
                    (o.kind.label().to_string(), o.end.since(o.start))
                });
            format!(
                "{{ name = \"custom\", start = {start}, kind = {}, duration = {}, success = 0.95, factor = 0.5 }}",
                quote(&kind),
                quote(&duration.to_string())
            )
        }
        id => format!("{{ preset = {}, start = {start} }}", quote(id)),
    };
    Ok(if scenario.raw.outage.is_empty() {
        Change {
            sets: vec![("outage".into(), format!("[{entry}]"))],
            clears: Some("outage".into()),
        }
    } else {
        Change {
            sets: vec![("outage.0".into(), entry)],
            clears: Some("outage".into()),
        }
    })
}

fn start_step(scenario: &Scenario, step: SimDuration, up: bool) -> Result<Change, String> {
    let start = outage_start(scenario).ok_or("no outage: choose a preset first")?;
    let last = SimTime::ZERO + scenario.horizon.saturating_sub(step);
    let next = if up {
        start + step
    } else {
        start.saturating_sub(step)
    };
    if next > last || (!up && start == SimTime::ZERO) {
        return Err("already at the end of the horizon".into());
    }
    Ok(Change {
        sets: vec![(
            "outage.0.start".into(),
            quote(&next.since(SimTime::ZERO).to_string()),
        )],
        clears: None,
    })
}
