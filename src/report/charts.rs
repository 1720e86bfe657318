//! The run charts: load around an outage, blocked users by segment, CDFs, prompts.

use super::style::{
    self, AXIS, Chart, FONT, LABEL, OUTAGE_FILL, colour, count_axis, err, frame, legend, note,
    titled, top, y_title,
};
use crate::analytics::LoadSeries;
use chrono::NaiveDateTime;
use plotters::coord::Shift;
use plotters::coord::types::{RangedCoordf64, RangedCoordi64};
use plotters::prelude::*;

/// Formats a minute from the run start as calendar time.
/// The axes every time chart shares: minutes of the run (UTC clock ticks) against a count.
fn time_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    start: NaiveDateTime,
    (first, last): (i64, i64),
    ymax: f64,
    y_ticks: usize,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordi64, RangedCoordf64>>, String> {
    let mut chart = frame(area)
        .build_cartesian_2d(first..last, 0.0..ymax)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("time (UTC)")
        .axis_desc_style((FONT, AXIS))
        .label_style((FONT, LABEL))
        .x_labels(8)
        .x_label_formatter(&|m| clock(start, *m))
        .y_labels(y_ticks)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

fn clock(start: NaiveDateTime, minute: i64) -> String {
    (start + chrono::Duration::minutes(minute))
        .format("%a %d %H:%M")
        .to_string()
}

/// Offered and admitted load of the units an outage hit, with capacity and the outage
/// window shaded.
pub struct LoadChart<'a> {
    /// The series.
    pub series: &'a LoadSeries,
    /// Calendar start of the run.
    pub start: NaiveDateTime,
}

impl Chart for LoadChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = self.series;
        let (first, last) = match (s.minutes.first(), s.minutes.last()) {
            (Some(a), Some(b)) if b > a => (*a, *b),
            _ => return note(root, "no load data around this outage"),
        };
        let (ymax, y_ticks) = count_axis(
            s.offered
                .iter()
                .chain(&s.capacity)
                .cloned()
                .fold(0.0, f64::max),
        );
        let area = titled(
            root,
            &format!("Token-endpoint load around outage {}", s.name),
        )?;
        let mut chart = time_axes(&area, self.start, (first, last), ymax, y_ticks)?;
        let (o_start, o_end) = (s.outage.0.max(first), s.outage.1.min(last));
        chart
            .draw_series([Rectangle::new(
                [(o_start, 0.0), (o_end, ymax)],
                OUTAGE_FILL.filled(),
            )])
            .map_err(err)?
            .label("outage")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], OUTAGE_FILL.filled()));
        let lines: [(&str, &Vec<f64>, RGBColor, u32); 4] = [
            // Capacity first and thicker, so an admitted line at capacity stays visible on it.
            ("capacity", &s.capacity, BLACK, 5),
            ("offered", &s.offered, colour(1), 2),
            ("admitted by the primary", &s.admitted, colour(0), 2),
            ("served by backup", &s.backup, colour(2), 2),
        ];
        for (name, values, c, w) in lines {
            let points = s.minutes.iter().copied().zip(values.iter().copied());
            chart
                .draw_series(LineSeries::new(points, c.stroke_width(w)))
                .map_err(err)?
                .label(name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(3)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        y_title(&area, "token requests per minute")
    }
}

/// A figure per minute around an outage across replications: the mean line and its
/// 95 % CI as a band, the outage shaded.
pub struct BandChart<'a> {
    /// Title.
    pub title: String,
    /// Y-axis description with unit.
    pub y_desc: &'a str,
    /// Minutes of the points.
    pub minutes: &'a [i64],
    /// Mean, CI low and CI high per minute.
    pub band: &'a [Vec<f64>; 3],
    /// Replications behind the band.
    pub n: usize,
    /// Outage window in minutes.
    pub outage: (i64, i64),
    /// Calendar start of the run.
    pub start: NaiveDateTime,
}

