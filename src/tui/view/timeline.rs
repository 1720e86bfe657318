//! The Timeline tab: offered and admitted load against capacity, and blocked users, per
//! minute over a window around the cursor; outages shaded `░`; the cursor `│` and that
//! minute's figures below the charts.

use super::format::count;
use super::waiting;
use crate::scenario::Scenario;
use crate::tui::digest::Series;
use crate::tui::model::Model;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Wrap};

/// Most points per series; a bucket keeps its highest minute so peaks stay visible.
const MAX_POINTS: u64 = 240;

type Points = Vec<(f64, f64)>;

/// Draws the tab.
pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(d) = model.digest() else {
        frame.render_widget(waiting(model), area);
        return;
    };
    let [load, blocked, info] = Layout::vertical([
        Constraint::Percentage(55),
        Constraint::Min(4),
        Constraint::Length(4),
    ])
    .areas(area);
    let (from, to) = model.window();
    let s = &d.series;
    let scenario = &d.run.scenario;
    let cursor = model.timeline.cursor.clamp(from, to.saturating_sub(1));
    let pick = |col: &dyn Fn(usize) -> f64| sample(from, to, col);
    let offered = pick(&|m| s.offered[m] as f64);
    let admitted = pick(&|m| s.admitted[m] as f64);
    let capacity = pick(&|m| s.capacity[m]);
    let w = Window {
        from,
        to,
        cursor,
        scenario,
    };
    chart(
        frame,
        load,
        " load per minute: ⠿ offered  • admitted  ─ capacity  ░ outage  │ cursor ",
        &[
            (
                &capacity,
                Marker::Custom('─'),
                GraphType::Line,
                Color::Yellow,
            ),
            (&admitted, Marker::Dot, GraphType::Scatter, Color::Green),
            (&offered, Marker::Braille, GraphType::Line, Color::Cyan),
        ],
        &w,
    );
    let blocked_users = pick(&|m| s.blocked[m] as f64);
    chart(
        frame,
        blocked,
        " users blocked: ⠿ blocked  ░ outage  │ cursor ",
        &[(&blocked_users, Marker::Braille, GraphType::Line, Color::Red)],
        &w,
    );
    frame.render_widget(
        Paragraph::new(minute_figures(scenario, s, cursor))
            .wrap(Wrap { trim: true })
            .block(
                Block::bordered()
                    .title(" cursor: ←→ move, [ ] one minute, z Z zoom, o next outage "),
            ),
        info,
    );
}

/// The minutes both charts show, the cursor, and the outages to shade.
struct Window<'s> {
    from: u64,
    to: u64,
    cursor: u64,
    scenario: &'s Scenario,
}

fn sample(from: u64, to: u64, col: &dyn Fn(usize) -> f64) -> Points {
    let bucket = (to - from).div_ceil(MAX_POINTS).max(1);
    (from..to)
        .step_by(bucket as usize)
        .map(|start| {
            let end = (start + bucket).min(to);
            let v = (start..end).map(|m| col(m as usize)).fold(0.0, f64::max);
            (start as f64, v)
        })
        .collect()
}

/// The top of the y axis: a tenth above the highest point.
fn peak(specs: &[Spec]) -> f64 {
    specs
        .iter()
        .flat_map(|s| s.0.iter().map(|(_, y)| *y))
        .fold(1.0, f64::max)
        * 1.1
}

/// A series to plot: its points, its mark, how it is drawn, and a colour for terminals that have one.
type Spec<'p> = (&'p Points, Marker, GraphType, Color);

fn series<'a>((data, marker, kind, color): &Spec<'a>) -> Dataset<'a> {
    let (marker, kind, color) = (*marker, *kind, *color);
    Dataset::default()
        .data(data)
        .marker(marker)
        .graph_type(kind)
        .style(Style::new().fg(color))
}

fn chart(frame: &mut Frame, area: Rect, title: &str, specs: &[Spec], f: &Window) {
    let top = peak(specs);
    let shade: Points = (f.from..f.to)
        .step_by(((f.to - f.from).div_ceil(MAX_POINTS * 2)).max(1) as usize)
        .filter(|m| outage_at(f.scenario, *m).is_some())
        .map(|m| (m as f64, top))
        .collect();
    let cursor: Points = vec![(f.cursor as f64, 0.0), (f.cursor as f64, top)];
    let mut data = vec![series(&(
        &shade,
        Marker::Custom('░'),
        GraphType::Bar,
        Color::DarkGray,
    ))];
    data.extend(specs.iter().map(series));
    data.push(series(&(
        &cursor,
        Marker::Custom('│'),
        GraphType::Line,
        Color::White,
    )));
    let mid = (f.from + f.to) / 2;
    let x = Axis::default()
        .bounds([f.from as f64, f.to as f64])
        .labels([clock(f.from), clock(mid), clock(f.to)]);
    let y = Axis::default()
        .bounds([0.0, top])
        .labels([String::from("0"), count(top / 1.1)]);
    frame.render_widget(
        Chart::new(data)
            .x_axis(x)
            .y_axis(y)
            .legend_position(None)
            .block(Block::bordered().title(title.to_string())),
        area,
    );
}

/// `d7 09:15`: day index from the start and time of day.
fn clock(minute: u64) -> String {
    format!(
        "d{} {:02}:{:02}",
        minute / 1440,
        minute % 1440 / 60,
        minute % 60
    )
}

/// The name of an outage under way at `minute`.
fn outage_at(scenario: &Scenario, minute: u64) -> Option<&str> {
    scenario
        .outages
        .iter()
        .find(|o| o.start.minute() <= minute && minute < o.end.as_millis().div_ceil(60_000))
        .map(|o| o.name.as_str())
}

fn minute_figures(scenario: &Scenario, s: &Series, m: u64) -> String {
    let i = m as usize;
    let when = scenario.start + chrono::Duration::minutes(m as i64);
    let outage = outage_at(scenario, m).map_or(String::new(), |n| format!(" OUTAGE {n}"));
    format!(
        "{} ({} UTC){outage} │ offered {} admitted {} capacity {} 429 {} failed {} backup {} │ active {} blocked {}",
        clock(m),
        when.format("%a %Y-%m-%d %H:%M"),
        s.offered[i],
        s.admitted[i],
        count(s.capacity[i].round()),
        s.shed[i],
        s.failed[i],
        s.backup[i],
        s.active[i],
        s.blocked[i],
    )
}
