//! The Exposure tab: per event kind and attacker model, measure (a) — how long tokens of
//! a revoked session stay usable, without and with CAE — beside measure (b), the share
//! of sessions the event left alive; then the headline sentences of the run summary.

use super::waiting;
use crate::domain::exposure::Attacker;
use crate::metrics::exposure::ExposureStats;
use crate::metrics::units::{duration, percent};
use crate::tui::model::Model;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Paragraph, Row, Table, Wrap};

fn figure(s: &ExposureStats, p95: bool) -> String {
    let v = if p95 { s.p95_minutes } else { s.p50_minutes };
    v.map_or("-".to_string(), duration)
}

fn short(a: Attacker) -> &'static str {
    match a {
        Attacker::StolenAccessToken => "stolen AT",
        Attacker::Replay => "replay",
        Attacker::CompromisedDevice => "device",
    }
}

/// Draws the tab.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(d) = model.digest() else {
        frame.render_widget(waiting(model), area);
        return;
    };
    let e = &d.summary.exposure;
    let rows: Vec<Row> = e
        .by_event
        .iter()
        .flat_map(|ev| {
            ev.revoked.iter().map(move |t| {
                Row::new(vec![
                    ev.event.label().to_string(),
                    short(t.attacker).to_string(),
                    (t.non_cae.events + t.cae.events).to_string(),
                    figure(&t.non_cae, false),
                    figure(&t.non_cae, true),
                    figure(&t.cae, false),
                    figure(&t.cae, true),
                    ev.left_alive.share.map_or("-".into(), percent),
                ])
            })
        })
        .collect();
    let height = (rows.len() as u16 + 3).min(area.height.saturating_sub(6).max(4));
    let [table_area, note] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
    let table = Table::new(
        rows,
        [
            Constraint::Max(30),
            Constraint::Length(9),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Min(5),
        ],
    )
    .header(
        Row::new(vec![
            "event", "attacker", "revoked", "p50", "p95", "CAE p50", "CAE p95", "alive",
        ])
        .style(Style::new().add_modifier(Modifier::UNDERLINED)),
    )
    .block(
        Block::bordered()
            .title(" exposure: (a) revoked sessions, without and with CAE | (b) share left alive "),
    );
    frame.render_widget(table, table_area);
    let text = if e.by_event.is_empty() {
        "no revocation events in this scenario: exposure is measured from password changes, resets and \
         revocations, and this model has none."
            .to_string()
    } else {
        let mut t = e.headlines.join("\n");
        t += "\n\nattackers: ";
        t += &Attacker::ALL
            .iter()
            .map(|a| format!("{} = {}", short(*a), a.description()))
            .collect::<Vec<_>>()
            .join("; ");
        t
    };
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::bordered()),
        note,
    );
}
