//! The validation chart of one app: silent token requests per user in each hour of
//! the week, logs against simulation.

use super::validate::AppComparison;
use crate::report::style::{
    self, AXIS, Chart, FONT, LABEL, colour, err, frame, legend, titled, top, y_title,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

struct HourChart<'a>(&'a AppComparison);

impl Chart for HourChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let a = self.0;
        let ymax = top(a
            .logs
            .per_hour
            .iter()
            .chain(&a.sim.per_hour)
            .cloned()
            .fold(0.0, f64::max));
        let area = titled(
            root,
            &format!(
                "{}: silent token requests by hour of the week ({})",
                a.app,
                a.verdict()
            ),
        )?;
        y_title(&area, "requests per user and hour")?;
        let days: Vec<i32> = (0..7).map(|d| d * 24).collect();
        let mut chart = frame(&area)
            .build_cartesian_2d((0i32..168i32).with_key_points(days), 0.0..ymax)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("hour of the week (UTC)")
            .axis_desc_style((FONT, AXIS))
            .label_style((FONT, LABEL))
            .x_label_formatter(&|h| {
                DAYS.get((*h / 24) as usize)
                    .map_or(String::new(), |d| format!("{d} {:02}:00", h % 24))
            })
            .y_label_formatter(&|v| format!("{v:.2}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (i, (label, values)) in [("logs", &a.logs.per_hour), ("simulated", &a.sim.per_hour)]
            .into_iter()
            .enumerate()
        {
            let c = colour(i);
            chart
                .draw_series(LineSeries::new(
                    values.iter().enumerate().map(|(h, v)| (h as i32, *v)),
                    c.stroke_width(2),
                ))
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], c.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// Writes `validate-<app>.png` and `.svg` into `dir`.
pub fn save(app: &AppComparison, dir: &Path) -> Result<(), String> {
    style::save(&HourChart(app), dir, &format!("validate-{}", app.app))
}
