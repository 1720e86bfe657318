//! The exposure tables: `revocations.csv` turned into one long row per revocation row
//! and attacker model, then grouped per event kind × token classes × CAE × client type,
//! and per event kind × segment. The measure (tail, left alive, nothing) and the
//! session's fate are part of every group key, so no row pools measure (a) with (b).

use super::exprs::{self, num};
use super::{Result, RunTables, Table, computing};
use crate::domain::events::EventModel;
use crate::domain::exposure::Attacker;
use crate::metrics::schema::revocations as rc;
use crate::metrics::units;
use polars::prelude::*;

/// File stem of the table.
pub const STEM: &str = crate::metrics::schema::exposure::STEM;
/// Column: which grouping a row belongs to (`class` or `segment`).
pub const VIEW: &str = "view";
/// Column: attacker model.
pub const ATTACKER: &str = "attacker";
/// Column: measure of the attacker's window (`tail`, `left-alive`, `nothing`).
pub const MEASURE: &str = "measure";
/// Column: rows in the group.
pub const ROWS: &str = "rows";
/// Column: the group's share of the rows of its event kind (and view, attacker and, in
/// the segment view, segment).
pub const SHARE: &str = "share";
/// Column: left-alive sessions usable indefinitely while used.
pub const INDEFINITELY: &str = "indefinitely";
/// Columns: window percentiles in minutes (tail, or usable-while-used time).
pub const QUANTILES: [(&str, f64); 2] = [("p50_minutes", 0.5), ("p95_minutes", 0.95)];
/// Column: longest window in minutes.
pub const MAX: &str = "max_minutes";
const MINUTES: &str = "minutes";

/// The two views and their group columns beside attacker, event, fate and measure.
pub const VIEWS: [(&str, &[&str]); 2] = [
    ("class", &[rc::REVOKED, rc::ALIVE, rc::CAE, rc::CLIENT]),
    ("segment", &[rc::SEGMENT]),
];

/// Every key column of the table, in order.
const KEYS: [&str; 9] = [
    ATTACKER,
    rc::EVENT,
    rc::FATE,
    MEASURE,
    rc::REVOKED,
    rc::ALIVE,
    rc::CAE,
    rc::CLIENT,
    rc::SEGMENT,
];

/// One row per revocation row and attacker: its keys, measure and window minutes.
fn long(rev: &DataFrame) -> Result<LazyFrame> {
    let frames: Vec<LazyFrame> = Attacker::ALL
        .iter()
        .map(|a| {
            rev.clone().lazy().select([
                lit(a.label()).alias(ATTACKER),
                col(rc::EVENT).cast(DataType::String),
                col(rc::FATE).cast(DataType::String),
                col(rc::measure(*a)).cast(DataType::String).alias(MEASURE),
                col(rc::REVOKED).cast(DataType::String),
                col(rc::ALIVE).cast(DataType::String),
                exprs::is_cae(rc::CAE).alias(rc::CAE),
                col(rc::CLIENT).cast(DataType::String),
                col(rc::SEGMENT).cast(DataType::String),
                num(rc::minutes(*a)).alias(MINUTES),
            ])
        })
        .collect();
    computing("the exposure rows", concat(frames, UnionArgs::default()))
}

/// The exposure table (CSV/Parquet `exposure`): both views, every attacker; `None`
/// when the run has no revocations.
pub fn exposure(tables: &RunTables) -> Result<Option<DataFrame>> {
    let Some(rev) = &tables.revocations else {
        return Ok(None);
    };
    let long = long(rev)?;
    let frames: Vec<LazyFrame> = VIEWS
        .iter()
        .map(|(view, cols)| {
            let mut keys = vec![ATTACKER, rc::EVENT, rc::FATE, MEASURE];
            keys.extend(cols.iter());
            let mut aggs = vec![len().cast(DataType::Int64).alias(ROWS)];
            for (name, q) in QUANTILES {
                aggs.push(exprs::quantile(col(MINUTES), q).alias(name));
            }
            aggs.push(col(MINUTES).max().alias(MAX));
            aggs.push(
                col(MINUTES)
                    .is_null()
                    .and(col(MEASURE).eq(lit(rc::LEFT_ALIVE)))
                    .cast(DataType::Int64)
                    .sum()
                    .alias(INDEFINITELY),
            );
            let mut select = vec![lit(*view).alias(VIEW)];
            select.extend(KEYS.iter().map(|k| {
                if keys.contains(k) {
                    col(*k).cast(DataType::String)
                } else {
                    lit(NULL).cast(DataType::String).alias(*k)
                }
            }));
            select.push(col(ROWS));
            select.extend(
                QUANTILES
                    .iter()
                    .map(|(n, _)| col(*n).cast(DataType::Float64)),
            );
            select.push(col(MAX).cast(DataType::Float64));
            select.push(col(INDEFINITELY));
            long.clone()
                .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
                .agg(aggs)
                .select(select)
        })
        .collect();
    let all = computing("the exposure table", concat(frames, UnionArgs::default()))?;
    let per_event = computing(
        "the exposure table",
        col(ROWS).sum().cast(DataType::Float64).over([
            col(VIEW),
            col(ATTACKER),
            col(rc::EVENT),
            col(rc::SEGMENT),
        ]),
    )?;
    let share = (col(ROWS).cast(DataType::Float64) / per_event).alias(SHARE);
    let mut order = vec![VIEW];
    order.extend(KEYS);
    let sorted = all
        .with_column(share)
        .sort(order, SortMultipleOptions::default().with_nulls_last(false));
    computing("the exposure table", sorted.collect()).map(Some)
}

