//! Breakdowns an architect asks for: blocked users and minutes, percentiles of blocked
//! minutes and prompts per user-month, by segment, sign-in method and scale unit (per
//! user) and by app, client profile and client type (per app).

use super::exprs::{self, num};
use super::{Result, RunTables, computing};
pub use crate::metrics::schema::breakdowns::*;
use crate::metrics::schema::users as uc;
use polars::prelude::*;

/// Dimensions whose rows are users (each user counted once).
pub const USER_DIMENSIONS: [&str; 3] = [uc::SEGMENT, uc::SIGN_IN, uc::UNIT];
/// Dimensions whose rows are apps (blocked minutes and percentiles are per app).
pub const APP_DIMENSIONS: [&str; 3] = [uc::APP, uc::PROFILE, uc::CLIENT];

/// One row per user: its unit, segment and sign-in method, its blocked minutes (any
/// app), failed calls and prompts (all apps) and number of apps.
pub fn per_user(tables: &RunTables) -> LazyFrame {
    tables
        .users
        .clone()
        .lazy()
        .group_by_stable([col(uc::USER)])
        .agg([
            col(uc::UNIT).first(),
            col(uc::SEGMENT).first(),
            col(uc::SIGN_IN).first(),
            num(uc::USER_MINUTES_BLOCKED).first(),
            num(uc::CALLS_FAILED).sum(),
            num(uc::PROMPTS_TOTAL).sum().alias(PROMPTS),
            len().alias(APPS),
        ])
}

/// The breakdown table: for each dimension and value, users, apps, blocked users,
/// blocked minutes with their p50/p95/max over blocked users (user dimensions) or
/// blocked apps (app dimensions), prompts and prompts per user-month. Collected once.
pub fn breakdowns(tables: &RunTables) -> Result<DataFrame> {
    let months = tables.months();
    let users = per_user(tables);
    let mut frames: Vec<LazyFrame> = USER_DIMENSIONS
        .iter()
        .map(|dim| {
            let blocked = num(uc::USER_MINUTES_BLOCKED).filter(exprs::user_blocked());
            group(
                users.clone(),
                dim,
                [
                    len().alias(USERS),
                    col(APPS).sum().alias(APPS),
                    exprs::user_blocked().sum().alias(BLOCKED_USERS),
                    num(uc::USER_MINUTES_BLOCKED).sum().alias(BLOCKED_MINUTES),
                    col(PROMPTS).sum().alias(PROMPTS),
                ],
                blocked,
                months,
            )
        })
        .collect();
    frames.extend(APP_DIMENSIONS.iter().map(|dim| {
        let blocked = num(uc::MINUTES_BLOCKED).filter(exprs::app_blocked());
        group(
            tables.users.clone().lazy(),
            dim,
            [
                col(uc::USER).n_unique().alias(USERS),
                len().alias(APPS),
                col(uc::USER)
                    .filter(exprs::app_blocked())
                    .n_unique()
                    .alias(BLOCKED_USERS),
                num(uc::MINUTES_BLOCKED).sum().alias(BLOCKED_MINUTES),
                num(uc::PROMPTS_TOTAL).sum().alias(PROMPTS),
            ],
            blocked,
            months,
        )
    }));
    let all = computing("the breakdowns", concat(frames, UnionArgs::default()))?;
    computing("the breakdowns", all.collect())
}

/// Column names of the blocked-minute percentiles of a group.
pub const BLOCKED_PERCENTILES: [(&str, f64); 2] = [(BLOCKED_P50, 0.5), (BLOCKED_P95, 0.95)];

/// Groups `frame` by `dim` with the shared columns `counts` (users, apps, blocked users,
/// blocked minutes, prompts), then percentiles of `blocked`; sorted by the value.
fn group(frame: LazyFrame, dim: &str, counts: [Expr; 5], blocked: Expr, months: f64) -> LazyFrame {
    let mut aggs: Vec<Expr> = counts.into_iter().collect();
    for (name, q) in BLOCKED_PERCENTILES {
        aggs.push(exprs::quantile(blocked.clone(), q).alias(name));
    }
    aggs.push(blocked.max().alias(BLOCKED_MAX));
    let mut columns = vec![
        lit(dim).alias(DIMENSION),
        col(dim).cast(DataType::String).alias(VALUE),
    ];
    columns.extend([USERS, APPS, BLOCKED_USERS].map(|c| col(c).cast(DataType::Int64)));
    columns.extend(
        [BLOCKED_MINUTES]
            .into_iter()
            .chain(BLOCKED_PERCENTILES.iter().map(|(n, _)| *n))
            .chain([BLOCKED_MAX, PROMPTS])
            .map(|c| col(c).cast(DataType::Float64)),
    );
    columns.push(
        exprs::per_user_month(col(PROMPTS), col(USERS), months).alias(PROMPTS_PER_USER_MONTH),
    );
    frame
        .group_by([col(dim)])
        .agg(aggs)
        .sort([dim], SortMultipleOptions::default())
        .select(columns)
}
