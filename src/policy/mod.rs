//! The rules: token lifetimes and timeouts, why a user is prompted, and how each
//! client library reacts to the platform's answers. Pure functions over domain state.

pub mod cause;
pub mod client_profile;
pub mod lifetimes;

pub use cause::PromptCause;
pub use client_profile::{Failure, Jitter, Profile, Reaction, RefreshMode, RetryPolicy};
pub use lifetimes::TokenPolicy;
