//! `tokensim import`: a tenant's Microsoft Graph exports → a model file. Sign-in logs
//! give the population (users grouped by their apps, sign-in methods, a weekly activity
//! profile, per-call apps and their call interval); Conditional Access and token
//! lifetime policies give `[policy]` and `[platform]` fields. Exports are streamed
//! record by record ([`graph`]) and only aggregates reach the model.
//!
//! [`synth`] draws Graph-shaped exports from a known model (the simulator's own token
//! requests), and [`validate`] compares a model's simulation with sign-in logs.

pub mod chart;
pub mod devices;
pub mod findings;
pub mod fit;
pub mod graph;
pub mod lifetime;
pub mod policies;
pub mod record;
pub mod report;
pub mod sessions;
pub mod signins;
pub mod synth;
pub mod validate;
pub mod writer;

use crate::engine::SimDuration;
use crate::engine::time::MS_PER_MINUTE;
use crate::scenario::{self, ModelError};
use findings::Findings;
use fit::Fit;
use graph::GraphError;
use signins::SignInLog;
use std::collections::HashMap;
use std::path::PathBuf;

/// The export files to import.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Sign-in log exports (interactive and non-interactive; several files are merged).
    pub signins: Vec<PathBuf>,
    /// Conditional Access policy exports.
    pub policies: Vec<PathBuf>,
    /// Token lifetime policy exports.
    pub lifetime: Vec<PathBuf>,
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// An export could not be read.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// Nothing usable in the sign-in logs.
    #[error(
        "{files}: no usable sign-in record ({read} read, all skipped: see the reasons with --report)"
    )]
    NoRecords {
        /// The files.
        files: String,
        /// Records read.
        read: u64,
    },
    /// The written model does not pass `tokensim check` (a bug of the import).
    #[error("the imported model is invalid")]
    Model(#[source] ModelError),
}

/// An import's results.
pub struct Imported {
    /// The model file text.
    pub model: String,
    /// The import report (Markdown).
    pub report: String,
    /// The fitted population.
    pub fit: Fit,
}

/// Sign-in logs read from `paths`, with a line per file for reports.
pub fn read_signins(paths: &[PathBuf]) -> Result<(SignInLog, Vec<String>), ImportError> {
    let mut log = SignInLog::default();
    let mut lines = Vec::new();
    for path in paths {
        let pages = graph::read(path, |i, r| log.add(i, r))?;
        lines.push(format!(
            "{} ({} records in {} pages)",
            path.display(),
            pages.records,
            pages.pages
        ));
    }
    if log.events.is_empty() {
        let files = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ImportError::NoRecords {
            files,
            read: log.records,
        });
    }
    Ok((log, lines))
}

/// Reads every input, fits the population and writes the model and the report.
pub fn import(inputs: &Inputs) -> Result<Imported, ImportError> {
    let mut findings = Findings::default();
    let mut files = Vec::new();
    for path in &inputs.lifetime {
        findings.extend(lifetime::read(path)?);
        files.push(format!("{} (token lifetime policies)", path.display()));
    }
    for path in &inputs.policies {
        findings.extend(policies::read(path)?);
        files.push(format!("{} (Conditional Access policies)", path.display()));
    }
    let (mut log, lines) = read_signins(&inputs.signins)?;
    files.extend(lines);
    let at_max = findings
        .get("policy.access_token.lifetime_max")
        .and_then(|s| s.value.trim_matches('"').parse::<SimDuration>().ok())
        .unwrap_or(SimDuration::from_mins(90));
    let peak_per_s = peak_per_second(&log);
    let fit = fit::fit(&mut log, at_max).expect("a log with events has a period");
    let sources = writer::Sources {
        files: &files,
        kept: log.events.len() as u64,
        peak_per_s,
    };
    let model = writer::model_toml(&fit, &findings, &sources);
    scenario::parse_model(&model, "imported model", &[]).map_err(ImportError::Model)?;
    let report = report::import_report(&fit, &findings, &log, &files);
    Ok(Imported { model, report, fit })
}

/// Requests per second in the busiest minute.
fn peak_per_second(log: &SignInLog) -> f64 {
    let mut per_minute: HashMap<i64, u32> = HashMap::new();
    for e in &log.events {
        *per_minute
            .entry(e.t_ms.div_euclid(MS_PER_MINUTE as i64))
            .or_default() += 1;
    }
    per_minute.values().copied().max().unwrap_or(0) as f64 / 60.0
}
