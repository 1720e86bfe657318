//! Reports: charts drawn with plotters (PNG and SVG, embedded font) and `report.md`,
//! rendered from a run's tables through [`crate::analytics`]: the pipeline's in-memory
//! tables, or a run folder's stored ones, so a report can be rebuilt at any time
//! without re-running the simulation.

pub mod charts;
pub mod exposure;
pub mod frontier;
mod labels;
pub mod markdown;
pub mod prompts;
pub mod sensitivity;
pub mod style;
pub mod sweep;
pub mod tornado;

use crate::analytics::{self, ReportData};
use charts::{BandChart, CdfChart, LoadChart, SegmentsChart};
use std::path::{Path, PathBuf};

/// File name of the report in the run folder.
pub const REPORT_MD: &str = "report.md";

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The run folder could not be analysed.
    #[error("cannot analyse the run folder")]
    Analytics(#[from] analytics::AnalyticsError),
    /// A chart could not be drawn or written.
    #[error("cannot draw chart {chart}: {message}")]
    Chart {
        /// Chart file stem.
        chart: String,
        /// What went wrong.
        message: String,
    },
    /// A variant's model is invalid.
    #[error("invalid variant")]
    Model(#[from] crate::scenario::ModelError),
    /// A variant could not be simulated.
    #[error("a variant did not run")]
    Run(#[from] crate::sim::RunError),
    /// A file could not be written.
    #[error("cannot write {file}")]
    Write {
        /// The file.
        file: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Chart file stems (each written as `.png` and `.svg`).
pub mod chart_names {
    /// Blocked users per minute by segment.
    pub const BLOCKED_SEGMENTS: &str = "blocked-by-segment";
    /// CDF of blocked minutes per blocked user.
    pub const BLOCKED_CDF: &str = "blocked-minutes-cdf";
    /// Exposure after each headline event kind, per attacker model, split by duration.
    pub const EXPOSURE: &str = "exposure";
    /// Prompts per user-month by segment and cause.
    pub const PROMPTS: &str = "prompts";
    /// Stem prefix of the load charts.
    pub const LOAD_PREFIX: &str = "load-outage-";
    /// Load around outage `k` (1-based): `load-outage-k`.
    pub fn load(k: usize) -> String {
        format!("{LOAD_PREFIX}{k}")
    }
    /// Stem prefix of the load band charts.
    pub const LOAD_BAND_PREFIX: &str = "load-band-outage-";
    /// Stem prefix of the blocked-users band charts.
    pub const BLOCKED_BAND_PREFIX: &str = "blocked-band-outage-";
    /// With replications, offered load around outage `k` across them.
    pub fn load_band(k: usize) -> String {
        format!("{LOAD_BAND_PREFIX}{k}")
    }
    /// With replications, blocked users around outage `k` across them.
    pub fn blocked_band(k: usize) -> String {
        format!("{BLOCKED_BAND_PREFIX}{k}")
    }
}

fn save<C: style::Chart>(chart: &C, dir: &Path, stem: &str) -> Result<(), ReportError> {
    style::save(chart, dir, stem).map_err(|message| ReportError::Chart {
        chart: stem.to_string(),
        message,
    })
}

/// Analyses the run folder `dir`, writes its analytics tables, charts and `report.md`,
/// and returns the path of `report.md`.
pub fn render(dir: &Path) -> Result<PathBuf, ReportError> {
    let tables = analytics::RunTables::load(dir)?;
    let summary = analytics::summary::summarize(&tables)?;
    render_tables(&tables, summary, dir)
}

/// Analyses a run's tables (already in memory, with their `summary`) and writes their
/// analytics tables, charts and `report.md` into the run folder `dir`; returns the path
/// of `report.md`.
pub fn render_tables(
    tables: &analytics::RunTables,
    summary: crate::metrics::Summary,
    dir: &Path,
) -> Result<PathBuf, ReportError> {
    let data = analytics::series::analyze_tables(tables, summary, dir)?;
    remove_leftovers(dir, data.loads.len(), data.bands.len()).map_err(|source| {
        ReportError::Write {
            file: dir.to_path_buf(),
            source,
        }
    })?;
    draw_charts(&data, dir)?;
    let path = dir.join(REPORT_MD);
    crate::metrics::atomic::write_bytes(&path, markdown::report(&data).as_bytes()).map_err(
        |source| ReportError::Write {
            file: path.clone(),
            source,
        },
    )?;
    Ok(path)
}

/// Re-rendering in place (`tokensim report DIR`) removes the per-outage charts (load,
/// and with replications the load and blocked bands) beyond what the run has, and
/// temporaries of killed writers, so no chart of an older render lingers.
fn remove_leftovers(dir: &Path, loads: usize, bands: usize) -> std::io::Result<()> {
    crate::metrics::atomic::remove_stale(dir, |_, _| true)?;
    let numbered = [
        (chart_names::LOAD_PREFIX, loads),
        (chart_names::LOAD_BAND_PREFIX, bands),
        (chart_names::BLOCKED_BAND_PREFIX, bands),
    ];
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let chart = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("png" | "svg")
        );
        let stale = numbered.iter().any(|(prefix, kept)| {
            stem.strip_prefix(prefix)
                .and_then(|k| k.parse::<usize>().ok())
                .is_some_and(|k| k > *kept)
        });
        // Charts this version no longer draws (the exposure CDF became `exposure`).
        let retired = stem == "exposure-cdf";
        if chart && (stale || retired) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

fn draw_charts(data: &ReportData, dir: &Path) -> Result<(), ReportError> {
    let start = data.scenario.start;
    for (k, series) in data.loads.iter().enumerate() {
        save(&LoadChart { series, start }, dir, &chart_names::load(k + 1))?;
    }
    let n = data.summary.replications.as_ref().map_or(0, |r| r.n);
    for (k, b) in data.bands.iter().enumerate() {
        let charts = [
            (
                chart_names::load_band(k + 1),
                format!("Token requests offered around outage {}", b.name),
                "token requests per minute",
                &b.offered,
            ),
            (
                chart_names::blocked_band(k + 1),
                format!("Blocked users around outage {}", b.name),
                "users with an app blocked",
                &b.blocked,
            ),
        ];
        for (stem, title, y_desc, band) in charts {
            let chart = BandChart {
                title,
                y_desc,
                minutes: &b.minutes,
                band,
                n,
                outage: b.outage,
                start,
            };
            save(&chart, dir, &stem)?;
        }
    }
    let outages = data.loads.iter().map(|l| l.outage).collect();
    let segments = SegmentsChart {
        minutes: &data.segment_minutes,
        segments: &data.segment_blocked,
        outages,
        start,
    };
    save(&segments, dir, chart_names::BLOCKED_SEGMENTS)?;
    let blocked = CdfChart {
        title: "Blocked time per blocked user (CDF)",
        x_desc: "minutes with at least one app blocked",
        y_desc: "share of blocked users",
        samples: vec![("blocked users".into(), &data.blocked_minutes)],
        empty: "no user was blocked in this run",
    };
    save(&blocked, dir, chart_names::BLOCKED_CDF)?;
    if let Some(e) = &data.exposure {
        let chart = exposure::ExposureChart { bars: &e.bars };
        save(&chart, dir, chart_names::EXPOSURE)?;
    }
    save(
        &prompts::PromptsChart {
            segments: &data.prompts,
        },
        dir,
        chart_names::PROMPTS,
    )
}
