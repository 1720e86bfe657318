//! Policy sweeps: a grid of `--set` overrides (the cartesian product of the varied
//! values), every variant simulated on its own and in parallel, one `sweep.csv` row per
//! variant with the headline metrics, and the trade-off frontier.

use super::frontier::{FrontierChart, pareto};
use super::{ReportError, save};
use crate::analytics::headline::{format_value, metric_index};
use crate::analytics::replication::{samples, text};
use crate::analytics::{Headline, METRICS, Table};
use crate::metrics::atomic;
pub use crate::metrics::schema::sweep::*;
use crate::metrics::stats::{Estimate, METHOD};
use crate::scenario::{ModelError, Override, Scenario};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// File name of the sweep summary.
pub const SWEEP_MD: &str = "sweep.md";
/// File stem of the frontier chart.
pub const FRONTIER: &str = "frontier";

/// One varied key with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// Dotted `--set` path.
    pub key: String,
    /// Values, as written.
    pub values: Vec<String>,
}

impl std::str::FromStr for Vary {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (key, values) = text.split_once('=').ok_or_else(|| {
            format!("'{text}' is not key=v1,v2,… (e.g. policy.access_token.lifetime_max=1h,4h)")
        })?;
        let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
        if key.trim().is_empty() || values.iter().any(String::is_empty) {
            return Err(format!(
                "'{text}' has an empty key or value (use key=v1,v2,…)"
            ));
        }
        Ok(Vary {
            key: key.trim().into(),
            values,
        })
    }
}

/// One variant of the grid: its id and the values it takes, one per [`Vary`].
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// `v01`, `v02`, … in grid order.
    pub id: String,
    /// `key=value` overrides.
    pub sets: Vec<Override>,
    /// Short label for charts: last key component and value, joined by `, `.
    pub label: String,
}

/// The cartesian product of the varied values; the first `--vary` changes slowest. A
/// key varied twice is refused: the later override would win in the model while the
/// labels showed the earlier value.
pub fn grid(vary: &[Vary]) -> Result<Vec<Variant>, ModelError> {
    for (i, v) in vary.iter().enumerate() {
        if vary[..i].iter().any(|w| w.key == v.key) {
            return Err(ModelError::Override {
                text: format!("{}=…", v.key),
                message: format!(
                    "--vary gives '{}' twice; give all its values in one --vary {}=v1,v2,…",
                    v.key, v.key
                ),
            });
        }
    }
    let mut combos: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for v in vary {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                v.values.iter().map(move |value| {
                    let mut c = c.clone();
                    c.push((v.key.clone(), value.clone()));
                    c
                })
            })
            .collect();
    }
    let width = combos.len().to_string().len().max(2);
    combos
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let sets = c
                .iter()
                .map(|(k, v)| format!("{k}={v}").parse())
                .collect::<Result<Vec<Override>, _>>()?;
            let label = c
                .iter()
                .map(|(k, v)| format!("{}={v}", k.rsplit('.').next().unwrap_or(k)))
                .collect::<Vec<_>>()
                .join(", ");
            Ok(Variant {
                id: format!("v{:0width$}", i + 1),
                sets,
                label,
            })
        })
        .collect()
}

/// Loads every variant's model (`load` builds it from the overrides), so an invalid
/// variant fails the sweep before any runs; returns the largest variant and the
/// unit-days of all (for the progress bar). Scenarios are not kept: a sweep of tens of
/// thousands of variants holds one per running thread.
pub fn check_variants(
    variants: &[Variant],
    load: &(dyn Fn(&[Override]) -> Result<Scenario, ModelError> + Sync),
) -> Result<(Scenario, u64), ModelError> {
    let mut largest: Option<(Scenario, u64)> = None;
    let mut total = 0;
    for v in variants {
        let s = load(&v.sets)?;
        let bytes = crate::scenario::memory::estimate(&s).bytes;
        total += crate::sim::progress_total(&s);
        if largest.as_ref().is_none_or(|(_, b)| bytes > *b) {
            largest = Some((s, bytes));
        }
    }
    let (largest, _) = largest.ok_or_else(|| ModelError::Override {
        text: "--vary".into(),
        message: "the grid has no variants".into(),
    })?;
    Ok((largest, total))
}

