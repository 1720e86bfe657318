//! The outputs of a sensitivity run: the effects table, the design matrix with every
//! point's headline (CSV and Parquet, for pandas and SALib), the tornado charts and
//! `report.md`.

use super::{Effect, Kind, Param, Point, effects, ranking};
use crate::analytics::headline::format_value;
use crate::analytics::table::write_columns;
use crate::analytics::{Headline, METRICS, Table};
use crate::report::tornado::{Swing, TornadoChart};
use crate::report::{ReportError, save};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// File stem of the effects table (CSV and Parquet).
pub const EFFECTS: &str = "sensitivity";
/// File stem of the design matrix with every point's headline (CSV and Parquet).
pub const DESIGN: &str = "design";

impl Param {
    /// The value at `f` in human units: minutes for durations.
    fn human(&self, f: f64) -> f64 {
        let v = self.range.0 + f * (self.range.1 - self.range.0);
        match self.kind {
            Kind::Duration => v / 60_000.0,
            Kind::Count => v.round(),
            Kind::Real => v,
        }
    }

    /// The column name of the parameter, with its unit.
    fn column(&self) -> String {
        match self.kind {
            Kind::Duration => format!("{} (min)", self.key),
            _ => self.key.clone(),
        }
    }
}

/// Writes `sensitivity.csv`/`.parquet` (per parameter and metric: the one-at-a-time
/// figures, Morris μ* and σ, the rank), `design.csv`/`.parquet` (every point's
/// parameter values and headline), a tornado chart per headline figure that some
/// parameter moves, and `report.md`; returns the path of `report.md`.
pub fn write(
    out: &Path,
    params: &[Param],
    points: &[Point],
    headlines: &[Headline],
    trajectories: usize,
) -> Result<PathBuf, ReportError> {
    let fx = effects(params, points, headlines);
    let ranks: Vec<Vec<usize>> = (0..METRICS.len()).map(|m| ranking(&fx, m)).collect();
    let mut text: [Vec<String>; 2] = Default::default();
    let mut nums: [Vec<Option<f64>>; 7] = Default::default();
    for (i, p) in params.iter().enumerate() {
        for (m, metric) in METRICS.iter().enumerate() {
            let e = fx[i][m];
            text[0].push(p.key.clone());
            text[1].push(metric.key.into());
            let row = [
                Some(p.human(0.0)),
                Some(p.human(1.0)),
                e.oat.0,
                e.oat.1,
                e.mu_star,
                e.sigma,
                Some((ranks[m].iter().position(|&r| r == i).unwrap_or(0) + 1) as f64),
            ];
            for (col, v) in nums.iter_mut().zip(row) {
                col.push(v);
            }
        }
    }
    let [params_col, metrics_col] = text;
    let names = [
        "low", "high", "at_low", "at_high", "mu_star", "sigma", "rank",
    ];
    let written = |r: crate::analytics::Result<()>, stem: &str| {
        r.map_err(|e| ReportError::Write {
            file: out.join(format!("{stem}.csv")),
            source: std::io::Error::other(format!("{e:#}")),
        })
    };
    written(
        write_columns(
            out,
            EFFECTS,
            vec![
                ("parameter".into(), params_col),
                ("metric".into(), metrics_col),
            ],
            names.iter().map(|n| n.to_string()).zip(nums).collect(),
        ),
        EFFECTS,
    )?;
    let mut numbers: Vec<(String, Vec<Option<f64>>)> = vec![(
        "trajectory".into(),
        points.iter().map(|p| Some(p.trajectory as f64)).collect(),
    )];
    numbers.extend(params.iter().enumerate().map(|(i, p)| {
        let values = points
            .iter()
            .map(|pt| pt.levels[i].map(|f| p.human(f)))
            .collect();
        (p.column(), values)
    }));
    numbers.extend(METRICS.iter().enumerate().map(|(m, metric)| {
        (
            metric.key.to_string(),
            headlines.iter().map(|h| h.values[m]).collect(),
        )
    }));
    let ids = (1..=points.len()).map(|n| n.to_string()).collect();
    let designs = points.iter().map(|p| p.design.to_string()).collect();
    let moved = points
        .iter()
        .map(|p| p.moved.map_or(String::new(), |i| params[i].key.clone()))
        .collect();
    written(
        write_columns(
            out,
            DESIGN,
            vec![
                ("point".into(), ids),
                ("design".into(), designs),
                ("moved".into(), moved),
            ],
            numbers,
        ),
        DESIGN,
    )?;
    let base = &headlines[0];
    let mut charts = Vec::new();
    for (m, metric) in METRICS.iter().enumerate() {
        let Some(b) = base.values[m] else { continue };
        let mut bars: Vec<Swing> = ranks[m]
            .iter()
            .filter_map(|&i| {
                let (lo, hi) = fx[i][m].oat;
                Some((params[i].key.clone(), lo?, hi?))
            })
            .filter(|(_, lo, hi)| *lo != b || *hi != b)
            .collect();
        bars.sort_by(|x, y| (y.2 - y.1).abs().total_cmp(&(x.2 - x.1).abs()));
        if bars.is_empty() {
            continue;
        }
        let stem = format!("tornado-{}", metric.key);
        save(
            &TornadoChart {
                metric: metric.label,
                base: b,
                bars: &bars,
            },
            out,
            &stem,
        )?;
        charts.push((m, stem));
    }
    let md = markdown(params, &fx, &ranks, &charts, points.len(), trajectories);
    let path = out.join(crate::report::REPORT_MD);
    crate::metrics::atomic::write_bytes(&path, md.as_bytes()).map_err(|source| {
        ReportError::Write {
            file: path.clone(),
            source,
        }
    })?;
    Ok(path)
}

