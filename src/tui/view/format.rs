//! Number formatting shared by the tabs: compact figures, differences from the baseline
//! and figures across replications.

use crate::analytics::headline::format_value;
use crate::metrics::stats::Estimate;

/// A count in at most six characters: `812`, `12.3k`, `4.1M`.
pub fn count(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.1}k", v / 1e3)
    } else if a.fract() == 0.0 || a >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// `value` with its difference from `base` in brackets: `812 (+40)`, `812 (=)`; just the
/// value while there is no baseline (or no finite one).
pub fn versus(value: f64, base: Option<f64>) -> String {
    match base.filter(|b| b.is_finite()) {
        None => count(value),
        Some(b) if (value - b).abs() < 1e-9 => format!("{} (=)", count(value)),
        Some(b) => {
            let d = value - b;
            let sign = if d > 0.0 { "+" } else { "-" };
            format!("{} ({sign}{})", count(value), count(d.abs()))
        }
    }
}

/// A figure across replications as `mean ± half-width` of its 95 % CI, with the
/// numbers as the `run` printout writes them; just the mean when one replication had it.
pub fn estimate(e: Option<&Estimate>) -> String {
    match e {
        None => "NA".into(),
        Some(e) if e.half_width.is_finite() => format!(
            "{} ± {}",
            format_value(Some(e.mean)),
            format_value(Some(e.half_width))
        ),
        Some(e) => format_value(Some(e.mean)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_counts_and_signed_differences() {
        assert_eq!(count(812.0), "812");
        assert_eq!(count(12_345.0), "12.3k");
        assert_eq!(count(0.25), "0.25");
        assert_eq!(versus(10.0, Some(4.0)), "10 (+6)");
        assert_eq!(versus(4.0, Some(10.0)), "4 (-6)");
        assert_eq!(versus(4.0, Some(4.0)), "4 (=)");
        assert_eq!(versus(4.0, None), "4");
    }

    #[test]
    fn estimates_show_mean_and_half_width_or_the_lone_mean() {
        let e = Estimate::of(&[Some(10.0), Some(12.0), Some(14.0)]).unwrap();
        // sd 2, half-width t(2) · 2 / √3 = 4.968.
        assert_eq!(estimate(Some(&e)), "12 ± 4.968");
        let one = Estimate::of(&[Some(0.5), None]).unwrap();
        assert_eq!(estimate(Some(&one)), "0.500");
        assert_eq!(estimate(None), "NA");
    }
}
