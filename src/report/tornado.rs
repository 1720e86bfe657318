//! The tornado chart of a sensitivity run: per parameter, the headline figure with the
//! parameter at its low and at its high end (the others at the model's value), as bars
//! from the model's own figure, widest swing on top.

use super::style::{AXIS, Chart, FONT, LABEL, colour, err, legend, note, titled};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One parameter's bar: label, figure at the low end, figure at the high end.
pub type Swing = (String, f64, f64);

/// The chart of one headline figure.
pub struct TornadoChart<'a> {
    /// The figure's label with unit.
    pub metric: &'a str,
    /// The figure of the model as it is.
    pub base: f64,
    /// One bar per parameter, widest swing first.
    pub bars: &'a [Swing],
}

impl Chart for TornadoChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = titled(root, &format!("Sensitivity of {}", self.metric))?;
        if self.bars.is_empty() {
            return note(&area, "no parameter moves this figure");
        }
        let n = self.bars.len();
        let values = self.bars.iter().flat_map(|b| [b.1, b.2]).chain([self.base]);
        let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo) * 0.08).max(1e-9);
        let labels: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(&area)
            .margin(15)
            .margin_right(40)
            .x_label_area_size(50)
            .y_label_area_size(380)
            .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(self.metric)
            .axis_desc_style((FONT, AXIS))
            .label_style((FONT, LABEL))
            .y_labels(n)
            .y_label_formatter(&|y| {
                let i = (n as f64 - 1.0 - y).round();
                if (y - y.round()).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .disable_y_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let (low, high) = (colour(0), colour(1));
        for (i, (_, at_low, at_high)) in self.bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            chart
                .draw_series([
                    Rectangle::new([(self.base, y - 0.35), (*at_low, y)], low.filled()),
                    Rectangle::new([(self.base, y), (*at_high, y + 0.35)], high.filled()),
                ])
                .map_err(err)?;
        }
        chart
            .draw_series([PathElement::new(
                [(self.base, -0.5), (self.base, n as f64 - 0.5)],
                BLACK.stroke_width(2),
            )])
            .map_err(err)?;
        let key = [
            ("parameter at its low end", low),
            ("parameter at its high end", high),
        ];
        for (text, c) in key {
            chart
                .draw_series([Rectangle::new([(lo, -0.5), (lo, -0.5)], c.filled())])
                .map_err(err)?
                .label(text)
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], c.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    }
}
