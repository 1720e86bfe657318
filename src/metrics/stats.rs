//! Figures across replications: the mean with a Student-t 95 % confidence interval
//! (n − 1 degrees of freedom), paired differences under common random numbers, and how
//! many replications would bring a wide interval under a target precision. The one
//! definition every output of replicated figures uses.

use serde::{Deserialize, Deserializer, Serialize};

/// The method, as stated in `summary.json` and the reports.
pub const METHOD: &str =
    "mean of the replications with a Student-t 95 % confidence interval, n − 1 degrees of freedom";

/// Relative half-width above which a figure is called imprecise (10 % of the mean).
pub const PRECISION: f64 = 0.10;

/// Two-sided 95 % Student-t quantiles t(0.975, df) for df = 1..=30.
const T975: [f64; 30] = [
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
    2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
    2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831,
    2.048407, 2.045230, 2.042272,
];

/// t(0.975, df): the table up to 30, then the Cornish–Fisher expansion around the
/// normal quantile (error below 1e-5 from df 30 on).
pub fn t975(df: usize) -> f64 {
    if (1..=T975.len()).contains(&df) {
        return T975[df - 1];
    }
    let z = 1.959_963_984_540_054_f64;
    let n = df.max(1) as f64;
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * n)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n)
}

/// The `replications` object of `summary.json`: the seeds and every headline figure
/// across them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replications {
    /// Replications run.
    pub n: usize,
    /// Base seed of each replication; the first is the run's own seed.
    pub seeds: Vec<u64>,
    /// How the intervals are computed ([`METHOD`]).
    pub method: String,
    /// One entry per headline figure, in table order.
    pub figures: Vec<Figure>,
}

/// One headline figure across replications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Metric key (the column name in `sweep.csv`).
    pub metric: String,
    /// Human label with its unit.
    pub label: String,
    /// The estimate; `null` when no replication had the figure.
    pub estimate: Option<Estimate>,
}

/// A figure over `n` replications: mean, sample standard deviation and the 95 % CI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Replications that had the figure.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 in the denominator); 0 for one replication.
    pub sd: f64,
    /// Lower end of the 95 % CI.
    #[serde(deserialize_with = "unbounded")]
    pub ci95_low: f64,
    /// Upper end of the 95 % CI.
    #[serde(deserialize_with = "unbounded")]
    pub ci95_high: f64,
    /// Half-width of the CI: t(0.975, n − 1) · sd / √n; infinite for one replication.
    #[serde(deserialize_with = "unbounded")]
    pub half_width: f64,
}

/// JSON has no infinity: serde_json writes it as `null`, read back as unbounded.
fn unbounded<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

