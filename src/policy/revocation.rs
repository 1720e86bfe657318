//! The revocation matrix (DESIGN §1.2) as data: `datasets/revocation-matrix.csv`, embedded
//! at build time, parsed and checked once (every event and class present, every cell
//! `revoked` or `alive`), and resolved for the variant a model selects: the current
//! documentation with one row per admin portal, or the older single "admin resets
//! password" row.

use crate::domain::events::EventKind;
use crate::domain::token::TokenClass;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The embedded matrix file.
pub const MATRIX_CSV: &str = include_str!("../../datasets/revocation-matrix.csv");

/// Label of the embedded file in messages.
pub const MATRIX_LABEL: &str = "datasets/revocation-matrix.csv";

/// Id of the row that older documentation gives for every admin password reset.
pub const LEGACY_ADMIN_RESET: &str = "admin-reset-legacy";

/// Which documentation the admin-reset rows follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatrixVariant {
    /// Current documentation: the Azure portal and the Entra admin center differ.
    #[default]
    Current,
    /// Older documentation: one "admin resets password" row for both portals.
    Legacy,
}

/// A malformed matrix file; names the row (1 = header) and the column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: row {row}, column '{column}': {message}")]
pub struct MatrixError {
    /// File label.
    pub file: String,
    /// Row number in the file, the header being row 1.
    pub row: usize,
    /// Column name.
    pub column: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// One row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// Event id (`password-change`, ..., or `admin-reset-legacy`).
    pub id: String,
    /// What happens, in words.
    pub description: String,
    /// Per class in [`TokenClass::ALL`] order: revoked (`true`) or alive.
    pub revoked: [bool; 5],
    /// Where the row comes from.
    pub source: String,
}

/// The whole file, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixTable {
    /// Rows in file order.
    pub rows: Vec<MatrixRow>,
}

const EVENT: &str = "event";
const DESCRIPTION: &str = "description";
const SOURCE: &str = "source";

impl MatrixTable {
    /// Parses and checks matrix text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<MatrixTable, MatrixError> {
        let err = |row: usize, column: &str, message: String| MatrixError {
            file: file.into(),
            row,
            column: column.into(),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| err(1, EVENT, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let position = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| err(1, name, "missing from the header".into()))
        };
        let event_col = position(EVENT)?;
        let description_col = position(DESCRIPTION)?;
        let source_col = position(SOURCE)?;
        let class_cols = TokenClass::ALL
            .iter()
            .map(|c| position(c.label()))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(extra) = header.iter().find(|h| {
            ![EVENT, DESCRIPTION, SOURCE].contains(&h.as_str())
                && !TokenClass::ALL.iter().any(|c| c.label() == h.as_str())
        }) {
            return Err(err(
                1,
                extra,
                "unknown column (allowed: event, description, the five classes, source)".into(),
            ));
        }
        let mut rows: Vec<MatrixRow> = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let row = i + 2;
            let record = record.map_err(|e| err(row, EVENT, e.to_string()))?;
            if record.len() != header.len() {
                return Err(err(
                    row,
                    EVENT,
                    format!("{} fields, the header has {}", record.len(), header.len()),
                ));
            }
            let id = record[event_col].trim().to_string();
            let known =
                EventKind::MATRIX.iter().any(|k| k.label() == id) || id == LEGACY_ADMIN_RESET;
            if !known {
                return Err(err(
                    row,
                    EVENT,
                    format!(
                        "'{id}' is not a matrix event (allowed: {}, {LEGACY_ADMIN_RESET})",
                        matrix_ids()
                    ),
                ));
            }
            if rows.iter().any(|r| r.id == id) {
                return Err(err(row, EVENT, format!("'{id}' appears twice")));
            }
            let mut revoked = [false; 5];
            for (class, &col) in TokenClass::ALL.iter().zip(&class_cols) {
                revoked[class.index()] = match record[col].trim() {
                    "revoked" => true,
                    "alive" => false,
                    other => {
                        return Err(err(
                            row,
                            class.label(),
                            format!("'{other}' is not a cell value (use revoked or alive)"),
                        ));
                    }
                };
            }
            rows.push(MatrixRow {
                id,
                description: record[description_col].trim().to_string(),
                revoked,
                source: record[source_col].trim().to_string(),
            });
        }
        let ids = EventKind::MATRIX
            .iter()
            .map(|k| k.label())
            .chain([LEGACY_ADMIN_RESET]);
        for id in ids {
            if !rows.iter().any(|r| r.id == id) {
                return Err(err(
                    rows.len() + 2,
                    EVENT,
                    format!("no row for '{id}'; every event needs one"),
                ));
            }
        }
        Ok(MatrixTable { rows })
    }

    /// The embedded file, parsed once.
    pub fn embedded() -> Result<&'static MatrixTable, MatrixError> {
        static TABLE: OnceLock<Result<MatrixTable, MatrixError>> = OnceLock::new();
        TABLE
            .get_or_init(|| MatrixTable::parse(MATRIX_CSV, MATRIX_LABEL))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn row(&self, id: &str) -> &MatrixRow {
        self.rows
            .iter()
            .find(|r| r.id == id)
            .expect("parse checked that every row is present")
    }

    /// The matrix a simulation applies, for `variant`.
    pub fn resolve(&self, variant: MatrixVariant) -> RevocationMatrix {
        let mut revoked = [[false; 5]; 8];
        for (i, kind) in EventKind::MATRIX.iter().enumerate() {
            let admin_reset = matches!(
                kind,
                EventKind::AdminResetAzurePortal | EventKind::AdminResetEntraAdminCenter
            );
            let id = if admin_reset && variant == MatrixVariant::Legacy {
                LEGACY_ADMIN_RESET
            } else {
                kind.label()
            };
            revoked[i] = self.row(id).revoked;
        }
        RevocationMatrix { revoked }
    }
}

