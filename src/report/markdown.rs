//! `report.md`: scenario and policy in brief, headline figures, one section per outage,
//! revocation exposure, friction, the charts and small tables. Deterministic: the same
//! tables give the same text.

use super::chart_names as names;
use crate::analytics::headline::format_value;
use crate::analytics::{METRICS, ReportData, Table};
use crate::domain::exposure::Attacker;
use crate::scenario::raw::{Limit, RawModel};
use std::fmt::Write;

/// The rows of the breakdown table for one dimension, without the dimension column.
fn dimension(t: &Table, dim: &str) -> Table {
    Table {
        header: t.header[1..].to_vec(),
        rows: t
            .rows
            .iter()
            .filter(|r| r[0] == dim)
            .map(|r| r[1..].to_vec())
            .collect(),
    }
}

fn chart(out: &mut String, stem: &str, alt: &str) {
    let _ = writeln!(out, "![{alt}]({stem}.png)\n\n[SVG]({stem}.svg)\n");
}

fn limit(l: &Limit) -> String {
    l.0.map_or("until revoked".into(), |d| d.to_string())
}

fn policy(raw: &RawModel) -> String {
    let p = &raw.policy;
    let pl = &raw.platform;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "- Access tokens: {} to {} (uniform), used while at least {} remain.",
        p.access_token.lifetime_min.0,
        p.access_token.lifetime_max.0,
        p.access_token.expiry_margin.0
    );
    let rt = &p.refresh_token;
    let _ = writeln!(
        out,
        "- Refresh tokens: MaxInactiveTime {}, max age {} (single factor) / {} (multi-factor).",
        rt.max_inactive.0,
        limit(&rt.max_age_single_factor),
        limit(&rt.max_age_multi_factor)
    );
    let sif = p
        .sign_in_frequency
        .as_ref()
        .map_or("not set".into(), |s| s.every.clone());
    let _ = writeln!(
        out,
        "- Sign-in frequency: {sif}; persistent session cookie: {}.",
        p.session_cookie.persistent
    );
    let _ = writeln!(
        out,
        "- Platform: {} token requests/s per scale unit, overload handled by {}, Retry-After {}.",
        pl.capacity,
        format!("{:?}", pl.overload).to_lowercase(),
        pl.retry_after.0
    );
    let b = &pl.backup;
    let _ = writeln!(
        out,
        "- Backup authentication: {}, switchover {}, capacity {:.0} % of the primary, sessions seen in the last {}.",
        if b.enabled { "on" } else { "off" },
        b.switchover.0,
        b.capacity_share * 100.0,
        b.session_window.0
    );
    out
}

fn population(raw: &RawModel) -> Table {
    Table {
        header: ["segment", "share", "sign-in", "apps (client, profile)"]
            .map(String::from)
            .to_vec(),
        rows: raw
            .segment
            .iter()
            .map(|s| {
                let apps: Vec<String> = s
                    .app
                    .iter()
                    .map(|a| {
                        format!(
                            "{} ({}, {}{})",
                            a.name,
                            a.client.label(),
                            a.profile.label(),
                            if a.cp1 { ", CAE" } else { "" }
                        )
                    })
                    .collect();
                vec![
                    s.name.clone(),
                    format!("{:.0} %", s.share * 100.0),
                    s.sign_in.label().into(),
                    apps.join("; "),
                ]
            })
            .collect(),
    }
}

/// The headline across replications, with the method and the sample-size advice.
fn replicated(out: &mut String, r: &crate::metrics::stats::Replications) {
    let _ = writeln!(
        out,
        "\n## Headline across {} replications\n\nThe table above is replication 1 (seed {}); this one is the {}. Replication tables are in `replications/rNN/`.\n",
        r.n,
        r.seeds.first().copied().unwrap_or_default(),
        r.method
    );
    *out += &crate::analytics::replication::table(r).markdown();
    let advice = crate::analytics::replication::advice(r);
    if !advice.is_empty() {
        *out += "\nImprecise figures (95 % CI half-width over 10 % of the mean):\n\n";
        for line in advice {
            let _ = writeln!(out, "- {line}");
        }
    }
}

