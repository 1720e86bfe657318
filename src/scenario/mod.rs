//! Model files: TOML text → [`raw`] serde structs → validated [`Scenario`] (with the
//! `--set` overrides applied in between), and the population drawn from it.

pub mod error;
pub mod load;
pub mod memory;
pub mod model;
pub mod overrides;
pub mod population;
pub mod presets;
pub mod raw;
pub mod script;
mod validate;

pub use error::ModelError;
pub use load::{DEFAULT_MODEL, load_default, load_file, parse_model};
pub use model::Scenario;
pub use overrides::Override;
