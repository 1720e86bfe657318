//! Everything a report draws and prints, computed from a run folder in one pass and
//! handed over as plain vectors and [`Table`]s.

use super::breakdown::{breakdowns, per_user};
use super::exposure::{self as exp, Bar};
use super::exprs::{self, num};
use super::headline::Headline;
use super::percentiles::percentiles;
use super::recovery::{outage_minutes, recovery};
use super::table::write_frame;
use super::tables::RunTables;
use super::{Result, Table, computing};
use crate::domain::PromptCause;
use crate::metrics::Summary;
use crate::metrics::labels::Labels;
use crate::metrics::schema::{self, segments as sc, timeseries as ts, users as uc};
use crate::scenario::Scenario;
use polars::prelude::*;
use std::path::Path;

/// Named series: (name, one value per point).
pub type Named = Vec<(String, Vec<f64>)>;

/// Platform load of the units an outage hit, per minute, around the outage.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadSeries {
    /// Outage name.
    pub name: String,
    /// First and last minute of the outage (from the run start).
    pub outage: (i64, i64),
    /// Minutes (from the run start) of the points.
    pub minutes: Vec<i64>,
    /// Requests offered per minute.
    pub offered: Vec<f64>,
    /// Requests admitted by the primary per minute.
    pub admitted: Vec<f64>,
    /// Requests served by the backup service per minute.
    pub backup: Vec<f64>,
    /// Capacity per minute.
    pub capacity: Vec<f64>,
    /// Blocked users per minute.
    pub blocked: Vec<f64>,
}

/// One outage's load and blocked users across replications: per minute of the first
/// replication's window, the mean and the Student-t 95 % CI (`[mean, low, high]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Outage name.
    pub name: String,
    /// First and last minute of the outage.
    pub outage: (i64, i64),
    /// Minutes of the points.
    pub minutes: Vec<i64>,
    /// Requests offered per minute.
    pub offered: [Vec<f64>; 3],
    /// Blocked users per minute.
    pub blocked: [Vec<f64>; 3],
}

/// The folders of a replicated run's further replications, `dir/replications/rNN/`,
/// in order.
fn replication_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> =
        std::fs::read_dir(dir.join(crate::metrics::schema::REPLICATIONS_DIR))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join(schema::SUMMARY_JSON).exists())
            .collect();
    dirs.sort();
    dirs
}

/// The bands of a replicated run around each outage (empty without replications):
/// the first replication's `loads` (of the tables in hand, which may still be being
/// written into `dir`), the others' read from `dir/replications/`.
fn bands(loads: &[LoadSeries], dir: &Path, summary: &Summary) -> Result<Vec<Band>> {
    let n = summary.replications.as_ref().map_or(0, |r| r.n);
    let dirs = replication_dirs(dir);
    if n < 2 || dirs.is_empty() {
        return Ok(Vec::new());
    }
    let runs = std::iter::once(Ok(loads.to_vec()))
        .chain(dirs.iter().map(|d| load_series(&RunTables::load(d)?)))
        .collect::<Result<Vec<_>>>()?;
    let band = |k: usize, pick: &dyn Fn(&LoadSeries) -> &Vec<f64>| -> [Vec<f64>; 3] {
        let mut out: [Vec<f64>; 3] = Default::default();
        for m in 0..runs[0][k].minutes.len() {
            let xs: Vec<Option<f64>> = runs
                .iter()
                .map(|r| r.get(k).and_then(|s| pick(s).get(m).copied()))
                .collect();
            let e = crate::metrics::stats::Estimate::of(&xs);
            let [mean, lo, hi] = &mut out;
            mean.push(e.map_or(0.0, |e| e.mean));
            lo.push(e.map_or(0.0, |e| e.ci95_low.max(0.0)));
            hi.push(e.map_or(0.0, |e| e.ci95_high));
        }
        out
    };
    Ok((0..runs[0].len())
        .map(|k| Band {
            name: runs[0][k].name.clone(),
            outage: runs[0][k].outage,
            minutes: runs[0][k].minutes.clone(),
            offered: band(k, &|s| &s.offered),
            blocked: band(k, &|s| &s.blocked),
        })
        .collect())
}