impl Chart for BandChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (first, last) = match (self.minutes.first(), self.minutes.last()) {
            (Some(a), Some(b)) if b > a => (*a, *b),
            _ => return note(root, "no data around this outage"),
        };
        let [mean, lo, hi] = self.band;
        let (ymax, y_ticks) = count_axis(hi.iter().cloned().fold(0.0, f64::max));
        let area = titled(root, &self.title)?;
        let mut chart = time_axes(&area, self.start, (first, last), ymax, y_ticks)?;
        let (o_start, o_end) = (self.outage.0.max(first), self.outage.1.min(last));
        chart
            .draw_series([Rectangle::new(
                [(o_start, 0.0), (o_end, ymax)],
                OUTAGE_FILL.filled(),
            )])
            .map_err(err)?
            .label("outage")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], OUTAGE_FILL.filled()));
        let c = colour(0);
        let outline: Vec<(i64, f64)> = self
            .minutes
            .iter()
            .copied()
            .zip(hi.iter().copied())
            .chain(self.minutes.iter().copied().zip(lo.iter().copied()).rev())
            .collect();
        chart
            .draw_series([Polygon::new(outline, c.mix(0.3).filled())])
            .map_err(err)?
            .label(format!("95 % CI over {} replications", self.n))
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 18, y + 6)], c.mix(0.3).filled())
            });
        chart
            .draw_series(LineSeries::new(
                self.minutes.iter().copied().zip(mean.iter().copied()),
                c.stroke_width(2),
            ))
            .map_err(err)?
            .label("mean")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(3)));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        y_title(&area, self.y_desc)
    }
}

/// Blocked users per minute, one line per segment.
pub struct SegmentsChart<'a> {
    /// Minutes of the points.
    pub minutes: &'a [i64],
    /// Per segment: name and blocked users per minute.
    pub segments: &'a [(String, Vec<f64>)],
    /// Outage windows in minutes.
    pub outages: Vec<(i64, i64)>,
    /// Calendar start of the run.
    pub start: NaiveDateTime,
}

impl Chart for SegmentsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (first, last) = match (self.minutes.first(), self.minutes.last()) {
            (Some(a), Some(b)) if b > a => (*a, *b),
            _ => return note(root, "the run is shorter than two minutes"),
        };
        let max = self
            .segments
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0, f64::max);
        let (ymax, y_ticks) = count_axis(max);
        let area = titled(root, "Blocked users by segment")?;
        let mut chart = time_axes(&area, self.start, (first, last), ymax, y_ticks)?;
        for (k, &(a, b)) in self.outages.iter().enumerate() {
            let r = chart
                .draw_series([Rectangle::new(
                    [(a.max(first), 0.0), (b.min(last), ymax)],
                    OUTAGE_FILL.filled(),
                )])
                .map_err(err)?;
            if k == 0 {
                r.label("outage").legend(|(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 18, y + 6)], OUTAGE_FILL.filled())
                });
            }
        }
        for (i, (name, values)) in self.segments.iter().enumerate() {
            let c = colour(i);
            let points = self.minutes.iter().copied().zip(values.iter().copied());
            chart
                .draw_series(LineSeries::new(points, c.stroke_width(2)))
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(3)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        y_title(&area, "users with a blocked app")?;
        if max == 0.0 {
            note(root, "no user was blocked in this window")?;
        }
        Ok(())
    }
}

/// Empirical CDFs of one or more samples (ascending values).
pub struct CdfChart<'a> {
    /// Title.
    pub title: &'a str,
    /// X-axis description with unit.
    pub x_desc: &'a str,
    /// Y-axis description.
    pub y_desc: &'a str,
    /// Per sample: name and ascending values.
    pub samples: Vec<(String, &'a [f64])>,
    /// Shown instead when every sample is empty.
    pub empty: &'a str,
}

impl Chart for CdfChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let max = self
            .samples
            .iter()
            .filter_map(|(_, v)| v.last().copied())
            .fold(0.0, f64::max);
        let area = titled(root, self.title)?;
        let xmax = top(max);
        let mut chart = frame(&area)
            .build_cartesian_2d(0.0..xmax, 0.0..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc)
            .axis_desc_style((FONT, AXIS))
            .label_style((FONT, LABEL))
            .y_label_formatter(&|v| format!("{v:.0} %"))
            .x_label_formatter(&|v| style::tick(*v, xmax))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let mut drawn = false;
        for (i, (name, values)) in self.samples.iter().enumerate() {
            if values.is_empty() {
                continue;
            }
            drawn = true;
            let c = colour(i);
            let mut points = vec![(0.0, 0.0)];
            for (x, y) in style::cdf_points(values, 1000) {
                points.push((x, points.last().map_or(0.0, |p| p.1)));
                points.push((x, y));
            }
            chart
                .draw_series(LineSeries::new(points, c.stroke_width(3)))
                .map_err(err)?
                .label(format!("{name} (n = {})", values.len()))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(3)));
        }
        y_title(&area, self.y_desc)?;
        if !drawn {
            return note(root, self.empty);
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    }
}
