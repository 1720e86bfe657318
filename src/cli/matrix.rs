//! `tokensim matrix`: print the revocation matrix the simulator applies.

use crate::domain::token::TokenClass;
use crate::policy::revocation::{LEGACY_ADMIN_RESET, MATRIX_CSV, MATRIX_LABEL, MatrixTable};
use clap::Args;
use std::io::Write;

/// Arguments of `matrix`.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Print the CSV file as embedded (with its source column) instead of a table.
    #[arg(long)]
    pub csv: bool,
}

/// Prints the matrix to stdout.
pub fn matrix(args: MatrixArgs) -> anyhow::Result<()> {
    let table = MatrixTable::embedded()?;
    let mut out = std::io::stdout().lock();
    if args.csv {
        out.write_all(MATRIX_CSV.as_bytes())?;
    } else {
        out.write_all(render(table).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// The matrix as an aligned text table, with a legend and the sources.
pub fn render(table: &MatrixTable) -> String {
    let mut header = vec!["event".to_string()];
    header.extend(TokenClass::ALL.iter().map(|c| c.label().to_string()));
    let mut lines: Vec<Vec<String>> = vec![header];
    for row in &table.rows {
        let mut line = vec![row.id.clone()];
        line.extend(
            row.revoked
                .iter()
                .map(|r| if *r { "revoked" } else { "alive" }.to_string()),
        );
        lines.push(line);
    }
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|i| lines.iter().map(|l| l[i].len()).max().unwrap_or(0))
        .collect();
    let mut text =
        format!("Revocation matrix ({MATRIX_LABEL}): refresh tokens and session cookies\n\n");
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text.push_str(&format!(
        "\nAccess tokens are never revoked: they live to expiry, except at CAE-capable resources.\n\
         '{LEGACY_ADMIN_RESET}' replaces both admin-reset rows when a model sets events.matrix = \"legacy\".\n\nSources:\n"
    ));
    let mut sources: Vec<&str> = table.rows.iter().map(|r| r.source.as_str()).collect();
    sources.dedup();
    for s in sources {
        text.push_str(&format!("  {s}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_row_aligned() {
        let text = render(MatrixTable::embedded().unwrap());
        assert!(text.contains("admin-reset-entra-admin-center  revoked     revoked    alive          revoked       revoked"), "{text}");
        assert!(text.contains("single-sign-out"));
        assert!(text.contains("https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens#token-revocation"));
    }
}