/// The whole report.
pub fn report(d: &ReportData) -> String {
    let s = &d.scenario;
    let mut out = format!("# tokensim report: {}\n\n", s.name);
    let _ = writeln!(
        out,
        "{} users in {} scale units, {:.0} days from {} UTC, seed {}. Model: {}.\n",
        s.users,
        s.scale_units,
        s.horizon_days(),
        s.start.format("%Y-%m-%d %H:%M"),
        s.seed,
        d.summary.source
    );
    out += "## Scenario and policy\n\n";
    out += &policy(&s.raw);
    out += "\n";
    out += &population(&s.raw).markdown();
    out += "\n## Headline\n\n";
    let headline = Table {
        header: vec!["metric".into(), "value".into()],
        rows: METRICS
            .iter()
            .zip(d.headline.values)
            .map(|(m, v)| vec![m.label.into(), format_value(v)])
            .collect(),
    };
    out += &headline.markdown();
    if let Some(r) = &d.summary.replications {
        replicated(&mut out, r);
        for k in 1..=d.bands.len() {
            chart(
                &mut out,
                &names::load_band(k),
                "offered load across replications",
            );
            chart(
                &mut out,
                &names::blocked_band(k),
                "blocked users across replications",
            );
        }
    }
    outages(&mut out, d);
    out += "\n## Blocked users\n\n";
    chart(
        &mut out,
        names::BLOCKED_SEGMENTS,
        "blocked users by segment",
    );
    chart(
        &mut out,
        names::BLOCKED_CDF,
        "CDF of blocked minutes per blocked user",
    );
    out += "Distributions (minutes; prompts per user-month):\n\n";
    out += &d.percentiles.markdown();
    for dim in ["segment", "app", "profile", "client", "sign_in", "unit"] {
        let _ = writeln!(out, "\nBy {}:\n", dim.replace('_', "-"));
        out += &dimension(&d.breakdowns, dim).markdown();
    }
    exposure(&mut out, d);
    out += "\n## Friction\n\n";
    let _ = writeln!(
        out,
        "{} interactive prompts, {:.3} per user-month.\n",
        d.summary.prompts.total, d.summary.prompts.per_user_month
    );
    chart(
        &mut out,
        names::PROMPTS,
        "prompts per user-month by segment and cause",
    );
    let causes = Table {
        header: vec!["cause".into(), "prompts".into()],
        rows: d
            .summary
            .prompts
            .by_cause
            .iter()
            .map(|(k, v)| vec![k.replace('_', " "), v.to_string()])
            .collect(),
    };
    out += &causes.markdown();
    out += "\nTables: `breakdowns`, `percentiles`, `recovery` and (with revocations) `exposure`, each as CSV and Parquet in this folder.\n";
    out
}

