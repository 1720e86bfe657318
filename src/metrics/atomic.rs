//! Output files are written to a temporary name in the same folder and renamed into
//! place, so a crash never leaves a half-written table. A killed process leaves its
//! temporary behind; [`remove_stale`] clears those of processes that no longer run.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes a file atomically through `fill`.
pub fn write_with<F>(path: &Path, fill: F) -> std::io::Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
{
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = path.with_file_name(temp_name(name, TMP));
    let result = (|| {
        let mut w = BufWriter::new(File::create(&tmp)?);
        fill(&mut w)?;
        w.flush()?;
        w.get_ref().sync_all()
    })();
    match result {
        Ok(()) => fs::rename(&tmp, path),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Tag of a file or folder being written.
pub const TMP: &str = "tmp";
/// Tag of a run folder moved aside while its replacement is swapped in.
pub const OLD: &str = "old";

/// The hidden name this process gives `name` while it is written (`tag` [`TMP`]) or
/// moved aside (`tag` [`OLD`]): `.<name>.<tag>-<pid>`.
pub fn temp_name(name: &str, tag: &str) -> String {
    format!(".{name}.{tag}-{}", std::process::id())
}

/// If `file` is a temporary name (`.<name>.<tag>-<pid>`) of a process that no longer
/// runs, the `name` and `tag` it stands for.
pub fn stale(file: &str) -> Option<(&str, &str)> {
    let rest = file.strip_prefix('.')?;
    let (head, pid) = rest.rsplit_once('-')?;
    let (name, tag) = head.rsplit_once('.')?;
    let pid: u32 = pid.parse().ok()?;
    let ours = pid == std::process::id();
    let dead = !ours && !Path::new("/proc").join(pid.to_string()).exists();
    ([TMP, OLD].contains(&tag) && !name.is_empty() && dead).then_some((name, tag))
}

/// Removes the temporaries of dead processes in `dir` (files and folders) whose name
/// `keep` accepts; returns how many it removed.
pub fn remove_stale(dir: &Path, keep: impl Fn(&str, &str) -> bool) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let file = entry.file_name();
        let Some((name, tag)) = file.to_str().and_then(stale) else {
            continue;
        };
        if !keep(name, tag) {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&path)?;
        } else {
            fs::remove_file(&path)?;
        }
        removed += 1;
    }
    Ok(removed)
}

/// Writes `bytes` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_no_file_and_no_temporary() {
        let dir = std::env::temp_dir().join(format!("tokensim-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.csv");
        let err = write_with(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("crash"))
        });
        assert!(err.is_err());
        assert!(!path.exists());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        write_bytes(&path, b"whole").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"whole");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_removed_and_live_ones_kept() {
        let dir = std::env::temp_dir().join(format!("tokensim-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // pid 0 is never a process of ours; this process is alive.
        fs::write(dir.join(".users.csv.tmp-0"), b"half").unwrap();
        fs::write(dir.join(temp_name("summary.json", TMP)), b"mine").unwrap();
        fs::write(dir.join(".notes.txt"), b"user file").unwrap();
        assert_eq!(stale(".users.csv.tmp-0"), Some(("users.csv", TMP)));
        assert_eq!(stale(".users.csv.tmp-x"), None);
        assert_eq!(remove_stale(&dir, |_, _| true).unwrap(), 1);
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
