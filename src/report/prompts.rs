//! Prompts per user-month by segment, stacked by cause.

use super::style::{
    AXIS, Chart, FONT, LABEL, colour, err, frame, legend, note, tick, titled, top, y_title,
};
use crate::domain::PromptCause;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Stacked bars: one per segment, one colour per prompt cause.
pub struct PromptsChart<'a> {
    /// Per segment: name and prompts per user-month for each of [`PromptCause::ALL`].
    pub segments: &'a [(String, Vec<f64>)],
}

impl Chart for PromptsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        // A segmented range `0..last` has one segment per value `0..=last`.
        let last = (self.segments.len() as i32 - 1).max(1);
        let max = self
            .segments
            .iter()
            .map(|(_, v)| v.iter().sum::<f64>())
            .fold(0.0, f64::max);
        let area = titled(
            root,
            "Interactive prompts per user-month, by segment and cause",
        )?;
        // Headroom above the tallest bar keeps the legend (upper right) off the bars.
        let ymax = top(max * 1.3);
        let mut chart = frame(&area)
            .build_cartesian_2d((0..last).into_segmented(), 0.0..ymax)
            .map_err(err)?;
        let names: Vec<&str> = self.segments.iter().map(|(s, _)| s.as_str()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("segment")
            .axis_desc_style((FONT, AXIS))
            .label_style((FONT, LABEL))
            .x_labels(names.len().max(1))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names
                    .get(*i as usize)
                    .map_or(String::new(), |s| s.to_string()),
                SegmentValue::Last => String::new(),
            })
            .y_label_formatter(&|v| tick(*v, ymax))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        for (c, cause) in PromptCause::ALL.iter().enumerate() {
            // Only the causes that occur get a bar series and a legend entry.
            if self.segments.iter().all(|(_, v)| v[c] == 0.0) {
                continue;
            }
            let fill = colour(c);
            let bars = self.segments.iter().enumerate().map(|(i, (_, v))| {
                let below: f64 = v[..c].iter().sum();
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i as i32), below),
                        (SegmentValue::Exact(i as i32 + 1), below + v[c]),
                    ],
                    fill.filled(),
                );
                bar.set_margin(0, 0, 25, 25);
                bar
            });
            chart
                .draw_series(bars)
                .map_err(err)?
                .label(cause.label().replace('_', " "))
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], fill.filled()));
        }
        if max > 0.0 {
            legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        y_title(&area, "prompts per user per 30 days")?;
        if max == 0.0 {
            note(root, "no interactive prompts in this run")?;
        }
        Ok(())
    }
}
