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

/// The row belongs to one of the scale units `units` (a `unit` column).
pub fn in_units(units: &[u32]) -> Expr {
    units
        .iter()
        .map(|u| col(crate::metrics::schema::timeseries::UNIT).eq(lit(*u as i64)))
        .reduce(Expr::or)
        .unwrap_or(lit(false))
}
