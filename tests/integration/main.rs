//! One integration-test binary; each module tests one behaviour of tokensim.

mod cae;
mod common;
mod revocation;
mod trace;
