//! The one thread pool of a run, a sweep and replications: plain scoped threads that
//! each take the next job when done with one, results returned in job order, so they
//! never depend on the thread count.
//!
//! Not a rayon pool: a job that analyses a run goes through polars, whose own rayon
//! pool a rayon worker waits on by stealing further jobs onto its stack, until a sweep
//! of a few hundred variants overflowed it (issue 17). Here memory holds one job per
//! thread.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Every core of the machine: the thread count when none is asked for.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `job(0..n)` on up to `threads` threads (one runs inline, on the caller's
/// thread); stops handing out jobs after the first error, and returns the results in
/// job order or the error of the first failed job.
pub fn map<T, E, F>(n: usize, threads: usize, job: F) -> Result<Vec<T>, E>
where
    T: Send,
    E: Send,
    F: Fn(usize) -> Result<T, E> + Sync,
{
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let worker = || {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            let result = job(i);
            failed.fetch_or(result.is_err(), Ordering::Relaxed);
            done.push((i, result));
        }
        done
    };
    let mut done: Vec<(usize, Result<T, E>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_come_in_job_order_for_any_thread_count() {
        for threads in [1, 2, 5] {
            let out: Result<Vec<usize>, ()> = map(20, threads, |i| Ok(i * i));
            assert_eq!(out.unwrap(), (0..20).map(|i| i * i).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_first_failed_job_is_the_error() {
        let out: Result<Vec<usize>, usize> =
            map(50, 3, |i| if i % 7 == 3 { Err(i) } else { Ok(i) });
        assert_eq!(out.unwrap_err(), 3);
    }
}
