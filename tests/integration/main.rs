//! One integration-test binary; each module tests one behaviour of tokensim.

mod cli;
mod closed_form;
mod common;
mod determinism;
mod models;
mod outage;
mod prompts;
mod trace;
