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
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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

/// Runs every variant (`load` builds its scenario from its overrides) on `threads`
/// plain threads, each variant single-threaded, so results do not depend on the
/// thread count; writes each run into `out/runs/<id>/` and returns the headlines in
/// grid order.
///
/// Not a rayon pool: reading a run back goes through polars, whose own pool a rayon
/// worker waits on by stealing further variants onto its stack, until a sweep of a
/// few hundred variants overflowed it (issue 17). A thread here takes the next
/// variant when it is done with one, so memory holds one run per thread.
pub fn run_variants(
    variants: &[Variant],
    load: &(dyn Fn(&[Override]) -> Result<Scenario, ModelError> + Sync),
    threads: usize,
    out: &Path,
    progress: &(dyn Fn(u64) -> bool + Sync),
) -> Result<Vec<Headline>, ReportError> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let one = |v: &Variant| -> Result<Headline, ReportError> {
        let run = RunResult::simulate(load(&v.sets)?, 1, progress)?;
        let dir = out.join("runs").join(&v.id);
        run.write_all(&dir).map_err(|source| ReportError::Write {
            file: dir.clone(),
            source,
        })?;
        drop(run);
        Ok(of_run(&dir)?)
    };
    let worker = || {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(v) = variants.get(i) else { break };
            let result = one(v);
            failed.fetch_or(result.is_err(), Ordering::Relaxed);
            done.push((i, result));
        }
        done
    };
    let mut done: Vec<(usize, Result<Headline, ReportError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.clamp(1, variants.len().max(1)))
            .map(|_| scope.spawn(worker))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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
