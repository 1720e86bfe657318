//! One integration-test binary; each module tests one behaviour of tokensim.

mod common;
mod tui;