/// Replication `r` of every variant, variant-major: the same overrides plus the seed
/// `seeds[r]` (replication 0 keeps the model's own seed and is the plain run); ids get
/// `-rNN`. With one seed the variants are returned unchanged.
pub fn replicas(variants: &[Variant], seeds: &[u64]) -> Result<Vec<Variant>, ModelError> {
    if seeds.len() == 1 {
        return Ok(variants.to_vec());
    }
    let mut out = Vec::with_capacity(variants.len() * seeds.len());
    for v in variants {
        for (r, seed) in seeds.iter().enumerate() {
            let mut sets = v.sets.clone();
            if r > 0 {
                sets.push(format!("scenario.seed={seed}").parse()?);
            }
            let id = match v.id.as_str() {
                "" => format!("r{:02}", r + 1),
                id => format!("{id}-r{:02}", r + 1),
            };
            out.push(Variant {
                id,
                sets,
                label: v.label.clone(),
            });
        }
    }
    Ok(out)
}

/// Writes `sweep.csv`, the frontier chart (`x`, `y` are metric keys) and `sweep.md`.
/// `runs[v]` are variant v's replications; with more than one, the points are means,
/// `sweep.csv` gains each metric's 95 % CI and the ids of the variants whose CIs
/// overlap on both axes, and the frontier draws error bars.
pub fn write(
    out: &Path,
    vary: &[Vary],
    variants: &[Variant],
    runs: &[Vec<Headline>],
    (x, y): (&str, &str),
) -> Result<PathBuf, ReportError> {
    let bad = |m: String| ReportError::Chart {
        chart: FRONTIER.into(),
        message: m,
    };
    let (xi, yi) = (metric_index(x).map_err(bad)?, metric_index(y).map_err(bad)?);
    let replicated = runs.iter().any(|r| r.len() > 1);
    let estimates: Vec<Vec<Option<Estimate>>> = runs
        .iter()
        .map(|r| {
            (0..METRICS.len())
                .map(|i| Estimate::of(&samples(r, i)))
                .collect()
        })
        .collect();
    let headlines: Vec<Headline> = estimates
        .iter()
        .map(|e| Headline {
            values: std::array::from_fn(|i| e[i].map(|e| e.mean)),
        })
        .collect();
    let points: Vec<(Option<f64>, Option<f64>)> = headlines
        .iter()
        .map(|h| (h.values[xi], h.values[yi]))
        .collect();
    let optimal = pareto(&points);
    let overlaps: Vec<String> = estimates
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let close = |j: usize| {
                let o = &estimates[j];
                j != i
                    && [xi, yi].iter().all(|&k| match (e[k], o[k]) {
                        (Some(a), Some(b)) => a.overlaps(&b),
                        _ => false,
                    })
            };
            let ids: Vec<&str> = (0..estimates.len())
                .filter(|&j| close(j))
                .map(|j| variants[j].id.as_str())
                .collect();
            ids.join(" ")
        })
        .collect();
    let mut csv = vec![VARIANT.to_string()];
    csv.extend(vary.iter().map(|v| v.key.clone()));
    csv.extend(METRICS.iter().map(|m| m.key.to_string()));
    csv.push(PARETO.into());
    if replicated {
        csv.push(REPLICATIONS.into());
        for m in METRICS {
            csv.push(format!("{}{CI95_LOW_SUFFIX}", m.key));
            csv.push(format!("{}{CI95_HIGH_SUFFIX}", m.key));
        }
        csv.push(OVERLAPS.into());
    }
    let mut text = csv.join(",") + "\n";
    let cell = |x: Option<f64>| {
        x.filter(|x| x.is_finite())
            .map_or(String::new(), |x| x.to_string())
    };
    for (k, (v, h)) in variants.iter().zip(&headlines).enumerate() {
        let mut row = vec![v.id.clone()];
        row.extend(
            v.sets
                .iter()
                .map(|s| csv_cell(&s.text[s.text.find('=').map_or(0, |i| i + 1)..])),
        );
        row.extend(h.values.iter().map(|x| cell(*x)));
        row.push(optimal[k].to_string());
        if replicated {
            row.push(runs[k].len().to_string());
            for e in &estimates[k] {
                row.push(cell(e.map(|e| e.ci95_low)));
                row.push(cell(e.map(|e| e.ci95_high)));
            }
            row.push(overlaps[k].clone());
        }
        text += &(row.join(",") + "\n");
    }
    let path = out.join(SWEEP_CSV);
    atomic::write_bytes(&path, text.as_bytes())
        .map_err(|source| ReportError::Write { file: path, source })?;
    let labels: Vec<String> = variants
        .iter()
        .map(|v| format!("{}: {}", v.id, v.label))
        .collect();
    let bars: Vec<Option<[f64; 4]>> = estimates
        .iter()
        .map(|e| {
            let (ex, ey) = (e[xi]?, e[yi]?);
            let b = [ex.ci95_low, ex.ci95_high, ey.ci95_low, ey.ci95_high];
            b.iter().all(|v| v.is_finite()).then_some(b)
        })
        .collect();
    let chart = FrontierChart {
        labels: &labels,
        points: &points,
        errors: if replicated { Some(&bars) } else { None },
        x_desc: METRICS[xi].label,
        y_desc: METRICS[yi].label,
    };
    save(&chart, out, FRONTIER)?;
    let n = runs.iter().map(Vec::len).max().unwrap_or(1);
    let md = markdown(variants, &estimates, &optimal, &overlaps, n, (xi, yi));
    let path = out.join(SWEEP_MD);
    atomic::write_bytes(&path, md.as_bytes()).map_err(|source| ReportError::Write {
        file: path.clone(),
        source,
    })?;
    Ok(path)
}

