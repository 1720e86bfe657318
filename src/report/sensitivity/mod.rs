//! Sensitivity of the headline figures to parameters whose values are not published:
//! a one-at-a-time design (each parameter at its low and high end, the others at the
//! model's value) and Morris elementary-effects screening (r trajectories on a 4-level
//! grid, step Δ = 2/3 of the range, each trajectory moving every parameter once, in a
//! random order; μ* = mean |effect|, σ = sd of the effects). Every design point is a
//! sweep variant, so the points run in parallel and byte-identically for any threads.

mod output;

pub use output::{DESIGN, EFFECTS, write};

use super::sweep::Variant;
use crate::analytics::{Headline, METRICS};
use crate::engine::{Purpose, Rng, SimDuration};
use crate::scenario::{ModelError, Override};

/// Levels of the Morris grid (0, 1/3, 2/3, 1) and the step between a point and its move.
const LEVELS: f64 = 4.0;
const DELTA: f64 = LEVELS / (2.0 * (LEVELS - 1.0));

/// A varied parameter: `key=lo..hi`, durations, shares or counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Dotted `--set` path.
    pub key: String,
    /// Low and high end, in the parameter's unit (milliseconds for durations).
    pub range: (f64, f64),
    /// What the values are, for writing them back.
    pub kind: Kind,
}

/// How a parameter's values are written in `--set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A duration, written exactly in its largest units (`1h30m`).
    Duration,
    /// An integer count.
    Count,
    /// A real number (a share, a rate).
    Real,
}

impl std::str::FromStr for Param {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "'{text}' is not key=lo..hi (e.g. platform.backup.switchover=30s..15m or platform.backup.capacity_share=0.1..1)"
            )
        };
        let (key, range) = text.split_once('=').ok_or_else(bad)?;
        let (lo, hi) = range.split_once("..").ok_or_else(bad)?;
        let (lo, hi) = (lo.trim(), hi.trim());
        let parsed = match (lo.parse::<SimDuration>(), hi.parse::<SimDuration>()) {
            (Ok(a), Ok(b)) => Some((a.as_millis() as f64, b.as_millis() as f64, Kind::Duration)),
            _ => match (lo.parse::<i64>(), hi.parse::<i64>()) {
                (Ok(a), Ok(b)) => Some((a as f64, b as f64, Kind::Count)),
                _ => lo
                    .parse::<f64>()
                    .ok()
                    .zip(hi.parse::<f64>().ok())
                    .map(|(a, b)| (a, b, Kind::Real)),
            },
        };
        let (lo, hi, kind) = parsed.ok_or_else(bad)?;
        if key.trim().is_empty() || lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
            return Err(format!("{}: low end must be below the high end", bad()));
        }
        Ok(Param {
            key: key.trim().into(),
            range: (lo, hi),
            kind,
        })
    }
}

impl Param {
    /// The value at `f` ∈ [0, 1] of the range, as a `--set` value.
    pub fn at(&self, f: f64) -> String {
        let v = self.range.0 + f * (self.range.1 - self.range.0);
        match self.kind {
            Kind::Duration => SimDuration(v.round() as u64).to_string(),
            Kind::Count => format!("{}", v.round() as i64),
            Kind::Real => format!("{v}"),
        }
    }

    fn set(&self, f: f64) -> Result<Override, ModelError> {
        format!("{}={}", self.key, self.at(f)).parse()
    }
}

/// One point of the design: which design, where, and its overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// `base`, `oat` or `morris`.
    pub design: &'static str,
    /// Morris trajectory (from 1), or 0.
    pub trajectory: usize,
    /// Position of each parameter in its range (0..1); `None` is the model's own value.
    pub levels: Vec<Option<f64>>,
    /// The parameter moved to reach this point from the previous one (Morris), or set
    /// (one-at-a-time).
    pub moved: Option<usize>,
}

/// The design: the model as it is, each parameter at its low and high end, then `r`
/// Morris trajectories drawn from `seed`.
pub fn design(params: &[Param], r: usize, seed: u64) -> Vec<Point> {
    let k = params.len();
    let mut points = vec![Point {
        design: "base",
        trajectory: 0,
        levels: vec![None; k],
        moved: None,
    }];
    for i in 0..k {
        for end in [0.0, 1.0] {
            let mut levels = vec![None; k];
            levels[i] = Some(end);
            points.push(Point {
                design: "oat",
                trajectory: 0,
                levels,
                moved: Some(i),
            });
        }
    }
    for t in 0..r {
        let mut rng = Rng::stream(seed, 0, t as u64, Purpose::Sensitivity);
        // Starts on the lower half of the grid so that a step of Δ stays inside it.
        let mut x: Vec<f64> = (0..k)
            .map(|_| rng.range_inclusive(0, (LEVELS as u64) / 2 - 1) as f64 / (LEVELS - 1.0))
            .collect();
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            order.swap(i, rng.range_inclusive(0, i as u64) as usize);
        }
        points.push(Point {
            design: "morris",
            trajectory: t + 1,
            levels: x.iter().map(|v| Some(*v)).collect(),
            moved: None,
        });
        for i in order {
            x[i] += DELTA;
            points.push(Point {
                design: "morris",
                trajectory: t + 1,
                levels: x.iter().map(|v| Some(*v)).collect(),
                moved: Some(i),
            });
        }
    }
    points
}