/// What a report needs from a run.
pub struct ReportData {
    /// The scenario that ran.
    pub scenario: Scenario,
    /// The run's summary.
    pub summary: Summary,
    /// Headline values.
    pub headline: Headline,
    /// One load series per outage that hit some unit.
    pub loads: Vec<LoadSeries>,
    /// With replications: load and blocked users across them, per outage.
    pub bands: Vec<Band>,
    /// Minutes of the blocked-users-by-segment chart.
    pub segment_minutes: Vec<i64>,
    /// Blocked users per minute of `segment_minutes`, per segment (name, values).
    pub segment_blocked: Named,
    /// Blocked minutes of each blocked user, ascending.
    pub blocked_minutes: Vec<f64>,
    /// Exposure, when the run has revocations.
    pub exposure: Option<ExposureReport>,
    /// Prompts per user-month by segment (name, one value per [`PromptCause::ALL`]).
    pub prompts: Named,
    /// Breakdown table.
    pub breakdowns: Table,
    /// Percentiles table.
    pub percentiles: Table,
    /// Recovery per outage and unit.
    pub recovery: Table,
}

/// What the report shows of exposure.
pub struct ExposureReport {
    /// The split chart's bars: headline event kinds × attacker models.
    pub bars: Vec<Bar>,
    /// The headline attacker's rows per headline event kind × token classes × CAE ×
    /// client type.
    pub by_class: Table,
    /// The headline attacker's rows per headline event kind × segment.
    pub by_segment: Table,
}

/// Stems of the analytics tables written into the run folder (CSV and Parquet each).
pub const TABLES: [&str; 4] = [
    schema::breakdowns::STEM,
    schema::percentiles::STEM,
    schema::recovery::STEM,
    schema::exposure::STEM,
];

/// Reads the run folder `dir`, writes the analytics tables into it (CSV and Parquet)
/// and returns what a report draws.
pub fn analyze(dir: &Path) -> Result<ReportData> {
    let tables = RunTables::load(dir)?;
    let summary = super::summary::summarize(&tables)?;
    analyze_tables(&tables, summary, dir)
}

/// Analyses a run's tables (in memory, or read from `dir`) with the `summary` already
/// computed from them (not computed again), writes the analytics tables into the run
/// folder `dir` (CSV and Parquet) and returns what a report draws; the replication
/// bands come from these tables and the further replications in `dir`'s
/// `replications/`.
pub fn analyze_tables(tables: &RunTables, summary: Summary, dir: &Path) -> Result<ReportData> {
    let mut b = breakdowns(tables)?;
    let mut p = percentiles(tables)?;
    let mut r = recovery(tables)?;
    let mut e = exp::exposure(tables)?;
    for (df, stem) in [Some(&mut b), Some(&mut p), Some(&mut r), e.as_mut()]
        .into_iter()
        .zip(TABLES)
    {
        if let Some(df) = df {
            write_frame(df, dir, stem)?;
        }
    }
    let (segment_minutes, segment_blocked) = segment_series(tables)?;
    let loads = load_series(tables)?;
    Ok(ReportData {
        headline: Headline::new(&summary, &p),
        bands: bands(&loads, dir, &summary)?,
        loads,
        segment_minutes,
        segment_blocked,
        blocked_minutes: column(
            per_user(tables)
                .filter(exprs::user_blocked())
                .select([num(uc::USER_MINUTES_BLOCKED)])
                .sort([uc::USER_MINUTES_BLOCKED], SortMultipleOptions::default()),
            "the blocked minutes per user",
        )?,
        exposure: match &e {
            Some(df) => {
                let events = &tables.scenario.events;
                Some(ExposureReport {
                    bars: exp::bars(tables)?,
                    by_class: exp::report_table(df, "class", events)?,
                    by_segment: exp::report_table(df, "segment", events)?,
                })
            }
            None => None,
        },
        prompts: prompts_by_segment(tables)?,
        breakdowns: Table::from_frame(&b, 1),
        percentiles: Table::from_frame(&p, 2),
        recovery: Table::from_frame(&r, 0),
        summary,
        scenario: tables.scenario.clone(),
    })
}

/// The first column of `frame` as `f64`s.
fn column(frame: LazyFrame, what: &'static str) -> Result<Vec<f64>> {
    let df = computing(what, frame.collect())?;
    let c = computing(what, df.columns()[0].cast(&DataType::Float64))?;
    Ok(computing(what, c.f64())?.iter().flatten().collect())
}

