//! The User tab: the most affected users of the run, and the selected user's timeline of
//! sessions, token requests, prompts and blocked periods.

use super::format::count;
use super::waiting;
use crate::engine::SimTime;
use crate::scenario::Scenario;
use crate::tui::model::Model;
use crate::tui::trace::{TraceEvent, UserTrace, What};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

/// Draws the tab.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(d) = model.digest() else {
        frame.render_widget(waiting(model), area);
        return;
    };
    if d.worst.is_empty() {
        frame.render_widget(
            Paragraph::new("no user was blocked or prompted in this run").block(Block::bordered()),
            area,
        );
        return;
    }
    let list_width = if area.width >= 120 { 44 } else { 30 };
    let [list, detail] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(0)]).areas(area);
    let rows = d.worst.iter().map(|u| {
        Row::new(vec![
            u.user.to_string(),
            u.segment.clone(),
            count(u.blocked_minutes.round()),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(6),
            Constraint::Min(8),
            Constraint::Length(6),
        ],
    )
    .header(
        Row::new(vec!["user", "segment", "blk m"])
            .style(Style::new().add_modifier(Modifier::UNDERLINED)),
    )
    .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
    .highlight_symbol("▶")
    .block(Block::bordered().title(" most blocked ↑↓ "));
    let mut state = TableState::default().with_selected(Some(model.user.selected));
    frame.render_stateful_widget(table, list, &mut state);
    let selected = &d.worst[model.user.selected.min(d.worst.len() - 1)];
    let title = format!(
        " user {} ({}, unit {}): {} app-min blocked, {} prompts  PgUp/PgDn ",
        selected.user,
        selected.segment,
        selected.unit,
        count(selected.blocked_minutes.round()),
        selected.prompts
    );
    let text = match &model.user.trace {
        Some((_, trace)) if trace.user == selected.user => lines(
            &d.run.scenario,
            trace,
            model.user.scroll,
            detail.height.saturating_sub(2) as usize,
        ),
        _ => format!(
            "re-running unit {} to trace user {} …",
            selected.unit, selected.user
        ),
    };
    frame.render_widget(
        Paragraph::new(text).block(Block::bordered().title(title)),
        detail,
    );
}

/// The visible lines of a trace, from line `scroll`.
fn lines(scenario: &Scenario, trace: &UserTrace, scroll: usize, height: usize) -> String {
    let segment = scenario
        .segments
        .get(crate::scenario::population::segment_of(scenario, trace.user) as usize);
    let app_name = |e: &TraceEvent| match (e.slot, segment) {
        (Some(slot), Some(seg)) => seg.apps.get(slot as usize).map_or("?", |a| a.name.as_str()),
        _ => "session",
    };
    let mut out: Vec<String> = trace
        .events
        .iter()
        .map(|e| format!("{}  {:<12} {}", seconds(e.t), app_name(e), describe(e)))
        .collect();
    if trace.dropped > 0 {
        out.push(format!("… {} more events not kept", trace.dropped));
    }
    let from = scroll.min(out.len().saturating_sub(1));
    out[from..]
        .iter()
        .take(height)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

fn describe(e: &TraceEvent) -> String {
    match e.what {
        What::Session(to) => format!("active until {}", seconds(to)),
        What::Requests(outcome, 1) => format!("token request: {}", outcome.label()),
        What::Requests(outcome, n) => format!("{n} token requests: {}", outcome.label()),
        What::Prompt(cause) => format!("PROMPT: sign in ({})", cause.label()),
        What::Blocked(to) => format!(
            "BLOCKED until {} ({})",
            seconds(to),
            seconds(to).since(seconds(e.t))
        ),
    }
}

/// `t` to the whole second, for a shorter `d7 09:15:02`.
fn seconds(t: SimTime) -> SimTime {
    SimTime(t.as_millis() / 1000 * 1000)
}
