//! The fitted model as TOML text, every value with a comment saying where it came from.
//! Written by hand rather than serialized, because the comments are the point.

use super::findings::Findings;
use super::fit::{Fit, FitSegment};
use crate::domain::Profile;
use crate::domain::user::HOURS_PER_WEEK;
use crate::engine::SimDuration;
use crate::engine::time::MS_PER_HOUR;
use std::fmt::Write;

/// Users per scale unit of an imported model.
const USERS_PER_UNIT: u32 = 10_000;
/// Token-endpoint capacity is not in the logs; it is set this many times above the
/// busiest minute's rate, and at least the platform default, so the import invents no
/// throttling.
const CAPACITY_HEADROOM: f64 = 10.0;
const MIN_CAPACITY: f64 = 100.0;
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// What the model's header says about the inputs.
pub struct Sources<'a> {
    /// Input files with what each held, e.g. `signins.json (12,345 records)`.
    pub files: &'a [String],
    /// Records kept from the sign-in logs.
    pub kept: u64,
    /// Busiest minute of the logs, requests per second.
    pub peak_per_s: f64,
}

/// Renders the model.
pub fn model_toml(fit: &Fit, findings: &Findings, src: &Sources) -> String {
    let users: u32 = fit.segments.iter().map(|s| s.users).sum();
    let units = users.div_ceil(USERS_PER_UNIT).max(1);
    let start = chrono::DateTime::from_timestamp_millis(fit.start_ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default();
    let horizon = SimDuration((fit.end_ms - fit.start_ms) as u64);
    let mut o = String::new();
    let w = &mut o;
    line(
        w,
        "# Imported by `tokensim import`; check it with `tokensim check`, compare it with",
    );
    line(
        w,
        "# the logs with `tokensim validate`. Only aggregates are written: no user ids,",
    );
    line(w, "# names or addresses. Inputs:");
    for f in src.files {
        line(w, &format!("#   {f}"));
    }
    line(w, "");
    line(w, "[scenario]");
    kv(w, "name", "\"imported\"", "change freely");
    kv(
        w,
        "start",
        &format!("\"{start}\""),
        "hour of the first sign-in record (UTC)",
    );
    kv(
        w,
        "horizon",
        &format!("\"{horizon}\""),
        "to the hour after the last record",
    );
    kv(w, "seed", "1", "");
    kv(
        w,
        "users",
        &users.to_string(),
        &format!("distinct userId among {} kept records", src.kept),
    );
    kv(
        w,
        "scale_units",
        &units.to_string(),
        &format!("not in the logs: about {USERS_PER_UNIT} users per unit"),
    );
    let sections = [
        ("policy.access_token", "[policy.access_token]"),
        ("policy.refresh_token", "[policy.refresh_token]"),
        ("policy.session_cookie", "[policy.session_cookie]"),
        ("policy.sign_in_frequency", "[policy.sign_in_frequency]"),
    ];
    for (prefix, header) in sections {
        let settings: Vec<_> = findings
            .settings
            .iter()
            .filter(|s| s.path.starts_with(prefix))
            .collect();
        if settings.is_empty() {
            continue;
        }
        line(w, "");
        line(w, header);
        for s in settings {
            let key = &s.path[prefix.len() + 1..];
            if s.retired {
                line(w, &format!("# {key} = {}  # {}", s.value, s.source));
            } else {
                kv(w, key, &s.value, &s.source);
            }
        }
    }
    line(w, "");
    line(w, "[platform]");
    let capacity = (src.peak_per_s * CAPACITY_HEADROOM / units as f64)
        .max(MIN_CAPACITY)
        .ceil();
    kv(
        w,
        "capacity",
        &capacity.to_string(),
        &format!(
            "not in the logs: {CAPACITY_HEADROOM}× the busiest minute ({:.2}/s) per unit, at least {MIN_CAPACITY}",
            src.peak_per_s
        ),
    );
    if let Some(s) = findings.get("platform.backup.enabled") {
        line(w, "");
        line(w, "[platform.backup]");
        kv(w, "enabled", &s.value, &s.source);
    }
    for seg in &fit.segments {
        segment(w, seg, users, findings.cae_disabled);
    }
    o
}

fn segment(w: &mut String, s: &FitSegment, total: u32, cae_disabled: bool) {
    line(w, "");
    line(w, "[[segment]]");
    kv(
        w,
        "name",
        &format!("\"{}\"", s.name),
        if s.folded {
            "rarer app sets folded together"
        } else {
            "users with the same set of apps"
        },
    );
    kv(
        w,
        "share",
        &format!("{:.9}", s.users as f64 / total as f64),
        &format!("{} of {total} users", s.users),
    );
    let [password, mfa, passwordless, unknown] = s.methods;
    let seen = format!(
        "successful interactive sign-ins: {password} password, {mfa} MFA, {passwordless} passwordless, {unknown} without detail"
    );
    kv(w, "sign_in", &format!("\"{}\"", s.sign_in.label()), &seen);
    kv(
        w,
        "passwordless_share",
        &format!("{:.4}", s.passwordless_share),
        "share of the classified interactive sign-ins",
    );
    kv(
        w,
        "utc_offset_hours",
        "0",
        "the weekly profile below is fitted in UTC",
    );
    if let Some((brokered, seen)) = s.broker {
        kv(
            w,
            "broker_share",
            &format!("{:.4}", brokered as f64 / seen as f64),
            &format!(
                "{brokered} of {seen} users' records on a brokered platform show the broker (deviceDetail.trustType / isManaged)"
            ),
        );
    }
    line(w, "");
    line(w, "  [segment.activity]");
    kv(
        w,
        "  pattern",
        "\"weekly\"",
        &format!(
            "{} sessions: requests less than {} apart",
            s.sessions, s.threshold
        ),
    );
    kv(
        w,
        "  session",
        &format!("\"{}\"", s.session),
        "fitted from the mean session span (see the import report)",
    );
    line(
        w,
        "  # session starts per user and hour (UTC), one line per day from Monday 00:00",
    );
    line(w, "  rates_per_hour = [");
    for (d, day) in DAYS.iter().enumerate() {
        let hours: Vec<String> = s.rates[d * 24..(d + 1) * 24]
            .iter()
            .map(|r| format!("{r:.5}"))
            .collect();
        line(w, &format!("    {}, # {day}", hours.join(", ")));
    }
    line(w, "  ]");
    debug_assert_eq!(s.rates.len(), HOURS_PER_WEEK);
    for kind in s.device_kinds() {
        line(w, "");
        line(w, "  [[segment.device]]");
        kv(
            w,
            "  name",
            &format!("\"{}\"", kind.label()),
            "one device per kind its apps run on",
        );
        kv(
            w,
            "  kind",
            &format!("\"{}\"", kind.label()),
            "from deviceDetail.operatingSystem, trustType and isManaged",
        );
    }
    for a in &s.apps {
        line(w, "");
        line(w, "  [[segment.app]]");
        kv(w, "  name", &format!("\"{}\"", a.name), "appDisplayName");
        kv(
            w,
            "  client",
            &format!("\"{}\"", a.client.label()),
            "from clientAppUsed and deviceDetail.operatingSystem",
        );
        let gap = a
            .median_gap
            .map_or("no repeated requests".to_string(), |g| {
                // Whole seconds in the comment: finer is noise.
                let g = SimDuration((g.0 + 500) / 1000 * 1000);
                format!("median gap {g} over {} gaps", a.gaps)
            });
        kv(
            w,
            "  profile",
            &format!("\"{}\"", a.profile.label()),
            &format!("{} silent requests, {gap}", a.requests),
        );
        match (a.profile, a.median_gap) {
            (Profile::NoCache, Some(g)) => {
                let g = SimDuration(g.0.clamp(1_000, 24 * MS_PER_HOUR));
                kv(
                    w,
                    "  call_interval",
                    &format!("\"{g}\""),
                    "a token request per call: the median gap",
                );
            }
            _ => kv(
                w,
                "  call_interval",
                "\"5m\"",
                "not in the logs: a cached token hides the calls (default)",
            ),
        }
        let (shown, total) = a.device_records;
        kv(
            w,
            "  device",
            &format!("\"{}\"", a.device.label()),
            &format!("{shown} of its {total} records show this kind"),
        );
        if cae_disabled {
            kv(w, "  cp1", "false", "a CA policy disables CAE");
        }
    }
}

fn line(w: &mut String, text: &str) {
    let _ = writeln!(w, "{text}");
}

fn kv(w: &mut String, key: &str, value: &str, comment: &str) {
    let text = format!("{key} = {value}");
    if comment.is_empty() {
        line(w, &text);
    } else {
        line(w, &format!("{text:<34} # {comment}"));
    }
}