fn load_series(tables: &RunTables) -> Result<Vec<LoadSeries>> {
    let minutes = tables.minutes();
    let sum = |c: &str| num(c).sum().alias(c);
    outage_minutes(tables)
        .into_iter()
        .filter(|(_, _, _, hit)| !hit.is_empty())
        .map(|(name, start, end, hit)| {
            let (from, to) = ((start - 120).max(0), (end + 240).min(minutes));
            let in_hit = exprs::in_units(&hit);
            let df = tables
                .timeseries
                .clone()
                .lazy()
                .filter(
                    in_hit
                        .and(col(ts::MINUTE).gt_eq(lit(from)))
                        .and(col(ts::MINUTE).lt(lit(to))),
                )
                .group_by([col(ts::MINUTE)])
                .agg([
                    sum(ts::OFFERED),
                    sum(ts::ADMITTED),
                    sum(ts::BACKUP_SERVED),
                    sum(ts::CAPACITY),
                    sum(ts::BLOCKED_USERS),
                ])
                .sort([ts::MINUTE], SortMultipleOptions::default());
            let df = computing("the load around an outage", df.collect())?;
            let get = |c: &str| -> Result<Vec<f64>> {
                let s = computing("the load around an outage", df.column(c))?;
                Ok(computing("the load around an outage", s.f64())?
                    .iter()
                    .map(|v| v.unwrap_or(0.0))
                    .collect())
            };
            let minutes = computing(
                "the load around an outage",
                df.column(ts::MINUTE).and_then(|c| c.cast(&DataType::Int64)),
            )?;
            Ok(LoadSeries {
                name,
                outage: (start, end),
                minutes: computing("the load around an outage", minutes.i64())?
                    .iter()
                    .flatten()
                    .collect(),
                offered: get(ts::OFFERED)?,
                admitted: get(ts::ADMITTED)?,
                backup: get(ts::BACKUP_SERVED)?,
                capacity: get(ts::CAPACITY)?,
                blocked: get(ts::BLOCKED_USERS)?,
            })
        })
        .collect()
}

/// Blocked users per segment and minute, around the outages (two hours before the
/// first to six hours after the last), or over the whole horizon without outages.
fn segment_series(tables: &RunTables) -> Result<(Vec<i64>, Named)> {
    let outages = outage_minutes(tables);
    let minutes = tables.minutes();
    let (from, to) = match (
        outages.iter().map(|o| o.1).min(),
        outages.iter().map(|o| o.2).max(),
    ) {
        (Some(s), Some(e)) => ((s - 120).max(0), (e + 360).min(minutes)),
        _ => (0, minutes),
    };
    let window = col(sc::MINUTE)
        .gt_eq(lit(from))
        .and(col(sc::MINUTE).lt(lit(to)));
    let mut out = Vec::new();
    for segment in &tables.scenario.segments {
        let frame = tables
            .segments
            .clone()
            .lazy()
            .filter(
                window
                    .clone()
                    .and(col(sc::SEGMENT).eq(lit(segment.name.as_str()))),
            )
            .select([num(sc::BLOCKED_USERS)]);
        out.push((
            segment.name.clone(),
            column(frame, "the blocked users by segment")?,
        ));
    }
    Ok(((from..to).collect(), out))
}

fn prompts_by_segment(tables: &RunTables) -> Result<Named> {
    let months = tables.months();
    let mut aggs = vec![col(uc::USER).n_unique().alias(uc::USER)];
    let causes: Vec<String> = PromptCause::ALL
        .iter()
        .map(|c| format!("{}{}", uc::PROMPTS_PREFIX, c.label()))
        .collect();
    aggs.extend(causes.iter().map(|c| {
        exprs::per_user_month(num(c).sum(), col(uc::USER).n_unique(), months).alias(c.as_str())
    }));
    let df = tables
        .users
        .clone()
        .lazy()
        .group_by_stable([col(uc::SEGMENT)])
        .agg(aggs)
        .with_column(Labels::of(&tables.scenario).name(uc::SEGMENT));
    let df = computing("the prompts by segment", df.collect())?;
    let names = computing(
        "the prompts by segment",
        df.column(uc::SEGMENT).and_then(|c| c.str().cloned()),
    )?;
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let values = causes
            .iter()
            .map(|c| {
                let v = df
                    .column(c)
                    .ok()
                    .and_then(|s| s.f64().ok())
                    .and_then(|s| s.get(i));
                v.unwrap_or(0.0)
            })
            .collect();
        out.push((name.unwrap_or_default().to_string(), values));
    }
    Ok(out)
}
