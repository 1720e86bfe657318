//! The runtime around the Elm loop: terminal set-up and restore (also after a panic),
//! an input thread and the worker both feeding one message channel, and the effects of
//! [`Cmd`]s.

use super::model::{Base, Model, Paths};
use super::msg::{Cmd, Msg};
use super::update::{start, update};
use super::view::view;
use super::worker::Worker;
use crossterm::event::{self, Event};
use std::sync::mpsc::{Sender, channel};

/// Runs the UI on the terminal until the user quits. `ratatui::try_init` puts the
/// terminal in raw mode on the alternate screen and installs a panic hook that restores
/// it before the panic message is printed; on top of it, a panic on any thread (the
/// worker's too) ends the process, so the UI never goes on drawing on a restored terminal.
/// Every other way out (quit, an error of the loop) passes through `Restore`. What
/// no handler sees, a failed allocation, is prevented by the memory check before.
pub fn run(base: Base, paths: Paths, threads: usize) -> std::io::Result<()> {
    let restore = Restore;
    let mut terminal = ratatui::try_init()?;
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_and_report(info);
        std::process::exit(101);
    }));
    let result = main_loop(&mut terminal, Model::new(base, paths), threads);
    drop(restore);
    result
}

/// Restores the terminal when dropped, on every path out of [`run`].
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

fn main_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut model: Model,
    threads: usize,
) -> std::io::Result<()> {
    let (tx, rx) = channel();
    let worker = Worker::start(tx.clone(), threads);
    spawn_input(tx.clone());
    let mut pending = start(&mut model);
    loop {
        for cmd in pending.drain(..) {
            if let Some(msg) = effect(cmd, &worker) {
                tx.send(msg).map_err(std::io::Error::other)?;
            }
        }
        if model.quit {
            return Ok(());
        }
        terminal.draw(|frame| view(&model, frame))?;
        let Ok(msg) = rx.recv() else {
            return Ok(());
        };
        pending = update(&mut model, msg);
        // Apply whatever else is waiting before drawing again, so a burst of progress
        // messages costs one frame.
        while let Ok(msg) = rx.try_recv() {
            pending.extend(update(&mut model, msg));
        }
    }
}

/// Reads terminal events on a thread of its own, so the UI never waits on input.
fn spawn_input(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            let msg = match ev {
                Event::Key(key) => Msg::Key(key),
                Event::Resize(..) => Msg::Resize,
                _ => continue,
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    });
}

/// Carries out `cmd`; quick effects answer at once with a message.
fn effect(cmd: Cmd, worker: &Worker) -> Option<Msg> {
    match cmd {
        Cmd::Run(request) => worker.run(request),
        Cmd::Trace {
            generation,
            run,
            user,
        } => worker.trace(generation, run, user),
        Cmd::Save(path, text) => {
            let saved = crate::metrics::atomic::write_bytes(&path, text.as_bytes())
                .map(|()| {
                    format!(
                        "saved the levers as {} (valid for tokensim run)",
                        path.display()
                    )
                })
                .map_err(|e| format!("cannot save {}: {e}", path.display()));
            return Some(Msg::Done(saved));
        }
        Cmd::Export(dir, run) => worker.export(dir, run),
        Cmd::Quit => {}
    }
    None
}
