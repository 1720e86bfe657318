//! The memory check before a run: the model's estimate against what the machine has,
//! so a run too big to finish is refused with advice instead of aborting on a failed
//! allocation (which no error handler can catch, and which leaves a TUI's terminal in
//! the alternate screen).

use crate::scenario::Scenario;
use crate::scenario::memory::{Estimate, estimate, human};
use clap::Args;

/// `--force`, shared by the commands that simulate.
#[derive(Debug, Clone, Args)]
pub struct MemoryGuard {
    /// Run even if the memory estimate exceeds the memory the machine has available.
    #[arg(long)]
    force: bool,
}

/// Memory the machine can give a new process, and where the figure comes from.
pub fn available() -> Option<(u64, &'static str)> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kb| kb * 1024)
    };
    // Kernels before 3.14 have no MemAvailable: total memory is the best bound then.
    field("MemAvailable:")
        .map(|b| (b, "MemAvailable in /proc/meminfo"))
        .or_else(|| field("MemTotal:").map(|b| (b, "MemTotal in /proc/meminfo")))
}

/// One line for `check`: the estimate and, where known, what the machine has.
pub fn describe(s: &Scenario) -> String {
    let e = estimate(s);
    let machine = match available() {
        None => "machine memory unknown".into(),
        Some((b, _)) if b < e.bytes => format!(
            "only {} available: run refuses it without --force",
            human(b)
        ),
        Some((b, _)) => format!("{} available", human(b)),
    };
    format!(
        "memory ≈ {} ({} user-app rows, {} unit-minutes, ~{} revocation rows; {machine})",
        human(e.bytes),
        e.apps,
        e.unit_minutes,
        e.revocations
    )
}

impl MemoryGuard {
    /// Refuses `runs` concurrent runs of `s` (a sweep runs one per thread) unless they
    /// fit in the available memory or `--force` was given.
    pub fn check(&self, s: &Scenario, runs: u64) -> anyhow::Result<()> {
        let Some((have, source)) = available() else {
            return Ok(());
        };
        refuse(estimate(s), runs, have, source, self.force, s.users)
    }
}

fn refuse(
    e: Estimate,
    runs: u64,
    have: u64,
    source: &str,
    force: bool,
    users: u32,
) -> anyhow::Result<()> {
    let need = e.bytes.saturating_mul(runs.max(1));
    if force || need <= have {
        return Ok(());
    }
    let per_run = if runs > 1 {
        format!(" ({runs} runs at once, {} each)", human(e.bytes))
    } else {
        String::new()
    };
    let fits = (users as f64 * have as f64 / need as f64).floor() as u64;
    anyhow::bail!(
        "this needs about {}{per_run} of memory but the machine has {} available ({source}); \
         the estimate counts {} user-app rows, {} unit-minutes and ~{} revocation rows. \
         Use fewer users (about {fits} fit: --set scenario.users={fits}), a shorter horizon, \
         fewer --threads for a sweep, or a bigger machine; --force runs anyway",
        human(need),
        human(have),
        e.apps,
        e.unit_minutes,
        e.revocations
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(bytes: u64) -> Estimate {
        Estimate {
            bytes,
            apps: 1,
            unit_minutes: 1,
            revocations: 0,
        }
    }

    #[test]
    fn refuses_what_does_not_fit_unless_forced() {
        let gb = 1_000_000_000;
        assert!(refuse(e(gb), 1, 2 * gb, "test", false, 1000).is_ok());
        let err = refuse(e(gb), 4, 2 * gb, "test", false, 1000).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("4.0 GB") && text.contains("2.0 GB available"),
            "{text}"
        );
        assert!(
            text.contains("scenario.users=500") && text.contains("--force"),
            "{text}"
        );
        assert!(refuse(e(gb), 4, 2 * gb, "test", true, 1000).is_ok());
    }

    #[test]
    fn reads_this_machines_memory() {
        if std::path::Path::new("/proc/meminfo").exists() {
            let (bytes, _) = available().unwrap();
            assert!(bytes > 16 << 20, "{bytes}");
        }
    }
}
