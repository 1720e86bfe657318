//! Headline figures across replications and paired comparisons, built on
//! [`crate::metrics::stats`]: the `replications` object of `summary.json`, its lines in
//! the `run` printout and `report.md`, and the sample-size advice.

use super::headline::{Headline, METRICS, format_value};
use super::table::Table;
use crate::metrics::stats::{Estimate, Figure, METHOD, PRECISION, Replications};

/// The samples of metric `i` over `headlines`.
pub fn samples(headlines: &[Headline], i: usize) -> Vec<Option<f64>> {
    headlines.iter().map(|h| h.values[i]).collect()
}

/// Every headline figure across the replications (`headlines[r]` ran with `seeds[r]`).
pub fn replications(headlines: &[Headline], seeds: &[u64]) -> Replications {
    Replications {
        n: headlines.len(),
        seeds: seeds.to_vec(),
        method: METHOD.into(),
        figures: METRICS
            .iter()
            .enumerate()
            .map(|(i, m)| Figure {
                metric: m.key.into(),
                label: m.label.into(),
                estimate: Estimate::of(&samples(headlines, i)),
            })
            .collect(),
    }
}

/// `mean ± half-width (95 % CI low to high)`, or NA.
pub fn text(e: Option<&Estimate>) -> String {
    e.map_or("NA".into(), |e| e.text(|x| format_value(Some(x))))
}

/// The table of figures: metric, mean, 95 % CI, sd, replications.
pub fn table(r: &Replications) -> Table {
    let rows = r
        .figures
        .iter()
        .map(|f| match &f.estimate {
            Some(e) => vec![
                f.label.clone(),
                format_value(Some(e.mean)),
                if e.half_width.is_finite() {
                    format!(
                        "{} to {}",
                        format_value(Some(e.ci95_low)),
                        format_value(Some(e.ci95_high))
                    )
                } else {
                    "NA".into()
                },
                format_value(Some(e.sd)),
                e.n.to_string(),
            ],
            None => vec![
                f.label.clone(),
                "NA".into(),
                "NA".into(),
                "NA".into(),
                "0".into(),
            ],
        })
        .collect();
    Table {
        header: ["metric", "mean", "95 % CI", "sd", "replications"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// One sentence per figure whose CI half-width is over 10 % of its mean, with the
/// replications that would bring it under.
pub fn advice(r: &Replications) -> Vec<String> {
    r.figures
        .iter()
        .filter_map(|f| {
            let e = f.estimate.as_ref()?;
            let want = e.replications_for(PRECISION)?;
            let rel = e
                .relative_half_width()
                .filter(|x| x.is_finite())
                .map_or("unbounded".into(), |x| format!("{:.0} %", x * 100.0));
            Some(format!(
                "{}: the 95 % CI half-width is {rel} of the mean; about {want} replications would bring it under {:.0} %",
                f.label,
                PRECISION * 100.0
            ))
        })
        .collect()
}

/// The largest relative half-width over the figures with a nonzero mean (how far the
/// run is from a target precision); 0 when no figure has one.
pub fn worst_precision(r: &Replications) -> f64 {
    r.figures
        .iter()
        .filter_map(|f| f.estimate.as_ref()?.relative_half_width())
        .fold(0.0, f64::max)
}

/// A paired comparison: per metric, B − A replication by replication.
pub fn paired(a: &[Headline], b: &[Headline]) -> Vec<Option<Estimate>> {
    (0..METRICS.len())
        .map(|i| Estimate::paired(&samples(a, i), &samples(b, i)))
        .collect()
}

/// The paired table: metric, mean of A, mean of B, mean difference with its CI, and
/// whether the difference is distinguishable from zero at 95 %.
pub fn paired_table(a: &[Headline], b: &[Headline], names: (&str, &str)) -> Table {
    let rows = METRICS
        .iter()
        .enumerate()
        .zip(paired(a, b))
        .map(|((i, m), d)| {
            let mean = |h: &[Headline]| Estimate::of(&samples(h, i)).map(|e| e.mean);
            vec![
                m.label.to_string(),
                format_value(mean(a)),
                format_value(mean(b)),
                text(d.as_ref()),
                match d {
                    Some(d) if d.excludes_zero() => "yes".into(),
                    Some(_) => "no".into(),
                    None => "NA".into(),
                },
            ]
        })
        .collect();
    Table {
        header: vec![
            "metric".into(),
            format!("A: {} (mean)", names.0),
            format!("B: {} (mean)", names.1),
            "B − A (paired, 95 % CI)".into(),
            "distinguishable".into(),
        ],
        rows,
    }
}
