//! Run folders are written whole or not at all: every file goes into a hidden sibling
//! (`.<name>.tmp-<pid>`), which replaces the folder at the end with two renames (the
//! old folder is moved aside to `.<name>.old-<pid>`, then removed). A run killed at any
//! moment leaves the previous complete run or the new complete run, never a mix, and
//! charts of an older run cannot linger. Leftovers of killed runs are cleared (or, for
//! a run killed between the two renames, the old folder restored) by the next writer.

use crate::metrics::RunResult;
use crate::metrics::atomic::{self, OLD, TMP};
use crate::metrics::store::Formats;
use crate::metrics::summary::Summary;
use crate::report::ReportError;
use std::fs;
use std::path::{Path, PathBuf};

/// A run folder being written.
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

fn write_err(file: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Write {
        file: file.to_path_buf(),
        source,
    }
}

impl Staged {
    /// Checks that `target` can be a run folder (its parent can be created and written,
    /// it is not a file) and creates the hidden folder the run is written into. Called
    /// before simulating, so a bad `--out` fails at once.
    pub fn prepare(target: &Path) -> Result<Staged, ReportError> {
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.starts_with('.'))
            .ok_or_else(|| {
                write_err(target)(std::io::Error::other(
                    "not a folder name (it must end in a name that does not start with '.')",
                ))
            })?;
        if target.exists() && !target.is_dir() {
            return Err(write_err(target)(std::io::Error::other(
                "it exists and is not a folder",
            )));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(write_err(&parent))?;
        recover(&parent, name, target).map_err(write_err(&parent))?;
        let tmp = parent.join(atomic::temp_name(name, TMP));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir(&tmp).map_err(write_err(&tmp))?;
        Ok(Staged {
            target: target.to_path_buf(),
            tmp,
            committed: false,
        })
    }

    /// The hidden folder to write into.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// The folder the run ends up in.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swaps the written folder in place of the target.
    pub fn commit(mut self) -> Result<PathBuf, ReportError> {
        let target = self.target.clone();
        let aside = target.with_file_name(atomic::temp_name(
            target.file_name().and_then(|n| n.to_str()).unwrap_or("run"),
            OLD,
        ));
        if target.exists() {
            fs::rename(&target, &aside).map_err(write_err(&target))?;
        }
        fs::rename(&self.tmp, &target).map_err(write_err(&target))?;
        self.committed = true;
        if aside.exists() {
            fs::remove_dir_all(&aside).map_err(write_err(&aside))?;
        }
        Ok(target)
    }
}

impl Drop for Staged {
    /// A run that failed or was cancelled leaves nothing behind.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Clears what killed writers of `name` left in `parent`: a run killed between the two
/// renames of [`Staged::commit`] left no folder but the old one moved aside, which is
/// put back; every other leftover is removed.
fn recover(parent: &Path, name: &str, target: &Path) -> std::io::Result<()> {
    if !target.exists() {
        for entry in fs::read_dir(parent)? {
            let file = entry?.file_name();
            if let Some((n, tag)) = file.to_str().and_then(atomic::stale)
                && n == name
                && tag == OLD
            {
                fs::rename(parent.join(&file), target)?;
                break;
            }
        }
    }
    atomic::remove_stale(parent, |n, _| n == name).map(|_| ())
}

/// Writes a run with its tables, summary and report into `out` as one swap:
/// [`Staged::prepare`], the pipeline's stages from the tables built in memory,
/// [`Staged::commit`], on every core. Returns the summary.
pub fn save_run(run: &RunResult, out: &Path, formats: Formats) -> Result<Summary, ReportError> {
    let staged = Staged::prepare(out)?;
    let tables = crate::analytics::RunTables::from_result(run)?;
    let summary = super::save(&tables, None, staged.path(), formats, super::pool::cores())?;
    staged.commit()?;
    Ok(summary)
}
