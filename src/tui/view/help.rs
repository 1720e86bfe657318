//! The key map shown on `?`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// Every key, by where it works.
pub const KEYS: &[(&str, &str)] = &[
    ("Tab / 1-5", "next tab / tab by number"),
    ("?", "show or hide this key map"),
    ("q / Esc", "quit (the terminal is restored)"),
    ("s", "save the levers as a model file"),
    ("e", "export the run's outputs (tokensim run)"),
    ("n", "replications 1/3/5/10: Impact shows mean ± 95 % CI"),
    ("Levers ↑↓", "choose a lever"),
    ("Levers ←→ -+", "change it (re-runs at once)"),
    ("Levers r / R", "reset the lever / all levers"),
    ("Timeline ←→", "move the cursor; [ ] by a minute"),
    ("Timeline z Z", "zoom in / out; o next outage"),
    ("Impact ←→", "headline / segments / profiles"),
    ("User ↑↓", "choose a user; PgUp/PgDn scroll"),
];

/// Draws the key map over `area`.
pub fn draw(frame: &mut Frame, area: Rect) {
    let height = (KEYS.len() as u16 + 2).min(area.height);
    let popup = area.centered(
        Constraint::Length(56.min(area.width)),
        Constraint::Length(height),
    );
    let lines: Vec<String> = KEYS
        .iter()
        .map(|(k, what)| format!("{k:<14} {what}"))
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines.join("\n"))
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" keys (any key closes) ")),
        popup,
    );
}
