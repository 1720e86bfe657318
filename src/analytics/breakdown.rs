//! Breakdowns an architect asks for: blocked users and minutes, percentiles of blocked
//! minutes and prompts per user-month, by segment, sign-in method and scale unit (per
//! user) and by app, client profile and client type (per app).

use super::exprs::{self, num};
use super::{Result, RunTables, computing};
use crate::metrics::labels::Labels;
pub use crate::metrics::schema::breakdowns::*;
use crate::metrics::schema::users as uc;
use polars::prelude::*;

/// Dimensions whose rows are users (each user counted once).
pub const USER_DIMENSIONS: [&str; 3] = [uc::SEGMENT, uc::SIGN_IN, uc::UNIT];
/// Dimensions whose rows are apps (blocked minutes and percentiles are per app).
pub const APP_DIMENSIONS: [&str; 3] = [uc::APP, uc::PROFILE, uc::CLIENT];

/// One row per user: its unit, segment and sign-in method, its minutes wanted and
/// blocked (any app), failed calls and prompts (all apps) and number of apps.
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
            num(uc::MINUTES_WANTED).first(),
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
    let labels = Labels::of(&tables.scenario);
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
                &labels,
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
            &labels,
        )
    }));
    let all = computing("the breakdowns", concat(frames, UnionArgs::default()))?;
    computing("the breakdowns", all.collect())
}

/// Column names of the blocked-minute percentiles of a group.
pub const BLOCKED_PERCENTILES: [(&str, f64); 2] = [(BLOCKED_P50, 0.5), (BLOCKED_P95, 0.95)];

/// Groups `frame` by `dim` with the shared columns `counts` (users, apps, blocked users,
/// blocked minutes, prompts), then percentiles of `blocked`; sorted by the value (a
/// text column's codes sort as its names, which `labels` gives the result rows).
fn group(
    frame: LazyFrame,
    dim: &str,
    counts: [Expr; 5],
    blocked: Expr,
    months: f64,
    labels: &Labels,
) -> LazyFrame {
    let mut aggs: Vec<Expr> = counts.into_iter().collect();
    for (name, q) in BLOCKED_PERCENTILES {
        aggs.push(exprs::quantile(blocked.clone(), q).alias(name));
    }
    aggs.push(blocked.max().alias(BLOCKED_MAX));
    let mut columns = vec![lit(dim).alias(DIMENSION), labels.name(dim).alias(VALUE)];
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

/// One row of the breakdown table as plain values (for the TUI).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupRow {
    /// The dimension's value: segment name, profile label, ….
    pub name: String,
    /// Users in the group.
    pub users: u64,
    /// Apps in the group.
    pub apps: u64,
    /// Users of the group with a blocked app.
    pub blocked_users: u64,
    /// Blocked minutes: summed over users (user dimensions) or apps (app dimensions).
    pub blocked_minutes: f64,
    /// p95 blocked minutes of the group's blocked users (or apps); `None` when none was.
    pub blocked_p95: Option<f64>,
    /// Prompts per user-month.
    pub prompts_per_user_month: f64,
}

/// A user worth a look: among the most blocked.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// Global user id.
    pub user: u32,
    /// Scale unit.
    pub unit: u32,
    /// Segment name.
    pub segment: String,
    /// Minutes during which some app of the user was blocked.
    pub blocked_minutes: f64,
    /// Prompts, all apps.
    pub prompts: u64,
}

/// Typed reads of a small result frame's cells.
struct Cells(DataFrame);

impl Cells {
    const WHAT: &'static str = "a breakdown row";

    fn number(&self, column: &str, i: usize) -> Result<Option<f64>> {
        let c = computing(Self::WHAT, self.0.column(column))?;
        let c = computing(Self::WHAT, c.cast(&DataType::Float64))?;
        Ok(computing(Self::WHAT, c.f64())?.get(i))
    }

    fn count(&self, column: &str, i: usize) -> Result<u64> {
        Ok(self.number(column, i)?.unwrap_or(0.0) as u64)
    }

    fn text(&self, column: &str, i: usize) -> Result<String> {
        let c = computing(Self::WHAT, self.0.column(column))?;
        let c = computing(Self::WHAT, c.cast(&DataType::String))?;
        let s = computing(Self::WHAT, c.str())?;
        Ok(s.get(i).unwrap_or_default().to_string())
    }
}

/// The rows of `dimension` in the breakdown table `df`, by value.
pub fn rows(df: &DataFrame, dimension: &str) -> Result<Vec<GroupRow>> {
    let mine = df
        .clone()
        .lazy()
        .filter(col(DIMENSION).eq(lit(dimension)))
        .collect();
    let t = Cells(computing(Cells::WHAT, mine)?);
    (0..t.0.height())
        .map(|i| {
            Ok(GroupRow {
                name: t.text(VALUE, i)?,
                users: t.count(USERS, i)?,
                apps: t.count(APPS, i)?,
                blocked_users: t.count(BLOCKED_USERS, i)?,
                blocked_minutes: t.number(BLOCKED_MINUTES, i)?.unwrap_or(0.0),
                blocked_p95: t.number(BLOCKED_P95, i)?,
                prompts_per_user_month: t.number(PROMPTS_PER_USER_MONTH, i)?.unwrap_or(0.0),
            })
        })
        .collect()
}

/// The `n` users with the most blocked minutes, then prompts (ties by id), leaving out
/// users neither blocked nor prompted.
pub fn most_affected(tables: &RunTables, n: usize) -> Result<Vec<UserRow>> {
    let users = per_user(tables)
        .filter(
            num(uc::USER_MINUTES_BLOCKED)
                .gt(lit(0.0))
                .or(col(PROMPTS).gt(lit(0.0))),
        )
        .sort(
            [uc::USER_MINUTES_BLOCKED, PROMPTS, uc::USER],
            SortMultipleOptions::default().with_order_descending_multi([true, true, false]),
        )
        .limit(n as IdxSize)
        .with_column(Labels::of(&tables.scenario).name(uc::SEGMENT))
        .collect();
    let t = Cells(computing("the most affected users", users)?);
    (0..t.0.height())
        .map(|i| {
            Ok(UserRow {
                user: t.count(uc::USER, i)? as u32,
                unit: t.count(uc::UNIT, i)? as u32,
                segment: t.text(uc::SEGMENT, i)?,
                blocked_minutes: t.number(uc::USER_MINUTES_BLOCKED, i)?.unwrap_or(0.0),
                prompts: t.count(PROMPTS, i)?,
            })
        })
        .collect()
}
