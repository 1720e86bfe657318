//! One integration-test binary; each module tests one behaviour of tokensim.

mod analytics;
mod cae;
mod cli;
mod closed_form;
mod common;
mod crash;
mod determinism;
mod fuzz;
mod incident;
mod models;
mod outage;
mod prompts;
mod refusals;
mod report;
mod revocation;
mod steady;
mod sweep;
mod timeouts;
mod trace;
mod tui;
