//! The Impact tab: headline figures, then per-segment and per-profile tables, each
//! figure with its difference from the baseline (the model as loaded). On a small
//! screen one section at a time (←→), on a large one all three.

use super::format::{estimate, versus};
use super::waiting;
use crate::analytics::METRICS;
use crate::analytics::headline::format_value;
use crate::metrics::Summary;
use crate::metrics::summary::DuringOutages;
use crate::tui::digest::{Digest, GroupRow};
use crate::tui::model::Model;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Row, Table};

const SECTIONS: [&str; 3] = ["headline", "segments", "profiles"];

/// Draws the tab.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(d) = model.digest() else {
        frame.render_widget(waiting(model), area);
        return;
    };
    let base = model.baseline.as_deref();
    if area.width >= 150 && area.height >= 30 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(44), Constraint::Min(0)]).areas(area);
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Min(0)]).areas(right);
        section(d, base, 0, frame, left);
        section(d, base, 1, frame, top);
        section(d, base, 2, frame, bottom);
    } else {
        section(d, base, model.impact_section, frame, area);
    }
}

fn section(d: &Digest, base: Option<&Digest>, which: usize, frame: &mut Frame, area: Rect) {
    let others: Vec<&str> = SECTIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != which)
        .map(|(_, s)| *s)
        .collect();
    let baseline = if base.is_some() {
        "(Δ vs model as loaded)"
    } else {
        "(baseline pending)"
    };
    let title = format!(" {} {baseline}  ←→ {} ", SECTIONS[which], others.join(", "));
    let header_style = Style::new().add_modifier(Modifier::UNDERLINED);
    let table = match which {
        0 => Table::new(
            replicated(d)
                .into_iter()
                .chain(headline(d, base))
                .map(|(name, now)| Row::new(vec![name, now])),
            // Across replications the rows carry the longer headline labels.
            [
                Constraint::Length(if d.replications.is_some() { 44 } else { 30 }),
                Constraint::Min(10),
            ],
        )
        .header(Row::new(vec!["figure", "value (Δ)"]).style(header_style)),
        _ => {
            let pick = |x: &Digest| {
                if which == 1 {
                    x.segments.clone()
                } else {
                    x.profiles.clone()
                }
            };
            let first = if which == 1 { "segment" } else { "profile" };
            Table::new(
                group_rows(&pick(d), base.map(pick).as_deref()),
                [
                    Constraint::Length(16),
                    Constraint::Length(6),
                    Constraint::Length(14),
                    Constraint::Length(16),
                    Constraint::Length(14),
                    Constraint::Min(14),
                ],
            )
            .header(
                Row::new(vec![
                    first,
                    "users",
                    "blocked users",
                    "blocked min",
                    "p95 blocked",
                    "prompts/user-mo",
                ])
                .style(header_style),
            )
        }
    };
    frame.render_widget(table.block(Block::bordered().title(title)), area);
}

/// With replications, every headline figure as (label, mean ± CI half-width), then the
/// heading of the first replication's figures; nothing for a single run.
fn replicated(d: &Digest) -> Vec<(String, String)> {
    let Some(r) = &d.replications else {
        return Vec::new();
    };
    let mut rows = vec![(
        format!("across {} replications (95 % CI)", r.n),
        "mean ± half-width".to_string(),
    )];
    rows.extend(
        r.figures
            .iter()
            .map(|f| (format!("  {}", f.label), estimate(f.estimate.as_ref()))),
    );
    let seed = r.seeds.first().copied().unwrap_or(d.run.scenario.seed);
    rows.push((format!("replication 1 (seed {seed})"), String::new()));
    rows
}

/// Headline figures as (name, value with Δ): the report's headline table, then the
/// summary's requests and outages in detail.
fn headline(d: &Digest, base: Option<&Digest>) -> Vec<(String, String)> {
    let (s, b) = (&d.summary, base.map(|b| &b.summary));
    let fig = |f: &dyn Fn(&Summary) -> f64| versus(f(s), b.map(f));
    let mut rows: Vec<(String, String)> = METRICS
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let now = d.headline.values[i];
            let value = now.map_or(format_value(None), |v| {
                versus(v, base.and_then(|b| b.headline.values[i]))
            });
            (m.label.to_string(), value)
        })
        .collect();
    rows.push((
        "peak offered per minute".into(),
        fig(&|x| x.peak_offered_per_minute as f64),
    ));
    for label in ["ok", "backup", "429", "5xx", "timeout", "invalid_grant"] {
        let get = move |x: &Summary| x.token_requests.get(label).copied().unwrap_or(0) as f64;
        rows.push((format!("token requests {label}"), fig(&get)));
    }
    for (k, o) in s.outages.iter().enumerate() {
        let same = |x: &Summary| x.outages.get(k).filter(|p| p.name == o.name).cloned();
        let of = |f: &dyn Fn(&crate::metrics::summary::OutageImpact) -> f64| {
            versus(f(o), b.and_then(same).map(|p| f(&p)))
        };
        rows.push((
            format!("outage {}", o.name),
            format!(
                "{}, {} to {}",
                o.kind,
                o.start,
                same_day_time(&o.start, &o.end)
            ),
        ));
        rows.push(("  users blocked".into(), of(&|p| p.users_blocked as f64)));
        rows.push((
            "  blocked user-minutes".into(),
            of(&|p| p.blocked_user_minutes),
        ));
        rows.push(("  calls failed".into(), of(&|p| p.calls_failed as f64)));
        let recovery = o
            .recovery_minutes
            .map_or("not within the horizon".into(), |_| {
                of(&|p| p.recovery_minutes.map_or(f64::NAN, |m| m as f64))
            });
        rows.push(("  recovery minutes".into(), recovery));
        rows.push(("  peak load / capacity".into(), of(&|p| p.peak_load_ratio)));
        rows.push(("  served by backup".into(), of(&|p| p.backup_served as f64)));
    }
    if let Some(d) = &s.during_outages {
        let of = |f: &dyn Fn(&DuringOutages) -> f64| {
            versus(f(d), b.and_then(|x| x.during_outages.as_ref()).map(f))
        };
        rows.push(("during outages (union)".into(), String::new()));
        rows.push(("  users blocked".into(), of(&|d| d.users_blocked as f64)));
        rows.push((
            "  blocked user-minutes".into(),
            of(&|d| d.blocked_user_minutes),
        ));
        rows.push(("  calls failed".into(), of(&|d| d.calls_failed as f64)));
    }
    rows
}

fn group_rows<'a>(now: &[GroupRow], base: Option<&[GroupRow]>) -> Vec<Row<'a>> {
    now.iter()
        .map(|g| {
            let b = base.and_then(|rows| rows.iter().find(|r| r.name == g.name));
            let fig = |f: &dyn Fn(&GroupRow) -> f64| versus(f(g), b.map(f));
            Row::new(vec![
                g.name.clone(),
                fig(&|r| r.users as f64),
                fig(&|r| r.blocked_users as f64),
                fig(&|r| r.blocked_minutes),
                fig(&|r| r.blocked_p95.unwrap_or(0.0)),
                fig(&|r| r.prompts_per_user_month),
            ])
        })
        .collect()
}

/// `end` (`YYYY-MM-DDTHH:MM`) without its date when it is on the day `start` is.
fn same_day_time<'e>(start: &str, end: &'e str) -> &'e str {
    match (start.get(..11), end.get(..11), end.get(11..)) {
        (Some(a), Some(b), Some(time)) if a == b => time,
        _ => end,
    }
}
