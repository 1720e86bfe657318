//! Distributions summarised by p50/p90/p95/p99/max: blocked minutes per blocked user and
//! prompts per user-month (exposure has its own tables, [`super::exposure`]).

use super::breakdown::{PROMPTS, per_user};
use super::exprs::{self, num};
use super::{Result, RunTables, computing};
pub use crate::metrics::schema::percentiles::*;
use crate::metrics::schema::users as uc;
use polars::prelude::*;

/// One row per distribution: `metric`, `n`, `p50`, `p90`, `p95`, `p99`, `max`.
pub fn percentiles(tables: &RunTables) -> Result<DataFrame> {
    let users = per_user(tables);
    let per_month = exprs::per_user_month(col(PROMPTS), lit(1.0), tables.months());
    let frames = vec![
        summarise(
            users.clone().filter(exprs::user_blocked()),
            num(uc::USER_MINUTES_BLOCKED),
            BLOCKED_PER_USER,
        ),
        summarise(users, per_month, PROMPTS_PER_USER_MONTH),
    ];
    let all = computing("the percentiles", concat(frames, UnionArgs::default()))?;
    computing("the percentiles", all.collect())
}

fn summarise(frame: LazyFrame, values: Expr, metric: &str) -> LazyFrame {
    let mut aggs = vec![
        lit(metric).alias(METRIC),
        values.clone().count().cast(DataType::Int64).alias(COUNT),
    ];
    aggs.extend(
        exprs::distribution(values)
            .into_iter()
            .map(|e| e.cast(DataType::Float64)),
    );
    frame.select(aggs)
}
