//! The trade-off frontier of a sweep: one point per variant on two headline metrics,
//! the Pareto-optimal variants (lower is better on both axes) marked and labelled.

use super::labels::{self, Label, Rect};
use super::style::{
    AXIS, Chart, FONT, LABEL, colour, err, frame, legend, note, titled, top, y_title,
};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Marks the points no other point beats: a point is dominated when another is at
/// least as low on both axes and lower on one. Points with a missing value are never
/// marked.
pub fn pareto(points: &[(Option<f64>, Option<f64>)]) -> Vec<bool> {
    let known: Vec<Option<(f64, f64)>> = points
        .iter()
        .map(|p| match p {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Some((*x, *y)),
            _ => None,
        })
        .collect();
    known
        .iter()
        .map(|p| {
            p.is_some_and(|(x, y)| {
                !known
                    .iter()
                    .flatten()
                    .any(|&(ox, oy)| ox <= x && oy <= y && (ox < x || oy < y))
            })
        })
        .collect()
}

/// A tick label with as many decimals as the axis range needs.
fn tick(v: f64, range: f64) -> String {
    if range >= 100.0 {
        format!("{v:.0}")
    } else if range >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The frontier chart.
pub struct FrontierChart<'a> {
    /// One label per variant (its varied values).
    pub labels: &'a [String],
    /// One point per variant.
    pub points: &'a [(Option<f64>, Option<f64>)],
    /// With replications: per variant its 95 % CIs `[x low, x high, y low, y high]`.
    pub errors: Option<&'a [Option<[f64; 4]>]>,
    /// X-axis description with unit.
    pub x_desc: &'a str,
    /// Y-axis description with unit.
    pub y_desc: &'a str,
}

impl Chart for FrontierChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let optimal = pareto(self.points);
        let known: Vec<(usize, f64, f64)> = self
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, p.0?, p.1?)))
            .collect();
        let bars: Vec<[f64; 4]> = self
            .errors
            .into_iter()
            .flatten()
            .flatten()
            .copied()
            .collect();
        let xmax = top(known
            .iter()
            .map(|p| p.1)
            .chain(bars.iter().map(|b| b[1]))
            .fold(0.0, f64::max));
        let ymax = top(known
            .iter()
            .map(|p| p.2)
            .chain(bars.iter().map(|b| b[3]))
            .fold(0.0, f64::max));
        let area = titled(
            root,
            "Trade-off frontier of the sweep (lower-left is better)",
        )?;
        let mut chart = frame(&area)
            .build_cartesian_2d(0.0..xmax * 1.15, 0.0..ymax * 1.3)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc)
            .axis_desc_style((FONT, AXIS))
            .label_style((FONT, LABEL))
            .x_label_formatter(&|v| tick(*v, xmax))
            .y_label_formatter(&|v| tick(*v, ymax))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(err)?;
        let grey = colour(6);
        let red = colour(5);
        if let Some(errors) = self.errors {
            let bar = |[x0, x1, y0, y1]: [f64; 4], (x, y): (f64, f64)| {
                [
                    PathElement::new([(x0, y), (x1, y)], BLACK.mix(0.7).stroke_width(2)),
                    PathElement::new([(x, y0), (x, y1)], BLACK.mix(0.7).stroke_width(2)),
                ]
            };
            chart
                .draw_series(
                    known
                        .iter()
                        .filter_map(|p| Some(bar(errors[p.0]?, (p.1, p.2))))
                        .flatten(),
                )
                .map_err(err)?
                .label("95 % CI across replications")
                .legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], BLACK.mix(0.7).stroke_width(2))
                });
        }
        chart
            .draw_series(
                known
                    .iter()
                    .filter(|p| !optimal[p.0])
                    .map(|p| Circle::new((p.1, p.2), 6, grey.stroke_width(2))),
            )
            .map_err(err)?
            .label("dominated variant")
            .legend(move |(x, y)| Circle::new((x + 9, y), 6, grey.stroke_width(2)));
        let mut front: Vec<&(usize, f64, f64)> = known.iter().filter(|p| optimal[p.0]).collect();
        front.sort_by(|a, b| a.1.total_cmp(&b.1));
        chart
            .draw_series(LineSeries::new(
                front.iter().map(|p| (p.1, p.2)),
                red.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(
                front
                    .iter()
                    .map(|p| Circle::new((p.1, p.2), 8, red.filled())),
            )
            .map_err(err)?
            .label("Pareto-optimal variant")
            .legend(move |(x, y)| Circle::new((x + 9, y), 7, red.filled()));
        // Variants on the same point share one label instead of overprinting.
        let mut labelled: Vec<((f64, f64), String)> = Vec::new();
        for p in &front {
            match labelled.iter_mut().find(|(at, _)| *at == (p.1, p.2)) {
                Some((_, text)) => {
                    let id = self.labels[p.0].split(':').next().unwrap_or_default();
                    text.push_str(&format!(" (same point: {id})"));
                }
                None => labelled.push(((p.1, p.2), self.labels[p.0].clone())),
            }
        }
        let style = TextStyle::from((FONT, LABEL - 2).into_font()).color(&BLACK);
        let px = |at: (f64, f64)| chart.backend_coord(&at);
        let mut data: Vec<Rect> = known
            .iter()
            .map(|p| Rect::around(px((p.1, p.2)), 8))
            .collect();
        for p in &known {
            if let Some([x0, x1, y0, y1]) = self.errors.and_then(|e| e[p.0]) {
                data.push(Rect::spanning(px((x0, p.2)), px((x1, p.2))));
                data.push(Rect::spanning(px((p.1, y0)), px((p.1, y1))));
            }
        }
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let plot = Rect(xs.start, ys.start, xs.end, ys.end);
        let boxes: Vec<Label> = labelled
            .iter()
            .map(|(at, text)| {
                let (w, h) = area.estimate_text_size(text, &style).map_err(err)?;
                Ok(Label {
                    anchor: px(*at),
                    size: (w as i32, h as i32),
                })
            })
            .collect::<Result<_, String>>()?;
        let offsets = labels::place(&boxes, &data, plot);
        chart
            .draw_series(
                labelled
                    .into_iter()
                    .zip(offsets)
                    .map(|((at, text), offset)| {
                        EmptyElement::at(at) + Text::new(text, offset, style.clone())
                    }),
            )
            .map_err(err)?;
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        y_title(&area, self.y_desc)?;
        if known.is_empty() {
            note(root, "no variant has values on both axes")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_exactly_the_undominated_points() {
        let p = |x: f64, y: f64| (Some(x), Some(y));
        let points = [
            p(1.0, 5.0),
            p(2.0, 2.0),
            p(5.0, 1.0),
            p(3.0, 3.0), // dominated by (2, 2)
            p(2.0, 2.0), // a tie is not domination
            (None, Some(0.0)),
            p(6.0, 1.0), // dominated by (5, 1): equal y, larger x
        ];
        assert_eq!(
            pareto(&points),
            [true, true, true, false, true, false, false]
        );
    }
}
