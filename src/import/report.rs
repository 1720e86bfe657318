//! The import report: what was read, what each model value rests on, and what was
//! approximated or left out, and why.

use super::findings::{Findings, NoteKind};
use super::fit::Fit;
use super::signins::SignInLog;
use std::fmt::Write;

/// What maps where, for the report and the README (one list, shown in both).
pub const MAPPING: [(&str, &str); 13] = [
    (
        "distinct `userId`",
        "`scenario.users` (exact), segment `share`",
    ),
    (
        "set of apps per user (`appDisplayName`, `clientAppUsed`, `deviceDetail.operatingSystem`)",
        "one `[[segment]]` per app set (at most 8)",
    ),
    (
        "`clientAppUsed` Browser / desktop / mobile OS",
        "`client` = web / native / mobile",
    ),
    (
        "`deviceDetail` `operatingSystem` + `trustType` + `isManaged`",
        "`[[segment.device]]` per kind; each app's `device` = the kind most of its records show; `broker_share`",
    ),
    (
        "median gap of an app's silent requests < 45 min",
        "`profile = \"no-cache\"`, `call_interval` = the gap",
    ),
    (
        "timestamps of a user's requests",
        "`activity` weekly `rates_per_hour` and `session` (UTC)",
    ),
    (
        "interactive `authenticationRequirement`, `authenticationDetails`",
        "`sign_in`, `passwordless_share`",
    ),
    (
        "CA `signInFrequency` (hours, days, everyTime)",
        "`policy.sign_in_frequency.every` (strictest enabled policy)",
    ),
    (
        "CA `persistentBrowser` always / never",
        "`policy.session_cookie.persistent`",
    ),
    (
        "CA `continuousAccessEvaluation` disabled (beta)",
        "apps without `cp1`",
    ),
    (
        "CA `disableResilienceDefaults`",
        "`platform.backup.enabled = false`",
    ),
    (
        "`AccessTokenLifetime`",
        "`policy.access_token.lifetime_min` = `lifetime_max`",
    ),
    (
        "`MaxInactiveTime`, `MaxAge*` (retired)",
        "`policy.refresh_token.*`, written commented out",
    ),
];

/// What the fit approximates, whatever the exports say.
pub const FIT_APPROXIMATIONS: [&str; 7] = [
    "apps that cache tokens get profile msal-dotnet: the logs do not name the client library",
    "without a per-call app in a segment, sessions are runs of requests less than the longest access-token lifetime + 30 min apart, so short breaks inside a token's life are not seen",
    "the session length is inverted from the mean session span with the Poisson busy-period formula, each session at its own mean rate",
    "a user's first session in the logs may have begun before them (counted as a start)",
    "a browser app is imported as a confidential web app; change it to spa where it is one",
    "devices: Windows joined, hybrid joined or registered is windows (WAM holds a PRT on each); a managed Mac is macos-sso; a registered or managed iPhone/iPad or Android phone is ios-broker / android-broker; anything else, or no deviceDetail, is unmanaged; apps whose records show the same kind share one device (a user's two Windows PCs become one)",
    "broker_share is the share of a segment's users whose records on the platform of a brokered app show the broker; the others' records show the same platform unregistered",
];

/// What the model cannot express, whatever the exports say.
pub const NOT_EXPRESSED: [&str; 8] = [
    "outages in the logs' period: they show as error codes and backup-served rows; add the [[outage]] to the model before validating against them",
    "per-app or per-group scope of a CA policy: the model has one tenant-wide policy",
    "CAE strict enforcement and strict location (IP checks), token protection",
    "device compliance, and joined versus registered Windows devices (both windows)",
    "local time zones: logs are UTC and carry no zone per user, so the profile is fitted in UTC",
    "SPA versus confidential web app: both are Browser in the logs; imported as web",
    "calls served from a cached token never reach the logs: their call interval stays 5m",
    "service principal and managed identity sign-ins (they are skipped and counted)",
];

