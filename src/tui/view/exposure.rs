//! The Exposure tab: how long tokens stay usable after a revocation, CAE against
//! non-CAE apps, from the digest's exposure rows.

use super::format::count;
use super::waiting;
use crate::tui::model::Model;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Paragraph, Row, Table, Wrap};

/// Draws the tab.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(d) = model.digest() else {
        frame.render_widget(waiting(model), area);
        return;
    };
    let [table_area, note] =
        Layout::vertical([Constraint::Length(5), Constraint::Min(0)]).areas(area);
    let minutes = |p: Option<[f64; 3]>, i: usize| {
        p.map_or("-".to_string(), |p| format!("{} min", count(p[i])))
    };
    let rows = d.exposure.iter().map(|r| {
        Row::new(vec![
            r.group.to_string(),
            r.apps.to_string(),
            r.events.to_string(),
            minutes(r.percentiles, 0),
            minutes(r.percentiles, 1),
            minutes(r.percentiles, 2),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(9),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Min(10),
        ],
    )
    .header(
        Row::new(vec!["apps", "count", "events", "p50", "p95", "max"])
            .style(Style::new().add_modifier(Modifier::UNDERLINED)),
    )
    .block(Block::bordered().title(" revocation exposure: CAE vs non-CAE "));
    frame.render_widget(table, table_area);
    let text = if d.exposure.iter().all(|r| r.events == 0) {
        "no revocation events in this scenario: exposure is measured from password changes, resets and \
         revocations, and this model has none."
    } else {
        "exposure: time from a revocation event until the last token minted before it stops being \
         accepted. CAE apps (cp1, CAE-capable resource) are cut off within minutes; others keep \
         their access token until it expires."
    };
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::bordered()),
        note,
    );
}
