//! `view`: draws a `&Model`, never changes it. A tab bar, the tab's body, a status line
//! with the run's progress, and the key map on `?`. Nothing relies on colour alone: the
//! selected tab is bracketed, selected rows carry `▶`, chart series have their own marks.

mod exposure;
mod format;
mod help;
mod impact;
mod levers;
mod timeline;
mod user;

use super::model::{Model, Tab};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Tabs};

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let [bar, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    tab_bar(model, frame, bar);
    match model.tab {
        Tab::Levers => levers::draw(model, frame, body),
        Tab::Timeline => timeline::draw(model, frame, body),
        Tab::Impact => impact::draw(model, frame, body),
        Tab::Exposure => exposure::draw(model, frame, body),
        Tab::User => user::draw(model, frame, body),
    }
    status_line(model, frame, status);
    if model.help {
        help::draw(frame, body);
    }
}

fn tab_bar(model: &Model, frame: &mut Frame, area: Rect) {
    let titles = Tab::ALL.iter().enumerate().map(|(i, t)| {
        if *t == model.tab {
            format!("[{} {}]", i + 1, t.title())
        } else {
            format!(" {} {} ", i + 1, t.title())
        }
    });
    let selected = Tab::ALL.iter().position(|t| *t == model.tab);
    let tabs = Tabs::new(titles)
        .select(selected)
        .highlight_style(Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED))
        .padding("", "")
        .divider("│");
    // The replications setting, when above one, stands before the scenario's name, in
    // the 24 columns the tabs leave at 80.
    let (name, width) = match model.replications {
        1 => (format!("{} ", model.scenario.name), 20),
        n => (format!("×{n} {} ", model.scenario.name), 24),
    };
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(width)]).areas(area);
    frame.render_widget(tabs, left);
    frame.render_widget(Paragraph::new(Line::from(name).right_aligned()), right);
}

fn status_line(model: &Model, frame: &mut Frame, area: Rect) {
    // The key hint keeps its place on the right; a long message is cut, not the hint.
    let gauge_width = if model.running.is_some() { 24 } else { 0 };
    let [text, keys, gauge] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(17),
        Constraint::Length(gauge_width),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(Span::raw(model.status.as_str()))),
        text,
    );
    frame.render_widget(Paragraph::new(" │ ? keys  q quit"), keys);
    if let Some(r) = model.running {
        let ratio = if r.total == 0 {
            0.0
        } else {
            (r.done as f64 / r.total as f64).clamp(0.0, 1.0)
        };
        let label = format!("run {} {:>3.0}%", r.generation, ratio * 100.0);
        frame.render_widget(
            Gauge::default()
                .ratio(ratio)
                .label(label)
                .gauge_style(Style::new().add_modifier(Modifier::REVERSED)),
            gauge,
        );
    }
}

/// The line shown in a tab that has nothing to show before the first run.
fn waiting(model: &Model) -> Paragraph<'static> {
    let text = match model.running {
        Some(r) => format!(
            "simulating run {} … the result appears here when it is done",
            r.generation
        ),
        None => "no result: the last run failed (see the status line)".to_string(),
    };
    Paragraph::new(text)
}

#[cfg(test)]
mod tests;
