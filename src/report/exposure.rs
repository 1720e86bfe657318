//! The exposure chart: one horizontal bar per event kind and attacker model, split by
//! how long the attacker's tokens stay usable after the event ("cut within 15 min" …
//! "over 1 day"), then the sessions the event left alive and those that give the
//! attacker nothing. Shares, not a time axis, so a 90-day tail cannot flatten the rest.

use super::style::{AXIS, Chart, FONT, LABEL, err, note, titled};
use crate::analytics::exposure::{BANDS, Bar};
use crate::domain::exposure::Attacker;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Band colours: blues for short tails, oranges for long ones, grey-violet for the
/// sessions left alive, green for nothing usable.
const BAND_COLOURS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(230, 159, 0),
    RGBColor(213, 94, 0),
    RGBColor(150, 110, 160),
    RGBColor(0, 158, 115),
];

/// The split chart of the headline event kinds.
pub struct ExposureChart<'a> {
    /// Bars, grouped by event kind in order.
    pub bars: &'a [Bar],
}

fn short(a: Attacker) -> &'static str {
    match a {
        Attacker::StolenAccessToken => "stolen access token",
        Attacker::Replay => "replayed refresh token",
        Attacker::CompromisedDevice => "compromised device",
    }
}

impl Chart for ExposureChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = titled(
            root,
            "After each event: how long an attacker's tokens stay usable",
        )?;
        if self.bars.is_empty() {
            return note(&area, "no revocation events in this run");
        }
        let (w, _) = area.dim_in_pixel();
        let (plot, key) = area.split_horizontally(w as i32 - 300);
        let n = self.bars.len();
        let labels: Vec<String> = self
            .bars
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let first = i == 0 || self.bars[i - 1].event != b.event;
                let event = if first { b.event.as_str() } else { "" };
                format!("{event}  {} ({})", short(b.attacker), b.rows)
            })
            .collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(15)
            .margin_top(20)
            .x_label_area_size(50)
            .y_label_area_size(470)
            .build_cartesian_2d(0.0..100.0, -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("share of the apps of the users hit (%)")
            .axis_desc_style((FONT, AXIS))
            .label_style((FONT, LABEL))
            .x_labels(6)
            .x_label_formatter(&|v| format!("{v:.0} %"))
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
        for (i, bar) in self.bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let mut x = 0.0;
            for (k, share) in bar.shares.iter().enumerate() {
                let dx = share * 100.0;
                if dx > 0.0 {
                    chart
                        .draw_series([Rectangle::new(
                            [(x, y - 0.38), (x + dx, y + 0.38)],
                            BAND_COLOURS[k].filled(),
                        )])
                        .map_err(err)?;
                }
                x += dx;
            }
        }
        for (k, band) in BANDS.iter().enumerate() {
            let y = 60 + 44 * k as i32;
            key.draw(&Rectangle::new(
                [(10, y - 10), (32, y + 10)],
                BAND_COLOURS[k].filled(),
            ))
            .map_err(err)?;
            let (first, rest) = band.split_once(": ").unwrap_or((band, ""));
            key.draw(&Text::new(first.to_string(), (40, y - 8), (FONT, LABEL)))
                .map_err(err)?;
            if !rest.is_empty() {
                key.draw(&Text::new(rest.to_string(), (40, y + 10), (FONT, LABEL)))
                    .map_err(err)?;
            }
        }
        Ok(())
    }
}
