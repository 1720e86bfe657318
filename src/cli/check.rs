//! `tokensim check`: validate model files.

use crate::scenario;
use clap::Args;
use std::path::PathBuf;

pub(super) const HELP: &str = "\
Exits with status 1 if any file is invalid; each error names the file, the field path
and the bad value, and says what is allowed.

Examples:
  tokensim check models/*.toml
  tokensim check my-tenant.toml";

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Model files to validate.
    #[arg(required = true)]
    pub models: Vec<PathBuf>,
}

/// Validates each file, reports every error, fails if any file is bad.
pub fn check(args: CheckArgs) -> anyhow::Result<()> {
    let mut bad = 0;
    for path in &args.models {
        match scenario::load_file(path, &[]) {
            Ok(s) => println!(
                "ok  {}: scenario '{}', {} users in {} units, {} segments, {} outages\n    {}",
                path.display(),
                s.name,
                s.users,
                s.scale_units,
                s.segments.len(),
                s.outages.len(),
                super::memory::describe(&s)
            ),
            Err(e) => {
                eprintln!("bad {e}");
                bad += 1;
            }
        }
    }
    if bad > 0 {
        anyhow::bail!("{bad} of {} model files are invalid", args.models.len());
    }
    Ok(())
}
