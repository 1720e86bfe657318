//! The rules: token lifetimes and timeouts, the revocation matrix, CAE, and how each
//! client library reacts to the platform's answers. Pure functions over domain state;
//! the data they share with `domain/` (prompt causes, client profiles) lives there.

pub mod cae;
pub mod lifetimes;
pub mod reaction;
pub mod revocation;
pub mod token_protection;

pub use lifetimes::TokenPolicy;
pub use reaction::{Failure, Reaction};
pub use revocation::{MatrixTable, MatrixVariant, RevocationMatrix};
