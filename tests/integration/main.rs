//! One integration-test binary; each module tests one behaviour of tokensim.

mod analytics;
mod blocked;
mod cae;
mod cli;
mod closed_form;
mod common;
mod crash;
mod determinism;
mod devices;
mod exposure;
mod fuzz;
mod import;
mod incident;
mod models;
mod outage;
mod outage_totals;
mod prompts;
mod refusals;
mod report;
mod revocation;
mod steady;
mod sweep;
mod timeouts;
mod trace;
mod tui;
mod weekly;