fn matrix_ids() -> String {
    EventKind::MATRIX
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which token classes each event revokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevocationMatrix {
    revoked: [[bool; 5]; 8],
}

impl RevocationMatrix {
    /// Whether `event` revokes refresh tokens or cookies of `class`. Events outside the
    /// matrix: disabling the account kills every session; MFA enablement, high risk and
    /// location-policy changes revoke nothing (they act through CAE claims challenges).
    pub fn revokes(&self, event: EventKind, class: TokenClass) -> bool {
        match EventKind::MATRIX.iter().position(|k| *k == event) {
            Some(i) => self.revoked[i][class.index()],
            None => event == EventKind::UserDisabled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static MatrixTable {
        MatrixTable::embedded().unwrap()
    }

    #[test]
    fn embedded_file_matches_the_design_table() {
        let m = table().resolve(MatrixVariant::Current);
        let row = |k: EventKind| TokenClass::ALL.map(|c| m.revokes(k, c));
        let (r, a) = (true, false);
        assert_eq!(row(EventKind::PasswordExpiry), [a, a, a, a, a]);
        assert_eq!(row(EventKind::PasswordChange), [r, r, a, a, a]);
        assert_eq!(row(EventKind::Sspr), [r, r, a, a, a]);
        assert_eq!(row(EventKind::AdminResetAzurePortal), [r, r, a, a, a]);
        assert_eq!(row(EventKind::AdminResetEntraAdminCenter), [r, r, a, r, r]);
        assert_eq!(row(EventKind::UserRevokeAll), [r, r, r, r, r]);
        assert_eq!(row(EventKind::AdminRevokeAll), [r, r, r, r, r]);
        assert_eq!(row(EventKind::SingleSignOut), [r, a, r, a, a]);
        assert_eq!(row(EventKind::UserDisabled), [r, r, r, r, r]);
        assert_eq!(row(EventKind::MfaEnabled), [a, a, a, a, a]);
        assert!(
            table()
                .rows
                .iter()
                .all(|r| r.source.starts_with("https://"))
        );
    }

    #[test]
    fn legacy_variant_uses_one_row_for_both_portals() {
        let m = table().resolve(MatrixVariant::Legacy);
        for c in TokenClass::ALL {
            assert_eq!(
                m.revokes(EventKind::AdminResetEntraAdminCenter, c),
                m.revokes(EventKind::AdminResetAzurePortal, c)
            );
        }
        assert!(!m.revokes(
            EventKind::AdminResetEntraAdminCenter,
            TokenClass::Confidential
        ));
    }

    fn bad(edit: impl Fn(String) -> String) -> String {
        MatrixTable::parse(&edit(MATRIX_CSV.to_string()), "bad.csv")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_bad_cell_names_row_and_column() {
        let e = bad(|s| {
            s.replacen(
                "password-change,User changes password,revoked",
                "password-change,User changes password,maybe",
                1,
            )
        });
        assert_eq!(
            e,
            "bad.csv: row 3, column 'pwd_cookie': 'maybe' is not a cell value (use revoked or alive)"
        );
    }

    #[test]
    fn a_missing_event_or_class_is_named() {
        let e = bad(|s| {
            s.lines()
                .filter(|l| !l.starts_with("sspr,"))
                .collect::<Vec<_>>()
                .join("\n")
        });
        assert!(e.contains("no row for 'sspr'"), "{e}");
        let e = bad(|s| s.replacen("nonpwd_token", "nonpwd_tokens", 1));
        assert!(
            e.contains("row 1, column 'nonpwd_token': missing from the header"),
            "{e}"
        );
    }

    #[test]
    fn unknown_duplicate_and_ragged_rows_are_rejected() {
        let e = bad(|s| s.replacen("sspr,", "sspr-typo,", 1));
        assert!(
            e.contains("row 4, column 'event': 'sspr-typo' is not a matrix event"),
            "{e}"
        );
        let e = bad(|s| format!("{s}sspr,again,alive,alive,alive,alive,alive,x\n"));
        assert!(
            e.contains("row 11, column 'event': 'sspr' appears twice"),
            "{e}"
        );
        let e = bad(|s| s.replacen(",alive,https", ",https", 1));
        assert!(
            e.contains("row 2") && e.contains("7 fields, the header has 8"),
            "{e}"
        );
    }
}
