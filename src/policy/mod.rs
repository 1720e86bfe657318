//! The rules: token lifetimes and timeouts, the revocation matrix, CAE, why a user is
//! prompted, and how each client library reacts to the platform's answers. Pure functions over domain state.

pub mod cae;
pub mod cause;
pub mod client_profile;
pub mod lifetimes;
pub mod revocation;
pub mod token_protection;

pub use cause::PromptCause;
pub use client_profile::{Failure, Jitter, Profile, Reaction, RefreshMode, RetryPolicy};
pub use lifetimes::TokenPolicy;
pub use revocation::{MatrixTable, MatrixVariant, RevocationMatrix};
