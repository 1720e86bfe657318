//! The `tokensim` binary: parse, run, turn errors into exit codes.

// Denied, not forbidden: `one_malloc_arena` allows it for one allocator setting (measured).
#![deny(unsafe_code)]

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    one_malloc_arena();
    let cli = tokensim::cli::Cli::parse();
    match tokensim::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A closed pipe (`tokensim matrix | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// glibc's malloc gives each thread an arena of its own, and what a thread frees stays
/// with its arena: a million-user month peaked at 999,860–1,064,620 KiB in seven runs,
/// with one arena at 933,176–970,756 KiB in five (README, Performance). Set before any
/// other thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn one_malloc_arena() {
    // SAFETY: `mallopt` only sets a tunable of glibc's allocator, which accepts any
    // positive arena count; no other thread exists yet to allocate meanwhile.
    unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) };
}

/// Other allocators keep their own defaults.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