/// Renders the report.
pub fn import_report(fit: &Fit, findings: &Findings, log: &SignInLog, files: &[String]) -> String {
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(w, "# Import report\n\n## Inputs\n");
    for f in files {
        let _ = writeln!(w, "- {f}");
    }
    let skipped: u64 = log.skipped.values().sum();
    let _ = writeln!(w, "\n## Sign-in records\n");
    let _ = writeln!(
        w,
        "- read: {}; kept: {}; skipped: {skipped}",
        log.records,
        log.events.len()
    );
    for (reason, n) in &log.skipped {
        let _ = writeln!(w, "  - skipped {n}: {reason}");
    }
    let _ = writeln!(
        w,
        "- times with a zone other than UTC, converted: {}",
        log.converted_zones
    );
    let _ = writeln!(
        w,
        "- kept without an id (duplicates undetectable): {}",
        log.without_id
    );
    for ((field, value), n) in &log.unknown {
        let _ = writeln!(w, "- unknown value of `{field}`: '{value}' × {n}");
    }
    let backup = log.events.iter().filter(|e| e.backup).count();
    if backup > 0 {
        let _ = writeln!(
            w,
            "- served by the backup authentication service (tokenIssuerType AzureADBackupAuth): {backup}: an outage in the logs' period; add it as an [[outage]] before validating against it"
        );
    }
    let mut codes: std::collections::BTreeMap<i32, u64> = std::collections::BTreeMap::new();
    for e in log.events.iter().filter(|e| e.error_code != 0) {
        *codes.entry(e.error_code).or_default() += 1;
    }
    for (code, n) in codes {
        let _ = writeln!(w, "- status.errorCode {code}: {n}");
    }
    for (kind, n) in &log.incoming {
        let _ = writeln!(w, "- incomingTokenType {kind}: {n}");
    }
    for (device, n) in &log.devices {
        let _ = writeln!(w, "- device {device}: {n} records");
    }
    for ((policy, result), n) in &log.applied {
        let _ = writeln!(w, "- CA policy '{policy}' in the logs: {result} × {n}");
    }
    let _ = writeln!(w, "\n## Segments\n");
    let _ = writeln!(
        w,
        "| segment | users | sessions | session gap | fitted session (± standard error of the mean span) | apps |\n|---|---|---|---|---|---|"
    );
    for s in &fit.segments {
        let apps: Vec<String> = s
            .apps
            .iter()
            .map(|a| format!("{} ({}, {})", a.name, a.client.label(), a.profile.label()))
            .collect();
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} ± {} | {} |",
            s.name,
            s.users,
            s.sessions,
            s.threshold,
            s.session,
            s.session_se,
            apps.join(", ")
        );
    }
    let days = (fit.end_ms - fit.start_ms) as f64 / 86_400_000.0;
    if days < 7.0 {
        let _ = writeln!(
            w,
            "\nThe logs cover {days:.1} days, less than a week: hours of the week they miss get rate 0."
        );
    }
    let _ = writeln!(w, "\n## Policies\n");
    for kind in [NoteKind::Mapped, NoteKind::Approximated, NoteKind::Ignored] {
        for n in findings.notes.iter().filter(|n| n.kind == kind) {
            let _ = writeln!(w, "- {}: {}", kind.label(), n.text);
        }
    }
    if findings.notes.is_empty() {
        let _ = writeln!(
            w,
            "- no policy export given: the model keeps the platform defaults"
        );
    }
    let _ = writeln!(w, "\n## What maps where\n\n| export | model |\n|---|---|");
    for (from, to) in MAPPING {
        let _ = writeln!(w, "| {from} | {to} |");
    }
    let _ = writeln!(w, "\n## Approximated by the fit\n");
    for n in FIT_APPROXIMATIONS {
        let _ = writeln!(w, "- {n}");
    }
    let _ = writeln!(w, "\n## Not expressed\n");
    for n in NOT_EXPRESSED {
        let _ = writeln!(w, "- {n}");
    }
    o
}
