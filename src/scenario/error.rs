//! Model errors always name the file, the field and the bad value, and say what is allowed.

/// A model that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("{file}: cannot read: {cause}")]
    Io {
        /// File label.
        file: String,
        /// The OS error, shown in the message itself (not as a source too, so an error
        /// chain prints it once).
        cause: std::io::Error,
    },
    /// Not valid TOML (the message shows line, column and a snippet).
    #[error("{file}: not valid TOML: {message}")]
    Syntax {
        /// File label.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A field has a bad value or breaks a rule.
    #[error("{file}: {field}: {message}")]
    Field {
        /// File label (with the `--set` overrides, if any).
        file: String,
        /// Dotted path of the field.
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A `--set` that cannot be applied.
    #[error("--set {text}: {message}")]
    Override {
        /// The override as given.
        text: String,
        /// Why it cannot be applied.
        message: String,
    },
}
