//! `tokensim tui` driven in a real pseudo-terminal through tmux: start, change a lever,
//! wait for the re-run, save, run three replications, quit; the saved model passes
//! `tokensim check` and the terminal is back in cooked mode on the normal screen.
//!
//! tmux is the driver (CI installs it: `apt-get install -y tmux`); without it the test
//! says so and skips. It uses its own tmux server socket, so it never touches a user's.

use crate::common;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        let out = self.cmd(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &str) {
        assert!(
            self.cmd(&["send-keys", "-t", &self.session, keys])
                .status
                .success()
        );
    }

    /// Waits until the screen shows `text`; fails with the last screen after `limit`.
    fn wait_for(&self, text: &str, limit: Duration) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                started.elapsed() < limit,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn change_a_lever_rerun_save_and_quit_restores_the_terminal() {
    if !tmux_available() {
        eprintln!(
            "SKIPPED: tmux is not installed (apt-get install -y tmux); the TUI pseudo-terminal test did not run"
        );
        return;
    }
    let dir = common::temp_dir("tui-pty");
    let saved = dir.join("levers.toml");
    let tokensim = common::binary();
    // After the UI exits, the shell reports the exit code and the terminal's mode.
    let script = format!(
        "'{}' tui --set scenario.users=300 --set scenario.horizon=2d --set outage.0.start=1d9h --threads 1 --save '{}'; echo EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | sed 's/^/MODE=/'; sleep 60",
        tokensim.display(),
        saved.display()
    );
    let tmux = Tmux {
        socket: format!("tokensim-test-{}", std::process::id()),
        session: "tui".into(),
    };
    let started = tmux.cmd(&[
        "new-session",
        "-d",
        "-x",
        "80",
        "-y",
        "24",
        "-s",
        "tui",
        "-c",
        &dir.display().to_string(),
        &script,
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let limit = Duration::from_secs(60);

    let screen = tmux.wait_for("run 1 done", limit);
    assert!(screen.contains("population (users)"), "{screen}");
    tmux.keys("Right");
    let screen = tmux.wait_for("run 2 done", limit);
    assert!(
        screen.contains("*1000"),
        "the changed lever is marked:\n{screen}"
    );
    assert!(screen.contains("1000 users"), "{screen}");

    tmux.keys("s");
    tmux.wait_for("saved the levers", limit);
    check_saved(&tokensim, &saved);

    // Three replications: the gauge runs over all of them, then Impact shows the CIs.
    tmux.keys("n");
    let screen = tmux.wait_for("run 3 done", limit);
    assert!(screen.contains("×3 default"), "{screen}");
    tmux.keys("3");
    let screen = tmux.wait_for("across 3 replications (95 % CI)", limit);
    assert!(screen.contains(" ± "), "{screen}");

    tmux.keys("q");
    let screen = tmux.wait_for("MODE=", limit);
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.contains("MODE=icanon") && screen.contains("MODE=echo"),
        "terminal left in raw mode:\n{screen}"
    );
    assert!(
        !screen.contains("population (users)"),
        "the alternate screen was not left:\n{screen}"
    );
}

fn check_saved(tokensim: &Path, saved: &Path) {
    let out = Command::new(tokensim)
        .arg("check")
        .arg(saved)
        .output()
        .expect("tokensim check runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1000 users"), "{stdout}");
}

/// Issue 17.9: the TUI's `e` export wrote the tables but no report.md or charts. It
/// now writes the folder as `tokensim run` does, report included, in one swap.
#[test]
fn tui_export_wrote_tables_but_no_report() {
    use tokensim::tui::{Msg, worker::Worker};
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = Worker::start(tx, 1);
    let scenario = common::model(
        tokensim::scenario::DEFAULT_MODEL,
        &["scenario.users=100", "scenario.horizon=9d"],
    );
    let run = tokensim::metrics::RunResult::simulate(scenario, 1, &|_| true).unwrap();
    let dir = common::temp_dir("tui-export").join("export");
    worker.export(dir.clone(), std::sync::Arc::new(run));
    match rx.recv_timeout(Duration::from_secs(120)).unwrap() {
        Msg::Done(Ok(status)) => assert!(status.contains("report"), "{status}"),
        Msg::Done(Err(e)) => panic!("{e}"),
        _ => panic!("the worker answered something else than the export"),
    }
    for file in [
        "users.csv",
        "summary.json",
        "report.md",
        "load-outage-1.png",
    ] {
        assert!(dir.join(file).exists(), "{file} missing");
    }
}