fn exposure(out: &mut String, d: &ReportData) {
    out.push_str("\n## Revocation exposure\n\n");
    let Some(e) = &d.exposure else {
        out.push_str("This run has no `revocations.csv`: no revocation events were simulated, so there is no exposure to report.\n");
        return;
    };
    for h in &d.summary.exposure.headlines {
        let _ = writeln!(out, "- {}{}.", h[..1].to_uppercase(), &h[1..]);
    }
    let events = &d.scenario.events;
    let kinds = if events.exposure_events.is_empty() {
        "every access-cutting event kind".to_string()
    } else {
        events
            .exposure_events
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "\nTwo measures, never pooled: **(a)** for a session the event revoked, how long tokens minted before it stay usable (access token to expiry, CAE cut-off after propagation); **(b)** for a session the revocation matrix leaves alive, the share of such sessions and how long they stay usable. Headline: {kinds}, attacker model `{}`. The attacker models:\n",
        events.exposure_attacker.label()
    );
    for a in Attacker::ALL {
        let _ = writeln!(out, "- `{}`: {}.", a.label(), a.description());
    }
    let protected = d
        .scenario
        .segments
        .iter()
        .flat_map(|s| &s.apps)
        .any(|a| a.token_protection);
    if protected {
        let _ = writeln!(
            out,
            "\nToken Protection binds a session to its device for {}; a protected app covers its device's PRT and every brokered app on it; an app of a segment without devices is taken to run on a registered Windows device (the policy's generally available platform).",
            crate::policy::token_protection::SCOPE
        );
    }
    out.push('\n');
    chart(
        out,
        names::EXPOSURE,
        "share of apps by how long an attacker's tokens stay usable after each event",
    );
    let _ = writeln!(
        out,
        "By event, token classes, CAE and client type (`{}`; `tail` rows are measure (a), `left-alive` rows measure (b)):\n",
        events.exposure_attacker.label()
    );
    out.push_str(&e.by_class.markdown());
    out.push_str("\nBy event and segment:\n\n");
    out.push_str(&e.by_segment.markdown());
    out.push_str("\nEvery event kind and attacker model is in `exposure.csv`.\n");
}

fn outages(out: &mut String, d: &ReportData) {
    if d.summary.outages.is_empty() {
        out.push_str("\n## Outages\n\nThis scenario has no outage.\n");
        return;
    }
    if let Some(t) = &d.summary.during_outages {
        let _ = writeln!(
            out,
            "\n## Outages\n\nOver all outages, each user and minute counted once (from each start to 24 h after its end): {} users blocked, {:.0} blocked user-minutes, {} app calls got no token.",
            t.users_blocked, t.blocked_user_minutes, t.calls_failed
        );
    }
    for (k, o) in d.summary.outages.iter().enumerate() {
        let _ = writeln!(out, "\n## Outage {}: {} ({})\n", k + 1, o.name, o.kind);
        let recovery = o.recovery_text();
        let _ = writeln!(
            out,
            "From {} to {} UTC on {} scale units. {} users blocked, {:.0} blocked user-minutes, {} app calls got no token (start to 24 h after the end); blocked users back to the baseline {} after the end; peak load after the end (of any phase) {:.2} × capacity; {} requests served by the backup service.\n",
            o.start,
            o.end,
            o.units_hit,
            o.users_blocked,
            o.blocked_user_minutes,
            o.calls_failed,
            recovery,
            o.peak_load_ratio,
            o.backup_served
        );
        if o.phases.len() > 1 {
            let phases = Table {
                header: [
                    "phase",
                    "kind",
                    "start",
                    "end",
                    "units",
                    "recovery after its end",
                    "peak load",
                    "backup served",
                ]
                .map(String::from)
                .to_vec(),
                rows: o
                    .phases
                    .iter()
                    .map(|p| {
                        vec![
                            p.phase.to_string(),
                            p.kind.clone(),
                            p.start.clone(),
                            p.end.clone(),
                            p.units_hit.to_string(),
                            p.recovery_text(),
                            format!("{:.2} ×", p.peak_load_ratio),
                            p.backup_served.to_string(),
                        ]
                    })
                    .collect(),
            };
            out.push_str(
                "Phases (one incident: its figures above count each user and minute once):\n\n",
            );
            out.push_str(&phases.markdown());
            out.push('\n');
        }
        if let Some(pos) = d.loads.iter().position(|l| l.name == o.name) {
            chart(
                out,
                &names::load(pos + 1),
                &format!("load around outage {}", o.name),
            );
        }
        let rows: Vec<Vec<String>> = d
            .recovery
            .rows
            .iter()
            .filter(|r| r[0] == o.name)
            .map(|r| r[1..].to_vec())
            .collect();
        if !rows.is_empty() {
            out.push_str("Per scale unit:\n\n");
            out.push_str(
                &Table {
                    header: d.recovery.header[1..].to_vec(),
                    rows,
                }
                .markdown(),
            );
        }
    }
}
