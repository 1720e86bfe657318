//! The Impact tab: headline figures, then per-segment and per-profile tables, each
//! figure with its difference from the baseline (the model as loaded). On a small
//! screen one section at a time (←→), on a large one all three.

use super::format::{estimate, versus};
use super::waiting;
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
                .chain(headline(&d.summary, base.map(|b| &b.summary)))
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
                    Constraint::Length(5),
                    Constraint::Length(12),
                    Constraint::Length(16),
                    Constraint::Length(10),
                    Constraint::Min(14),
                ],
            )
            .header(
                Row::new(vec![
                    first,
                    "apps",
                    "blocked apps",
                    "blocked min",
                    "prompts",
                    "429/5xx/t-out",
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

/// Headline figures as (name, value with Δ).
fn headline(s: &Summary, b: Option<&Summary>) -> Vec<(String, String)> {
    let fig = |f: &dyn Fn(&Summary) -> f64| versus(f(s), b.map(f));
    let mut rows = vec![
        ("users".to_string(), fig(&|x| x.users as f64)),
        (
            "users blocked at least once".into(),
            fig(&|x| x.blocked.users as f64),
        ),
        (
            "blocked user-minutes".into(),
            fig(&|x| x.blocked.user_minutes),
        ),
        (
            "calls that got no token".into(),
            fig(&|x| x.blocked.calls_failed as f64),
        ),
        (
            "prompts per user-month".into(),
            fig(&|x| x.prompts.per_user_month),
        ),
        (
            "peak offered per minute".into(),
            fig(&|x| x.peak_offered_per_minute as f64),
        ),
    ];
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
                g.apps.to_string(),
                fig(&|r| r.blocked_apps as f64),
                fig(&|r| r.blocked_minutes),
                fig(&|r| r.prompts as f64),
                fig(&|r| r.failed as f64),
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
