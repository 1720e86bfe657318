//! The Levers tab: every lever with its value now and in the model as loaded (changed
//! ones marked `*`), the selected lever's help, and the client-profile mix.

use crate::domain::AppSpec;
use crate::domain::Profile;
use crate::scenario::Scenario;
use crate::tui::model::Model;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState, Wrap};

/// Draws the tab.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let [list, info] = Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
    let base = model.base.scenario();
    let rows = model.levers.iter().map(|lever| {
        let now = lever.value(&model.scenario).unwrap_or_else(|| "-".into());
        let was = lever.value(base).unwrap_or_else(|| "-".into());
        let mark = if now != was { "*" } else { " " };
        Row::new(vec![lever.label.clone(), format!("{mark}{now}"), was])
    });
    let wide = area.width >= 100;
    let widths = if wide {
        [
            Constraint::Length(40),
            Constraint::Length(26),
            Constraint::Min(10),
        ]
    } else {
        [
            Constraint::Length(30),
            Constraint::Length(22),
            Constraint::Min(8),
        ]
    };
    let table = Table::new(rows, widths)
        .header(
            Row::new(vec!["lever", " now (* changed)", "model"])
                .style(Style::new().add_modifier(Modifier::UNDERLINED)),
        )
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
        .highlight_symbol("▶ ")
        .block(Block::bordered().title(title(model.replications)));
    let mut state = TableState::default().with_selected(Some(model.lever));
    frame.render_stateful_widget(table, list, &mut state);
    let lever = &model.levers[model.lever];
    let text = format!(
        "{}\nclient-profile mix: {}; cp1 (CAE) apps: {:.0}%",
        lever.help,
        profile_mix(&model.scenario),
        100.0 * app_share(&model.scenario, |a| a.cp1)
    );
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(format!(" {} ", lever.path))),
        info,
    );
}

/// The list's title, with the replications setting when it is above one.
fn title(replications: usize) -> String {
    let keys = " levers: ↑↓ choose, ←→ change, r reset, R reset all ";
    match replications {
        1 => keys.into(),
        n => format!("{keys}│ ×{n} replications per run (n) "),
    }
}

/// Share of the users' apps on each client profile, largest first.
fn profile_mix(scenario: &Scenario) -> String {
    let mut shares: Vec<(Profile, f64)> = Profile::ALL
        .iter()
        .map(|p| (*p, app_share(scenario, |a| a.profile == *p)))
        .filter(|(_, s)| *s > 0.0)
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1));
    shares
        .iter()
        .map(|(p, s)| format!("{} {:.0}%", p.label(), 100.0 * s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Share of the users' apps (each segment weighted by its share of users) that `pick` keeps.
fn app_share(scenario: &Scenario, pick: impl Fn(&AppSpec) -> bool) -> f64 {
    let (mut kept, mut total) = (0.0, 0.0);
    for segment in &scenario.segments {
        for app in &segment.apps {
            total += segment.share;
            if pick(app) {
                kept += segment.share;
            }
        }
    }
    kept / f64::max(total, 1e-12)
}