/// The rows of `view` for the headline attacker and event kinds of `events`, for a
/// report: its own key columns, the rows and share, and the windows in human units.
pub fn report_table(df: &DataFrame, view: &str, events: &EventModel) -> Result<Table> {
    let attacker = events.exposure_attacker;
    let chosen = crate::domain::EventKind::ALL
        .iter()
        .filter(|k| events.in_headline(**k))
        .map(|k| col(rc::EVENT).eq(lit(k.label())))
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    let cols = VIEWS
        .iter()
        .find(|(v, _)| *v == view)
        .map_or(&[][..], |(_, c)| *c);
    let mut keep: Vec<Expr> = [rc::EVENT, rc::FATE, MEASURE]
        .iter()
        .chain(cols)
        .map(|c| col(*c))
        .collect();
    keep.extend(
        [
            ROWS,
            SHARE,
            QUANTILES[0].0,
            QUANTILES[1].0,
            MAX,
            INDEFINITELY,
        ]
        .map(col),
    );
    let df = df
        .clone()
        .lazy()
        .filter(
            col(VIEW)
                .eq(lit(view))
                .and(col(ATTACKER).eq(lit(attacker.label())))
                .and(chosen),
        )
        .select(keep);
    let mut t = Table::from_frame(&computing("the exposure report table", df.collect())?, 4);
    let at = |name: &str| t.header.iter().position(|h| h == name);
    let (share, indefinite) = (at(SHARE), at(INDEFINITELY));
    let windows: Vec<usize> = [QUANTILES[0].0, QUANTILES[1].0, MAX]
        .iter()
        .filter_map(|c| at(c))
        .collect();
    for row in &mut t.rows {
        if let Some(i) = share {
            row[i] = row[i].parse().map_or(row[i].clone(), units::percent);
        }
        for &i in &windows {
            if let Ok(m) = row[i].parse::<f64>() {
                row[i] = units::duration(m);
            }
        }
        if let Some(i) = indefinite {
            row[i] = match row[i].as_str() {
                "0" => "–".into(),
                n => format!("{n} indefinitely while used"),
            };
        }
    }
    t.header = t.header.iter().map(|h| h.replace('_', " ")).collect();
    Ok(t)
}

/// Bands of the split chart: how long an attacker's tokens stay usable after the event,
/// then the two cases without a tail.
pub const BANDS: [&str; 7] = [
    "cut within 15 min",
    "15 min to 1 h",
    "1 h to 2 h",
    "2 h to 1 day",
    "over 1 day",
    "session left alive: usable while used",
    "nothing usable: no session, or Token Protection",
];

/// Upper bounds (minutes, exclusive) of the first bands.
const BAND_BOUNDS: [f64; 4] = [15.0, 60.0, 120.0, 1440.0];

/// One bar of the split chart: an event kind under one attacker model, with the share
/// of its rows in each of [`BANDS`] (summing to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Event kind label.
    pub event: String,
    /// Attacker model.
    pub attacker: Attacker,
    /// Rows (apps of the users hit).
    pub rows: u64,
    /// Share of the rows per band.
    pub shares: [f64; BANDS.len()],
}

/// The bars of the split chart for the headline event kinds, each event kind under
/// each attacker model; empty without revocations.
pub fn bars(tables: &RunTables) -> Result<Vec<Bar>> {
    let Some(rev) = &tables.revocations else {
        return Ok(Vec::new());
    };
    let m = col(MINUTES);
    let mut band = when(col(MEASURE).eq(lit(rc::NOTHING)))
        .then(lit(6i32))
        .when(col(MEASURE).eq(lit(rc::LEFT_ALIVE)))
        .then(lit(5i32));
    for (i, b) in BAND_BOUNDS.iter().enumerate() {
        band = band.when(m.clone().lt(lit(*b))).then(lit(i as i32));
    }
    let df = long(rev)?
        .with_column(band.otherwise(lit(4i32)).alias("band"))
        .group_by([col(rc::EVENT), col(ATTACKER), col("band")])
        .agg([len().cast(DataType::Int64).alias(ROWS)]);
    let df = computing("the exposure bands", df.collect())?;
    let what = "the exposure bands";
    let text = |c: &str| computing(what, df.column(c).and_then(|c| c.str().cloned()));
    let (events, attackers) = (text(rc::EVENT)?, text(ATTACKER)?);
    let bands = computing(what, df.column("band").and_then(|c| c.i32().cloned()))?;
    let counts = computing(what, df.column(ROWS).and_then(|c| c.i64().cloned()))?;
    let events_model = &tables.scenario.events;
    let mut out: Vec<Bar> = Vec::new();
    for kind in crate::domain::EventKind::ALL
        .iter()
        .filter(|k| events_model.in_headline(**k))
    {
        for attacker in Attacker::ALL {
            let mut counts_of = [0u64; BANDS.len()];
            for i in 0..df.height() {
                if events.get(i) == Some(kind.label())
                    && attackers.get(i) == Some(attacker.label())
                    && let (Some(b), Some(n)) = (bands.get(i), counts.get(i))
                {
                    counts_of[b as usize] += n as u64;
                }
            }
            let rows: u64 = counts_of.iter().sum();
            if rows > 0 {
                out.push(Bar {
                    event: kind.label().to_string(),
                    attacker,
                    rows,
                    shares: counts_of.map(|c| c as f64 / rows as f64),
                });
            }
        }
    }
    Ok(out)
}
