//! Policy sweeps: a grid of `--set` overrides (the cartesian product of the varied
//! values), every variant simulated on its own and in parallel, one `sweep.csv` row per
//! variant with the headline metrics, and the trade-off frontier.

use super::frontier::{FrontierChart, pareto};
use super::{ReportError, save};
use crate::analytics::headline::{format_value, metric_index, of_run};
use crate::analytics::{Headline, METRICS, Table};
pub use crate::metrics::schema::sweep::*;
use crate::metrics::{RunResult, atomic};
use crate::scenario::{ModelError, Override, Scenario};
use crate::sim::RunError;
use rayon::prelude::*;
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

/// The cartesian product of the varied values; the first `--vary` changes slowest.
pub fn grid(vary: &[Vary]) -> Result<Vec<Variant>, ModelError> {
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

/// Runs every variant (`load` builds its scenario from its overrides) on a pool of
/// `threads` threads, each variant single-threaded so results do not depend on the
/// pool; writes each run into `runs/<id>/` and returns the headlines in grid order.
pub fn run_variants(
    variants: &[Variant],
    load: &(dyn Fn(&[Override]) -> Result<Scenario, ModelError> + Sync),
    threads: usize,
    runs: &Path,
    progress: &(dyn Fn(usize, &Scenario, u64) -> bool + Sync),
) -> Result<Vec<Headline>, ReportError> {
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::Threads { threads, source })?;
    pool.install(|| {
        variants
            .par_iter()
            .enumerate()
            .map(|(i, v)| {
                let scenario = load(&v.sets)?;
                let scenario_ref = scenario.clone();
                let run = RunResult::simulate(scenario, 1, &|n| progress(i, &scenario_ref, n))?;
                let dir = runs.join(&v.id);
                run.write_all(&dir).map_err(|source| ReportError::Write {
                    file: dir.clone(),
                    source,
                })?;
                Ok(of_run(&dir)?)
            })
            .collect()
    })
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
pub fn write(
    out: &Path,
    vary: &[Vary],
    variants: &[Variant],
    headlines: &[Headline],
    (x, y): (&str, &str),
) -> Result<PathBuf, ReportError> {
    let bad = |m: String| ReportError::Chart {
        chart: FRONTIER.into(),
        message: m,
    };
    let (xi, yi) = (metric_index(x).map_err(bad)?, metric_index(y).map_err(bad)?);
    let points: Vec<(Option<f64>, Option<f64>)> = headlines
        .iter()
        .map(|h| (h.values[xi], h.values[yi]))
        .collect();
    let optimal = pareto(&points);
    let mut csv = vec![VARIANT.to_string()];
    csv.extend(vary.iter().map(|v| v.key.clone()));
    csv.extend(METRICS.iter().map(|m| m.key.to_string()));
    csv.push(PARETO.into());
    let mut text = csv.join(",") + "\n";
    for ((v, h), p) in variants.iter().zip(headlines).zip(&optimal) {
        let mut row = vec![v.id.clone()];
        row.extend(
            v.sets
                .iter()
                .map(|s| csv_cell(&s.text[s.text.find('=').map_or(0, |i| i + 1)..])),
        );
        row.extend(
            h.values
                .iter()
                .map(|x| x.map_or(String::new(), |x| x.to_string())),
        );
        row.push(p.to_string());
        text += &(row.join(",") + "\n");
    }
    let path = out.join(SWEEP_CSV);
    atomic::write_bytes(&path, text.as_bytes())
        .map_err(|source| ReportError::Write { file: path, source })?;
    let labels: Vec<String> = variants
        .iter()
        .map(|v| format!("{}: {}", v.id, v.label))
        .collect();
    let chart = FrontierChart {
        labels: &labels,
        points: &points,
        x_desc: METRICS[xi].label,
        y_desc: METRICS[yi].label,
    };
    save(&chart, out, FRONTIER)?;
    let md = markdown(variants, headlines, &optimal, (xi, yi));
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
    headlines: &[Headline],
    optimal: &[bool],
    (xi, yi): (usize, usize),
) -> String {
    let mut out = format!(
        "# tokensim sweep\n\n{} variants. Frontier: {} against {}; Pareto-optimal variants (no other variant is lower on both) are marked.\n\n![frontier]({FRONTIER}.png)\n\n[SVG]({FRONTIER}.svg)\n\n",
        variants.len(),
        METRICS[xi].label,
        METRICS[yi].label
    );
    let table = Table {
        header: [
            "variant",
            "values",
            METRICS[xi].label,
            METRICS[yi].label,
            "users blocked during outages",
            "share of sessions the headline events leave alive",
            "Pareto-optimal",
        ]
        .map(String::from)
        .to_vec(),
        rows: variants
            .iter()
            .zip(headlines)
            .zip(optimal)
            .map(|((v, h), p)| {
                vec![
                    v.id.clone(),
                    v.label.clone(),
                    format_value(h.values[xi]),
                    format_value(h.values[yi]),
                    format_value(h.values[metric_index("outage_users_blocked").unwrap_or(0)]),
                    // Measure (b) beside the frontier's measure (a), never folded into it.
                    format_value(h.get("exposure_left_alive_share").ok().flatten()),
                    if *p { "yes".into() } else { String::new() },
                ]
            })
            .collect(),
    };
    out += &table.markdown();
    out += "\nEvery variant's tables are in `runs/<variant>/`; `tokensim report runs/<variant>` renders its report and `tokensim compare runs/<a> runs/<b>` compares two.\n";
    out
}
