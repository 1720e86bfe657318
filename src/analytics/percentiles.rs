//! Distributions summarised by p50/p90/p95/p99/max: blocked minutes per blocked user,
//! prompts per user-month, and (when the run has revocations) exposure windows, all,
//! under CAE and without CAE.

use super::breakdown::{PROMPTS, per_user};
use super::exprs::{self, num};
use super::{Result, RunTables, computing};
pub use crate::metrics::schema::percentiles::*;
use crate::metrics::schema::{revocations as rc, users as uc};
use polars::prelude::*;

/// One row per distribution: `metric`, `n`, `p50`, `p90`, `p95`, `p99`, `max`.
pub fn percentiles(tables: &RunTables) -> Result<DataFrame> {
    let users = per_user(tables);
    let per_month = exprs::per_user_month(col(PROMPTS), lit(1.0), tables.months());
    let mut frames = vec![
        summarise(
            users.clone().filter(exprs::user_blocked()),
            num(uc::USER_MINUTES_BLOCKED),
            BLOCKED_PER_USER,
        ),
        summarise(users, per_month, PROMPTS_PER_USER_MONTH),
    ];
    if let Some(rev) = &tables.revocations {
        let rev = rev.clone().lazy();
        let cae = exprs::is_cae(rc::CAE);
        frames.push(summarise(rev.clone(), num(rc::EXPOSURE_MINUTES), EXPOSURE));
        frames.push(summarise(
            rev.clone().filter(cae.clone()),
            num(rc::EXPOSURE_MINUTES),
            EXPOSURE_CAE,
        ));
        frames.push(summarise(
            rev.filter(cae.not()),
            num(rc::EXPOSURE_MINUTES),
            EXPOSURE_NON_CAE,
        ));
    }
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

/// The exposure breakdown by CAE (`cae` = true/false), with event counts and
/// percentiles; `None` when the run has no `revocations.csv`.
pub fn exposure_by_cae(tables: &RunTables) -> Result<Option<DataFrame>> {
    let Some(rev) = &tables.revocations else {
        return Ok(None);
    };
    let mut aggs = vec![len().cast(DataType::Int64).alias(COUNT)];
    aggs.extend(exprs::distribution(num(rc::EXPOSURE_MINUTES)));
    let df = rev
        .clone()
        .lazy()
        .with_column(exprs::is_cae(rc::CAE).alias(rc::CAE))
        .group_by([col(rc::CAE)])
        .agg(aggs)
        .sort([rc::CAE], SortMultipleOptions::default())
        .collect();
    computing("the exposure by CAE", df).map(Some)
}
