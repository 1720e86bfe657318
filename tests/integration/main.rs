//! One integration-test binary; each module tests one behaviour of tokensim.

mod analytics;
mod common;
mod report;
mod sweep;
