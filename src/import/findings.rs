//! What the policy readers conclude: model settings with where each came from, and
//! notes on what was mapped, approximated or left out (the import report lists them).

/// A model field set from an export.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// Dotted model path, e.g. `policy.sign_in_frequency.every`.
    pub path: &'static str,
    /// The value as TOML text (quoted if a string).
    pub value: String,
    /// Where it came from, for the comment beside it.
    pub source: String,
    /// Written commented out: Entra ignores the property (retired), but an architect
    /// may want to study it.
    pub retired: bool,
}

/// How an input item reached the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// Mapped to a model field as it is.
    Mapped,
    /// Mapped, but the model expresses it only roughly.
    Approximated,
    /// Not expressible in the model, or not in force: left out.
    Ignored,
}

impl NoteKind {
    /// Heading in the report.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Mapped => "mapped",
            NoteKind::Approximated => "approximated",
            NoteKind::Ignored => "ignored",
        }
    }
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Mapped, approximated or ignored.
    pub kind: NoteKind,
    /// What and why.
    pub text: String,
}

/// Settings and notes of one reader.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Model fields to set, in order.
    pub settings: Vec<Setting>,
    /// Report lines.
    pub notes: Vec<Note>,
    /// A CA policy turns CAE off: the apps are written without `cp1`.
    pub cae_disabled: bool,
}

impl Findings {
    /// Adds a report line.
    pub fn note(&mut self, kind: NoteKind, text: impl Into<String>) {
        self.notes.push(Note {
            kind,
            text: text.into(),
        });
    }

    /// Sets `path` (a later setting of the same path replaces the earlier one).
    pub fn set(&mut self, path: &'static str, value: String, source: String, retired: bool) {
        self.settings.retain(|s| s.path != path);
        self.settings.push(Setting {
            path,
            value,
            source,
            retired,
        });
    }

    /// The setting of `path`, if any.
    pub fn get(&self, path: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.path == path)
    }

    /// Appends another reader's findings.
    pub fn extend(&mut self, other: Findings) {
        for s in other.settings {
            self.set(s.path, s.value, s.source, s.retired);
        }
        self.notes.extend(other.notes);
        self.cae_disabled |= other.cae_disabled;
    }
}
