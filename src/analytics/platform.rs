//! The whole platform per minute: the time series summed over scale units, for the
//! TUI's timeline (the report draws the units an outage hit, [`super::series`]).

use super::exprs::num;
use super::{Result, RunTables, computing};
use crate::metrics::schema::timeseries as ts;
use polars::prelude::*;

/// Platform totals per minute (all units added up), minute 0 first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Requests offered.
    pub offered: Vec<u64>,
    /// Requests admitted by the primary.
    pub admitted: Vec<u64>,
    /// Shed with 429.
    pub shed: Vec<u64>,
    /// 5xx or hung.
    pub failed: Vec<u64>,
    /// Served by the backup service.
    pub backup: Vec<u64>,
    /// Capacity (requests per minute).
    pub capacity: Vec<f64>,
    /// Users in a session.
    pub active: Vec<u64>,
    /// Users with a blocked app.
    pub blocked: Vec<u64>,
}

/// The time series of `tables` summed over units, per minute.
pub fn platform_series(tables: &RunTables) -> Result<Series> {
    const WHAT: &str = "the platform's time series";
    const COLUMNS: [&str; 8] = [
        ts::OFFERED,
        ts::ADMITTED,
        ts::SHED_429,
        ts::FAILED,
        ts::BACKUP_SERVED,
        ts::CAPACITY,
        ts::ACTIVE_USERS,
        ts::BLOCKED_USERS,
    ];
    let df = tables
        .timeseries
        .clone()
        .lazy()
        .group_by([col(ts::MINUTE)])
        .agg(COLUMNS.map(|c| num(c).sum()))
        .sort([ts::MINUTE], SortMultipleOptions::default())
        .collect();
    let df = computing(WHAT, df)?;
    let values = |c: &str| -> Result<Vec<f64>> {
        let column = computing(WHAT, df.column(c))?;
        let f = computing(WHAT, column.f64())?;
        Ok(f.iter().map(|v| v.unwrap_or(0.0)).collect())
    };
    let counts =
        |c: &str| -> Result<Vec<u64>> { Ok(values(c)?.into_iter().map(|v| v as u64).collect()) };
    Ok(Series {
        offered: counts(ts::OFFERED)?,
        admitted: counts(ts::ADMITTED)?,
        shed: counts(ts::SHED_429)?,
        failed: counts(ts::FAILED)?,
        backup: counts(ts::BACKUP_SERVED)?,
        capacity: values(ts::CAPACITY)?,
        active: counts(ts::ACTIVE_USERS)?,
        blocked: counts(ts::BLOCKED_USERS)?,
    })
}
