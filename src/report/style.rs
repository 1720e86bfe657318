//! Shared chart style (embedded DejaVu Sans, sizes, colours) and the writer that renders
//! one chart to PNG and SVG, each atomically.

use crate::metrics::atomic;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use std::path::Path;
use std::sync::Once;

/// Font family name the charts use (registered from the embedded DejaVu Sans).
pub const FONT: &str = "sans-serif";
/// Size of every chart, pixels.
pub const SIZE: (u32, u32) = (1200, 640);
/// Caption font size.
pub const CAPTION: u32 = 30;
/// Axis description font size.
pub const AXIS: u32 = 20;
/// Tick label and legend font size.
pub const LABEL: u32 = 17;
/// Series colours, colour-blind safe (Okabe–Ito).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(120, 120, 120),
];
/// Fill of outage windows.
pub const OUTAGE_FILL: RGBColor = RGBColor(250, 215, 215);

static FONTS: Once = Once::new();

/// Registers the embedded font once per process (no system fonts are needed).
pub fn register_fonts() {
    FONTS.call_once(|| {
        // The embedded DejaVu files are valid fonts, so registration cannot fail; if it
        // did, plotters would report a missing font when drawing, which we surface.
        let _ = register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A colour of the palette, cycling.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// Draws the chart on `root`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Turns a plotters error into text.
pub fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Renders `chart` to `<stem>.png` and `<stem>.svg` in `dir`.
pub fn save<C: Chart>(chart: &C, dir: &Path, stem: &str) -> Result<(), String> {
    register_fonts();
    let png = dir.join(format!("{stem}.png"));
    // The bitmap encoder picks the format from the extension, so the temporary name
    // keeps `.png` at the end.
    let tmp = dir.join(format!(".{stem}.tmp-{}.png", std::process::id()));
    let drawn = (|| {
        let root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        chart.draw(&root)?;
        root.present().map_err(err)
    })();
    match drawn.and_then(|()| std::fs::rename(&tmp, &png).map_err(err)) {
        Ok(()) => {}
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("{}: {e}", png.display()));
        }
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        chart.draw(&root)?;
        root.present().map_err(err)?;
    }
    let path = dir.join(format!("{stem}.svg"));
    atomic::write_bytes(&path, svg.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

/// Draws the chart title and returns the area below it.
pub fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.titled(title, (FONT, CAPTION)).map_err(err)
}

/// A chart builder with the margins and label areas every chart shares.
pub fn frame<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(20)
        .margin_top(45)
        .x_label_area_size(60)
        .y_label_area_size(90);
    builder
}

/// Draws `text` above the y axis of an area from [`titled`] (the y-axis description:
/// with the embedded font plotters cannot rotate it, so it sits above the axis).
pub fn y_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
) -> Result<(), String> {
    root.draw(&Text::new(
        text.to_string(),
        (20, 18),
        (FONT, AXIS).into_font().color(&BLACK),
    ))
    .map_err(err)
}

/// Draws the legend of `chart` at `position`.
pub fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FONT, LABEL))
        .draw()
        .map_err(err)
}

/// Draws a centred note (e.g. "no blocked users") in the middle of the chart.
pub fn note<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    let style = TextStyle::from((FONT, AXIS).into_font())
        .color(&RGBColor(90, 90, 90))
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
    root.draw(&Text::new(
        text.to_string(),
        (w as i32 / 2, h as i32 / 2),
        style,
    ))
    .map_err(err)
}

/// Upper bound of an axis showing values up to `max` (never empty, 5 % headroom).
pub fn top(max: f64) -> f64 {
    if max.is_finite() && max > 0.0 {
        max * 1.05
    } else {
        1.0
    }
}

/// A tick label of an axis from 0 to `top`, with as many decimals as about ten ticks
/// need to differ (`0.0004` on an axis to 0.002, `120` on one to 160).
pub fn tick(v: f64, top: f64) -> String {
    let step = top / 10.0;
    let decimals = if step.is_finite() && step > 0.0 {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    } else {
        0
    };
    format!("{v:.decimals$}")
}

/// Upper bound of an axis of counts up to `max` (at least 4, so small counts get whole
/// ticks), and the number of ticks that keeps them whole.
pub fn count_axis(max: f64) -> (f64, usize) {
    let top = top(max).max(4.0);
    (top, (top.floor() as usize + 1).min(11))
}

/// At most `n` points of the empirical CDF of ascending `values`, in percent.
pub fn cdf_points(values: &[f64], n: usize) -> Vec<(f64, f64)> {
    let len = values.len();
    if len == 0 {
        return Vec::new();
    }
    let steps = n.min(len).max(1);
    (0..=steps)
        .map(|i| (i * (len - 1)) / steps)
        .map(|i| (values[i], (i + 1) as f64 / len as f64 * 100.0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::tick;

    #[test]
    fn ticks_of_a_tiny_axis_were_all_zero() {
        // Prompts per user-month up to 0.0014 printed every tick as "0.00".
        let labels: Vec<String> = (0..=7).map(|k| tick(k as f64 * 0.0002, 0.0014)).collect();
        assert_eq!(labels[1], "0.0002");
        assert_eq!(
            labels
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            8
        );
        assert_eq!(tick(120.0, 160.0), "120");
        assert_eq!(tick(0.5, 1.0), "0.5");
    }
}