fn markdown(
    params: &[Param],
    fx: &[Vec<Effect>],
    ranks: &[Vec<usize>],
    charts: &[(usize, String)],
    runs: usize,
    trajectories: usize,
) -> String {
    let mut out = format!(
        "# tokensim sensitivity\n\n{} parameters, {runs} runs: the model as it is, each parameter at its low and high end with the others at the model's value (one-at-a-time), and {trajectories} Morris trajectories (4-level grid, step 2/3 of each range, every parameter moved once per trajectory in a random order). μ* is the mean absolute elementary effect per whole range of the parameter (in the figure's unit), σ their standard deviation: σ large against μ* means the effect depends on the other parameters or is not linear.\n\n",
        params.len()
    );
    out += "## Which parameters move the answer most\n\n";
    for (m, metric) in METRICS.iter().enumerate() {
        let top: Vec<String> = ranks[m]
            .iter()
            .filter(|&&i| fx[i][m].mu_star.is_some_and(|v| v > 0.0))
            .take(3)
            .map(|&i| {
                format!(
                    "`{}` (μ* {})",
                    params[i].key,
                    format_value(fx[i][m].mu_star)
                )
            })
            .collect();
        if !top.is_empty() {
            let _ = writeln!(out, "- {}: {}", metric.label, top.join(", "));
        }
    }
    for (m, stem) in charts {
        let _ = writeln!(
            out,
            "\n## {}\n\n![tornado]({stem}.png)\n\n[SVG]({stem}.svg)\n",
            METRICS[*m].label
        );
        let table = Table {
            header: ["parameter", "range", "at low end", "at high end", "μ*", "σ"]
                .map(String::from)
                .to_vec(),
            rows: ranks[*m]
                .iter()
                .map(|&i| {
                    let (p, e) = (&params[i], fx[i][*m]);
                    vec![
                        p.key.clone(),
                        format!("{} to {}", p.at(0.0), p.at(1.0)),
                        format_value(e.oat.0),
                        format_value(e.oat.1),
                        format_value(e.mu_star),
                        format_value(e.sigma),
                    ]
                })
                .collect(),
        };
        out += &table.markdown();
    }
    out += "\nExports: `sensitivity.csv`/`.parquet` (per parameter and metric), `design.csv`/`.parquet` (the design matrix, durations in minutes, with every point's headline figures); `runs/pNNN/` holds every point's tables.\n";
    out
}
