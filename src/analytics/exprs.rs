//! The metrics as small named polars expressions, so every pipeline computes a figure
//! the same way.

use crate::metrics::schema::users as uc;
use polars::prelude::*;

/// The percentiles every distribution is summarised by, with their column names.
pub const PERCENTILES: [(&str, f64); 4] = crate::metrics::schema::percentiles::QUANTILES;

/// Column name of the maximum next to the percentiles.
pub const MAX: &str = crate::metrics::schema::percentiles::MAX;

/// A numeric column as `f64`.
pub fn num(name: &str) -> Expr {
    col(name).cast(DataType::Float64)
}

/// The `q` quantile of `values`, linearly interpolated between order statistics (the
/// value at rank `(n - 1) q`, Hyndman–Fan type 7), null when there are no values. The
/// one quantile rule: every percentile of `summary.json`, the report, sweeps and the
/// TUI is computed by this expression.
pub fn quantile(values: Expr, q: f64) -> Expr {
    values.quantile(lit(q), QuantileMethod::Linear)
}

/// p50, p90, p95, p99 and max of `values`, named `p50` … `max`.
pub fn distribution(values: Expr) -> Vec<Expr> {
    let mut out: Vec<Expr> = PERCENTILES
        .iter()
        .map(|(name, q)| quantile(values.clone(), *q).alias(*name))
        .collect();
    out.push(values.max().alias(MAX));
    out
}

/// The app was blocked: some time without a token, or a call that got none (the
/// recorder's `app_blocked`).
pub fn app_blocked() -> Expr {
    num(uc::MINUTES_BLOCKED)
        .gt(lit(0.0))
        .or(num(uc::CALLS_FAILED).gt(lit(0.0)))
}

/// The user had some app blocked (per-user rows, whose `calls_failed` is the user's).
pub fn user_blocked() -> Expr {
    num(uc::USER_MINUTES_BLOCKED)
        .gt(lit(0.0))
        .or(num(uc::CALLS_FAILED).gt(lit(0.0)))
}

/// Prompts per user per 30 days, from a prompt count over `users` users and a horizon
/// of `months` 30-day months.
pub fn per_user_month(prompts: Expr, users: Expr, months: f64) -> Expr {
    prompts.cast(DataType::Float64) / users.cast(DataType::Float64) / lit(months)
}

/// Whether a revocation row was under CAE: `true` or `1` in the `cae` column.
pub fn is_cae(column: &str) -> Expr {
    let text = col(column).cast(DataType::String);
    text.clone().eq(lit("true")).or(text.eq(lit("1")))
}

/// The row belongs to one of the scale units `units` (a `unit` column): one range test
/// per run of consecutive units, so an outage of every unit costs two comparisons a row
/// and keeps every row without a copy (a test per unit cost one per unit and row).
pub fn in_units(units: &[u32]) -> Expr {
    let mut sorted = units.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for u in sorted {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == u => *last = u,
            _ => runs.push((u, u)),
        }
    }
    let unit = || col(crate::metrics::schema::timeseries::UNIT);
    runs.into_iter()
        .map(|(first, last)| {
            unit()
                .gt_eq(lit(first as i64))
                .and(unit().lt_eq(lit(last as i64)))
        })
        .reduce(Expr::or)
        .unwrap_or(lit(false))
}

#[cfg(test)]
mod tests {
    use super::in_units;
    use polars::prelude::*;

    #[test]
    fn in_units_keeps_exactly_the_rows_of_the_units() {
        let units: Vec<i32> = (0..12).chain([3, 7, 11]).collect();
        let df = df!("unit" => &units).unwrap();
        for pick in [
            vec![],
            vec![5],
            vec![0, 1, 2, 3],
            vec![9, 2, 3, 4, 11, 2],
            vec![11],
        ] {
            let kept = df.clone().lazy().filter(in_units(&pick)).collect().unwrap();
            let want: Vec<i32> = units
                .iter()
                .copied()
                .filter(|u| pick.contains(&(*u as u32)))
                .collect();
            let got: Vec<i32> = kept
                .column("unit")
                .unwrap()
                .i32()
                .unwrap()
                .into_no_null_iter()
                .collect();
            assert_eq!(got, want, "{pick:?}");
        }
    }
}
