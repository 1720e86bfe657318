//! One integration-test binary; each module tests one behaviour of tokensim.

mod analytics;
mod blocked;
mod cae;
mod cli;
mod closed_form;
mod common;
mod determinism;
mod exposure;
mod incident;
mod models;
mod outage;
mod outage_totals;
mod prompts;
mod replication;
mod report;
mod revocation;
mod sensitivity;
mod steady;
mod sweep;
mod timeouts;
mod trace;
mod tui;
