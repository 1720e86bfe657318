//! The simulation worker: one thread that runs the newest [`RunRequest`] and sends its
//! progress and digest back as [`Msg`]s. A newer request cancels the running one through
//! the run's progress callback. Traces of one user and exports run on short threads of
//! their own.

use super::digest::Digest;
use super::msg::{Msg, RunRequest};
use super::replicas::replications;
use super::trace::trace_user;
use super::update::BASELINE;
use crate::metrics::RunResult;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Instant;

/// The handle the runtime keeps: send requests, newest wins.
pub struct Worker {
    jobs: Sender<RunRequest>,
    latest: Arc<AtomicU64>,
    latest_trace: Arc<AtomicU64>,
    results: Sender<Msg>,
    _thread: JoinHandle<()>,
}

impl Worker {
    /// Starts the worker; it reports to `results` and runs each simulation on `threads`.
    pub fn start(results: Sender<Msg>, threads: usize) -> Worker {
        let (jobs, inbox) = channel();
        let latest = Arc::new(AtomicU64::new(0));
        let thread = {
            let (latest, results) = (latest.clone(), results.clone());
            std::thread::spawn(move || serve(&inbox, &latest, &results, threads))
        };
        Worker {
            jobs,
            latest,
            latest_trace: Arc::new(AtomicU64::new(0)),
            results,
            _thread: thread,
        }
    }

    /// Starts `request`, cancelling any older run.
    pub fn run(&self, request: RunRequest) {
        self.latest.store(request.generation, Ordering::SeqCst);
        // A closed channel means the worker is gone: nothing left to cancel or run.
        let _ = self.jobs.send(request);
    }

    /// Traces `user` of `run` (from run `generation`) on a thread of its own; a newer
    /// trace stops it.
    pub fn trace(&self, generation: u64, run: Arc<RunResult>, user: u32) {
        let results = self.results.clone();
        let latest = self.latest_trace.clone();
        let mine = latest.fetch_add(1, Ordering::SeqCst) + 1;
        std::thread::spawn(move || {
            let wanted = || latest.load(Ordering::SeqCst) == mine;
            if let Some(trace) = trace_user(&run.scenario, user, &wanted) {
                let _ = results.send(Msg::Traced { generation, trace });
            }
        });
    }

    /// Writes `run`'s outputs and report into `dir`, as `tokensim run` does (the whole
    /// folder at once), on a thread of its own and reports the outcome.
    pub fn export(&self, dir: PathBuf, run: Arc<RunResult>) {
        let results = self.results.clone();
        std::thread::spawn(move || {
            let formats = crate::metrics::store::Formats::default();
            let written = crate::pipeline::folder::save_run(&run, &dir, formats)
                .map(|_| format!("exported the run's outputs and report to {}", dir.display()))
                .map_err(|e| format!("cannot export to {}: {}", dir.display(), error_chain(&e)));
            let _ = results.send(Msg::Done(written));
        });
    }
}

/// An error with its causes, on one status line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text += &format!(": {c}");
        cause = c.source();
    }
    text
}

fn serve(inbox: &Receiver<RunRequest>, latest: &AtomicU64, results: &Sender<Msg>, threads: usize) {
    while let Ok(mut request) = inbox.recv() {
        // Skip requests a newer one has already superseded.
        while let Ok(newer) = inbox.try_recv() {
            if request.generation == BASELINE {
                run_one(request, latest, results, threads);
            }
            request = newer;
        }
        run_one(request, latest, results, threads);
    }
}

/// Runs one request, with its replications 2..N after the first run; the progress
/// counts the unit-days of all of them. The baseline always runs to the end (every
/// comparison needs it); any other run stops as soon as a newer one is asked for.
fn run_one(request: RunRequest, latest: &AtomicU64, results: &Sender<Msg>, threads: usize) {
    let generation = request.generation;
    let keep_going = || generation == BASELINE || latest.load(Ordering::SeqCst) == generation;
    if !keep_going() {
        return;
    }
    let done = AtomicU64::new(0);
    let progress = |n: u64| {
        let done = done.fetch_add(n, Ordering::Relaxed) + n;
        let _ = results.send(Msg::Progress { generation, done });
        keep_going()
    };
    let started = Instant::now();
    let outcome = RunResult::simulate(*request.scenario, threads, &progress);
    let Ok(run) = outcome else {
        // The only way a simulation stops early: a newer run cancelled it.
        return;
    };
    let replications = match &request.replicate {
        None => None,
        Some(how) => match replications(&run, how, threads, &progress) {
            Ok(r) => Some(r),
            Err(_) if !keep_going() => return,
            Err(e) => {
                let result = Err(format!("the replications failed: {}", error_chain(&e)));
                let _ = results.send(Msg::RunDone { generation, result });
                return;
            }
        },
    };
    let result = match Digest::new(run, started.elapsed()) {
        Ok(mut digest) => {
            digest.replications = replications;
            Ok(Arc::new(digest))
        }
        Err(e) => Err(format!(
            "the run's tables cannot be read: {}",
            error_chain(&e)
        )),
    };
    let _ = results.send(Msg::RunDone { generation, result });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::model::Base;
    use crate::tui::msg::Replicate;
    use crate::tui::testing::small_base_with;

    /// Big enough that nine replications outlast the test's reaction to the progress.
    fn base() -> Base {
        small_base_with(&["scenario.users=1500"])
    }

    fn request(generation: u64, n: usize) -> RunRequest {
        let base = base();
        RunRequest {
            generation,
            sets: Vec::new(),
            scenario: Box::new(base.scenario().clone()),
            replicate: (n > 1).then(|| Replicate {
                n,
                base: Box::new(base),
                sets: Vec::new(),
            }),
        }
    }

    #[test]
    fn a_newer_run_cancels_replications_under_way() {
        let (results, inbox) = channel();
        let worker = Worker::start(results, 1);
        let one_run = crate::sim::progress_total(base().scenario());
        worker.run(request(2, 10));
        // Wait until the first run is done and the replications are running.
        loop {
            match inbox.recv().unwrap() {
                Msg::Progress {
                    generation: 2,
                    done,
                } if done > one_run => break,
                Msg::RunDone { generation, .. } => panic!("run {generation} ended early"),
                _ => {}
            }
        }
        worker.run(request(3, 1));
        let mut highest = 0;
        loop {
            match inbox.recv().unwrap() {
                Msg::Progress {
                    generation: 2,
                    done,
                } => highest = highest.max(done),
                Msg::RunDone {
                    generation: 3,
                    result,
                } => {
                    assert!(result.unwrap().replications.is_none());
                    break;
                }
                Msg::RunDone { generation, .. } => panic!("cancelled run {generation} finished"),
                _ => {}
            }
        }
        assert!(highest < one_run * 10, "all ten replications ran");
    }
}