impl Estimate {
    /// The estimate of the samples that are present; `None` when none are.
    pub fn of(samples: &[Option<f64>]) -> Option<Estimate> {
        let xs: Vec<f64> = samples.iter().flatten().copied().collect();
        let n = xs.len();
        if n == 0 {
            return None;
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let half_width = if n > 1 {
            t975(n - 1) * sd / (n as f64).sqrt()
        } else {
            f64::INFINITY
        };
        Some(Estimate {
            n,
            mean,
            sd,
            ci95_low: mean - half_width,
            ci95_high: mean + half_width,
            half_width,
        })
    }

    /// The paired differences `b − a`, replication by replication (a replication counts
    /// only when both have the figure).
    pub fn paired(a: &[Option<f64>], b: &[Option<f64>]) -> Option<Estimate> {
        let d: Vec<Option<f64>> = a
            .iter()
            .zip(b)
            .map(|(x, y)| x.zip(*y).map(|(x, y)| y - x))
            .collect();
        Estimate::of(&d)
    }

    /// True when the CI excludes zero (for a difference: distinguishable from no change).
    pub fn excludes_zero(&self) -> bool {
        self.ci95_low > 0.0 || self.ci95_high < 0.0
    }

    /// True when the two CIs share a point.
    pub fn overlaps(&self, other: &Estimate) -> bool {
        self.ci95_low <= other.ci95_high && other.ci95_low <= self.ci95_high
    }

    /// Half-width relative to |mean|; `None` for a zero mean (nothing to be relative to).
    pub fn relative_half_width(&self) -> Option<f64> {
        (self.mean != 0.0).then(|| self.half_width / self.mean.abs())
    }

    /// Replications needed for a half-width of at most `precision` × |mean|, when this
    /// one is wider: the half-width shrinks as 1/√n, so n · (now / wanted)², at least
    /// n + 1. `None` when the figure is precise enough or has a zero mean.
    pub fn replications_for(&self, precision: f64) -> Option<usize> {
        let rel = self.relative_half_width()?;
        if rel <= precision || self.n < 2 {
            return (self.n < 2).then_some(2);
        }
        let want = (self.n as f64 * (rel / precision).powi(2)).ceil() as usize;
        Some(want.max(self.n + 1))
    }

    /// `mean ± half-width` for text, with the number formatter of the table.
    pub fn text(&self, fmt: impl Fn(f64) -> String) -> String {
        if self.half_width.is_finite() {
            format!(
                "{} ± {} (95 % CI {} to {})",
                fmt(self.mean),
                fmt(self.half_width),
                fmt(self.ci95_low),
                fmt(self.ci95_high)
            )
        } else {
            fmt(self.mean)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_expansion_meets_the_table_at_thirty_degrees_of_freedom() {
        let z = 1.959_963_984_540_054_f64;
        let n = 30.0;
        let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
        let series = z
            + (z3 + z) / (4.0 * n)
            + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
            + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n);
        assert!((series - t975(30)).abs() < 1e-5, "{series}");
        // Known values: t(0.975, 60) = 2.000298, t(0.975, 120) = 1.979930.
        assert!((t975(60) - 2.000298).abs() < 1e-5, "{}", t975(60));
        assert!((t975(120) - 1.979930).abs() < 1e-5, "{}", t975(120));
        assert!(T975.windows(2).all(|w| w[0] > w[1]));
    }

    #[test]
    fn estimate_of_known_samples() {
        // 1, 2, 3, 4, 5: mean 3, sd √2.5, half-width t(4) · sd / √5.
        let e = Estimate::of(&[1.0, 2.0, 3.0, 4.0, 5.0].map(Some)).unwrap();
        assert_eq!(e.n, 5);
        assert!((e.mean - 3.0).abs() < 1e-12);
        assert!((e.sd - 2.5f64.sqrt()).abs() < 1e-12);
        let hw = 2.776445 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((e.half_width - hw).abs() < 1e-9);
        assert!((e.ci95_low - (3.0 - hw)).abs() < 1e-9);
        assert!(e.excludes_zero());
    }

    #[test]
    fn missing_samples_are_left_out_and_one_sample_has_no_interval() {
        assert_eq!(Estimate::of(&[None, None]), None);
        let one = Estimate::of(&[None, Some(4.0)]).unwrap();
        assert_eq!((one.n, one.mean, one.sd), (1, 4.0, 0.0));
        assert!(one.half_width.is_infinite());
        assert_eq!(one.replications_for(PRECISION), Some(2));
    }

    #[test]
    fn paired_identical_runs_are_not_distinguishable() {
        let a = [Some(10.0), Some(12.0), Some(11.0)];
        let d = Estimate::paired(&a, &a).unwrap();
        assert_eq!((d.mean, d.half_width), (0.0, 0.0));
        assert!(!d.excludes_zero());
        let b = [Some(20.0), Some(23.0), Some(21.5)];
        let d = Estimate::paired(&a, &b).unwrap();
        assert!(d.excludes_zero() && d.mean > 0.0);
    }

    #[test]
    fn replications_for_scales_with_the_square_of_the_width() {
        // Relative half-width 20 % with 5 replications → 4 × 5 = 20 for 10 %.
        let e = Estimate {
            n: 5,
            mean: 100.0,
            sd: 0.0,
            ci95_low: 80.0,
            ci95_high: 120.0,
            half_width: 20.0,
        };
        assert_eq!(e.replications_for(0.10), Some(20));
        assert_eq!(e.replications_for(0.25), None);
        assert!(e.overlaps(&Estimate {
            ci95_low: 119.0,
            ..e
        }));
        assert!(!e.overlaps(&Estimate {
            ci95_low: 121.0,
            ci95_high: 130.0,
            ..e
        }));
    }
}
