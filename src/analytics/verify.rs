//! A run folder is checked before it is analysed: every table's header by name, that it
//! ends with a whole row, and its row count against `summary.json` and `model.toml`, so
//! an edited, cut or mixed folder is refused with what differs instead of giving wrong
//! tables (the analytics read columns with the writer's types, so a bad value fails the
//! read itself).

use super::{AnalyticsError, Result};
use std::io::{BufRead, Read, Seek, SeekFrom};
use std::path::Path;

fn mismatch(file: &Path, message: String) -> AnalyticsError {
    AnalyticsError::Mismatch {
        file: file.to_path_buf(),
        message,
    }
}

/// Checks that `file`'s header is exactly `expected` and that its last row is whole.
pub fn header(file: &Path, expected: &[String]) -> Result<()> {
    let read = |source| AnalyticsError::ReadText {
        file: file.to_path_buf(),
        source,
    };
    let mut f = std::fs::File::open(file).map_err(read)?;
    let mut first = String::new();
    std::io::BufReader::new(&mut f)
        .read_line(&mut first)
        .map_err(read)?;
    let found: Vec<&str> = first.trim_end_matches(['\n', '\r']).split(',').collect();
    columns(file, &found, expected)?;
    let mut last = [0u8];
    f.seek(SeekFrom::End(-1)).map_err(read)?;
    f.read_exact(&mut last).map_err(read)?;
    if last[0] != b'\n' {
        return Err(mismatch(
            file,
            "the last row does not end with a line break: the file was cut short".into(),
        ));
    }
    Ok(())
}

/// Checks that the columns `found` in `file` are exactly `expected`, in order.
pub fn columns(file: &Path, found: &[&str], expected: &[String]) -> Result<()> {
    let missing: Vec<&str> = expected
        .iter()
        .map(String::as_str)
        .filter(|c| !found.contains(c))
        .collect();
    let extra: Vec<&str> = found
        .iter()
        .copied()
        .filter(|c| !expected.iter().any(|e| e == c))
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        let mut what = Vec::new();
        if !missing.is_empty() {
            what.push(format!("missing column(s) {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            what.push(format!("unknown column(s) {}", extra.join(", ")));
        }
        return Err(mismatch(file, what.join("; ")));
    }
    if let Some(k) = (0..expected.len()).find(|&k| found[k] != expected[k]) {
        return Err(mismatch(
            file,
            format!(
                "column {} is '{}' where tokensim writes '{}': the columns were reordered",
                k + 1,
                found[k],
                expected[k]
            ),
        ));
    }
    Ok(())
}

/// Checks that a table has the `expected` number of rows, `why` saying where that
/// number comes from.
pub fn rows(file: &Path, found: usize, expected: u64, why: &str) -> Result<()> {
    if found as u64 != expected {
        return Err(mismatch(
            file,
            format!(
                "{found} rows, but {why} means {expected}: the file is incomplete or from another run"
            ),
        ));
    }
    Ok(())
}

/// Checks that a table read with known columns has no empty cell (a row cut short
/// or a value removed).
pub fn complete(file: &Path, df: &polars::prelude::DataFrame) -> Result<()> {
    for column in df.columns() {
        let nulls = column.null_count();
        if nulls > 0 {
            return Err(mismatch(
                file,
                format!(
                    "column '{}' has {nulls} empty value(s): a row is cut short or a value was removed",
                    column.name()
                ),
            ));
        }
    }
    Ok(())
}