fn csv_cell(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

fn markdown(
    variants: &[Variant],
    estimates: &[Vec<Option<Estimate>>],
    optimal: &[bool],
    overlaps: &[String],
    n: usize,
    (xi, yi): (usize, usize),
) -> String {
    let mut out = format!(
        "# tokensim sweep\n\n{} variants. Frontier: {} against {}; Pareto-optimal variants (no other variant is lower on both) are marked.\n\n![frontier]({FRONTIER}.png)\n\n[SVG]({FRONTIER}.svg)\n\n",
        variants.len(),
        METRICS[xi].label,
        METRICS[yi].label
    );
    if n > 1 {
        let _ = writeln!(
            out,
            "Each variant ran {n} replications (the same seeds for every variant); values are the {}, and the error bars on the frontier are those CIs. The Pareto marking uses the means; variants whose CIs overlap on both axes are not distinguishable from each other and are listed in the last column.\n",
            METHOD
        );
    }
    let value = |e: Option<Estimate>| {
        if n > 1 {
            text(e.as_ref())
        } else {
            format_value(e.map(|e| e.mean))
        }
    };
    let mut header: Vec<String> = [
        "variant",
        "values",
        METRICS[xi].label,
        METRICS[yi].label,
        "users blocked during outages",
        "share of sessions the headline events leave alive",
        "Pareto-optimal",
    ]
    .map(String::from)
    .to_vec();
    if n > 1 {
        header.push("not distinguishable from".into());
    }
    let blocked = metric_index("outage_users_blocked").unwrap_or(0);
    let alive = metric_index("exposure_left_alive_share").unwrap_or(0);
    let table = Table {
        header,
        rows: variants
            .iter()
            .zip(estimates)
            .enumerate()
            .map(|(k, (v, e))| {
                let mut row = vec![
                    v.id.clone(),
                    v.label.clone(),
                    value(e[xi]),
                    value(e[yi]),
                    value(e[blocked]),
                    // Measure (b) beside the frontier's measure (a), never folded into it.
                    value(e[alive]),
                    if optimal[k] {
                        "yes".into()
                    } else {
                        String::new()
                    },
                ];
                if n > 1 {
                    row.push(overlaps[k].clone());
                }
                row
            })
            .collect(),
    };
    out += &table.markdown();
    out += "\nEvery variant's tables are in `runs/<variant>/`; `tokensim report runs/<variant>` renders its report and `tokensim compare runs/<a> runs/<b>` compares two.\n";
    out
}
