//! One integration-test binary; each module tests one behaviour of tokensim.

mod closed_form;
mod common;
mod trace;
