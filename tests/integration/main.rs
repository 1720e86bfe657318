//! One integration-test binary; each module tests one behaviour of tokensim.

mod cae;
mod common;
mod incident;
mod revocation;
mod timeouts;
mod trace;