/// The design points as variants (`p001`, …) with their overrides.
pub fn variants(params: &[Param], points: &[Point]) -> Result<Vec<Variant>, ModelError> {
    let width = points.len().to_string().len().max(3);
    points
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let sets = params
                .iter()
                .zip(&p.levels)
                .filter_map(|(param, l)| l.map(|f| param.set(f)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Variant {
                id: format!("p{:0width$}", n + 1),
                label: sets
                    .iter()
                    .map(|s| s.text.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                sets,
            })
        })
        .collect()
}

/// One parameter's effect on one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    /// The metric at the parameter's low and high end, others at the model's value.
    pub oat: (Option<f64>, Option<f64>),
    /// Morris μ*: mean absolute elementary effect, per unit of the parameter's range.
    pub mu_star: Option<f64>,
    /// Morris σ: standard deviation of the elementary effects (interaction or
    /// non-linearity when large against μ*).
    pub sigma: Option<f64>,
}

/// `effects[param][metric]` from the headline of every design point.
pub fn effects(params: &[Param], points: &[Point], headlines: &[Headline]) -> Vec<Vec<Effect>> {
    (0..params.len())
        .map(|i| {
            (0..METRICS.len())
                .map(|m| {
                    let at = |end: f64| {
                        points
                            .iter()
                            .zip(headlines)
                            .find(|(p, _)| p.design == "oat" && p.levels[i] == Some(end))
                            .and_then(|(_, h)| h.values[m])
                    };
                    let ee: Vec<f64> = points
                        .windows(2)
                        .zip(headlines.windows(2))
                        .filter(|(p, _)| p[1].design == "morris" && p[1].moved == Some(i))
                        .filter_map(|(_, h)| Some((h[1].values[m]? - h[0].values[m]?) / DELTA))
                        .collect();
                    let n = ee.len() as f64;
                    let mean = ee.iter().sum::<f64>() / n;
                    Effect {
                        oat: (at(0.0), at(1.0)),
                        mu_star: (!ee.is_empty())
                            .then(|| ee.iter().map(|e| e.abs()).sum::<f64>() / n),
                        sigma: (ee.len() > 1).then(|| {
                            (ee.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                        }),
                    }
                })
                .collect()
        })
        .collect()
}

/// The parameters ordered by their influence on metric `m`: Morris μ*, then the
/// one-at-a-time swing; most influential first.
pub fn ranking(effects: &[Vec<Effect>], m: usize) -> Vec<usize> {
    let score = |i: usize| {
        let e = &effects[i][m];
        let swing = e.oat.0.zip(e.oat.1).map_or(0.0, |(a, b)| (b - a).abs());
        (e.mu_star.unwrap_or(0.0), swing)
    };
    let mut order: Vec<usize> = (0..effects.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (score(a), score(b));
        sb.0.total_cmp(&sa.0)
            .then(sb.1.total_cmp(&sa.1))
            .then(a.cmp(&b))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parse_durations_counts_and_shares() {
        let p: Param = "platform.backup.switchover=30s..15m".parse().unwrap();
        assert_eq!((p.range, p.kind), ((30_000.0, 900_000.0), Kind::Duration));
        assert_eq!(p.at(0.5), "7m45s");
        let c: Param = "platform.loop_detection=2..10".parse().unwrap();
        assert_eq!((c.kind, c.at(1.0 / 3.0)), (Kind::Count, "5".into()));
        let s: Param = "platform.backup.capacity_share=0.1..0.9".parse().unwrap();
        assert_eq!(s.kind, Kind::Real);
        for bad in ["x", "a=1", "a=5..1", "a=1h..x"] {
            assert!(bad.parse::<Param>().is_err(), "{bad}");
        }
    }

    #[test]
    fn each_trajectory_moves_every_parameter_once_by_delta_inside_the_range() {
        let params: Vec<Param> = ["a=0..1", "b=0..1", "c=0..1"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let points = design(&params, 5, 9);
        assert_eq!(points.len(), 1 + 2 * 3 + 5 * 4);
        for t in 1..=5 {
            let traj: Vec<&Point> = points.iter().filter(|p| p.trajectory == t).collect();
            let mut moved: Vec<usize> = traj.iter().filter_map(|p| p.moved).collect();
            moved.sort_unstable();
            assert_eq!(moved, [0, 1, 2]);
            for w in traj.windows(2) {
                let i = w[1].moved.unwrap();
                let (a, b) = (w[0].levels[i].unwrap(), w[1].levels[i].unwrap());
                assert!((b - a - DELTA).abs() < 1e-12 && (0.0..=1.0 + 1e-12).contains(&b));
            }
        }
        assert_eq!(design(&params, 5, 9), points);
    }
}
