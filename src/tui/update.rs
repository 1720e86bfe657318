//! `update`: the only place the [`Model`] changes. Keys become model changes and
//! [`Cmd`]s; results from the worker are accepted only from the newest run.

use super::lever::{Change, LeverKind};
use super::model::{Model, REPLICATIONS, Running, Tab, ZOOMS};
use super::msg::{Cmd, Msg, Replicate, RunRequest};
use super::trace::What;
use crate::scenario::Override;
use crate::scenario::load::to_toml;
use crate::sim::progress_total;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

/// The generation of the first run: the model as loaded, kept as the baseline.
pub const BASELINE: u64 = 1;

/// The commands to issue when the UI starts: simulate the model as loaded.
pub fn start(model: &mut Model) -> Vec<Cmd> {
    vec![request_run(model)]
}

/// Applies `msg` to `model` and returns the side effects to carry out.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(model, key),
        Msg::Key(_) | Msg::Resize => Vec::new(),
        Msg::Progress { generation, done } => {
            if let Some(r) = model
                .running
                .as_mut()
                .filter(|r| r.generation == generation)
            {
                r.done = done;
            }
            Vec::new()
        }
        Msg::RunDone { generation, result } => on_run_done(model, generation, result),
        Msg::Traced { generation, trace } => {
            let current = model.current.as_ref().map(|(g, _)| *g);
            if current == Some(generation) && model.user.pending == Some((generation, trace.user)) {
                model.user.pending = None;
                // Open the timeline a few lines before the first thing that went wrong.
                let first_trouble = trace
                    .events
                    .iter()
                    .position(|e| matches!(e.what, What::Blocked(_) | What::Prompt(_)));
                model.user.scroll = first_trouble.map_or(0, |i| i.saturating_sub(3));
                model.user.trace = Some((generation, trace));
            }
            Vec::new()
        }
        Msg::Done(result) => {
            model.status = result.unwrap_or_else(|e| format!("error: {e}"));
            Vec::new()
        }
    }
}

fn on_run_done(
    model: &mut Model,
    generation: u64,
    result: Result<std::sync::Arc<super::digest::Digest>, String>,
) -> Vec<Cmd> {
    if let (BASELINE, Ok(d)) = (generation, &result) {
        model.baseline = Some(d.clone());
    }
    if generation != model.generation {
        return Vec::new();
    }
    model.running = None;
    match result {
        Ok(d) => {
            model.status = format!(
                "run {generation} done in {:.2} s: {} users, {:.0} d (sim {:.2} s, digest {:.2} s)",
                (d.simulated + d.digested).as_secs_f64(),
                d.summary.users,
                d.summary.horizon_days,
                d.simulated.as_secs_f64(),
                d.digested.as_secs_f64()
            );
            let minutes = d.series.offered.len() as u64;
            model.timeline.cursor = model.timeline.cursor.min(minutes.saturating_sub(1));
            model.current = Some((generation, d));
            model.user.selected = 0;
            model.user.trace = None;
            model.user.pending = None;
            want_trace(model)
        }
        Err(e) => {
            model.status = format!("error: run {generation}: {e}");
            Vec::new()
        }
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if model.help {
        model.help = false;
        return match key.code {
            KeyCode::Char('q') => quit(model),
            _ => Vec::new(),
        };
    }
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => return quit(model),
        KeyCode::Char('?') => {
            model.help = true;
            return Vec::new();
        }
        KeyCode::Tab => return switch_tab(model, 1),
        KeyCode::BackTab => return switch_tab(model, Tab::ALL.len() - 1),
        KeyCode::Char(c @ '1'..='5') => {
            model.tab = Tab::ALL[c as usize - '1' as usize];
            return want_trace(model);
        }
        KeyCode::Char('n') => return cycle_replications(model),
        KeyCode::Char('s') => {
            let text = to_toml(&model.scenario.raw);
            return vec![Cmd::Save(model.paths.save.clone(), text)];
        }
        KeyCode::Char('e') => {
            return match model.digest() {
                Some(d) => vec![Cmd::Export(model.paths.export.clone(), d.run.clone())],
                None => {
                    model.status = "nothing to export yet: the first run has not finished".into();
                    Vec::new()
                }
            };
        }
        _ => {}
    }
    match model.tab {
        Tab::Levers => levers_key(model, key.code),
        Tab::Timeline => {
            timeline_key(model, key.code);
            Vec::new()
        }
        Tab::Impact => {
            match key.code {
                KeyCode::Left | KeyCode::Char('h') => {
                    model.impact_section = (model.impact_section + 2) % 3
                }
                KeyCode::Right | KeyCode::Char('l') => {
                    model.impact_section = (model.impact_section + 1) % 3
                }
                _ => {}
            }
            Vec::new()
        }
        Tab::Exposure => Vec::new(),
        Tab::User => user_key(model, key.code),
    }
}

fn quit(model: &mut Model) -> Vec<Cmd> {
    model.quit = true;
    vec![Cmd::Quit]
}

fn switch_tab(model: &mut Model, by: usize) -> Vec<Cmd> {
    let i = Tab::ALL.iter().position(|t| *t == model.tab).unwrap_or(0);
    model.tab = Tab::ALL[(i + by) % Tab::ALL.len()];
    want_trace(model)
}

fn levers_key(model: &mut Model, code: KeyCode) -> Vec<Cmd> {
    let n = model.levers.len();
    match code {
        KeyCode::Up | KeyCode::Char('k') => model.lever = (model.lever + n - 1) % n,
        KeyCode::Down | KeyCode::Char('j') => model.lever = (model.lever + 1) % n,
        KeyCode::Right | KeyCode::Char('l') | KeyCode::Char('+') | KeyCode::Enter => {
            return move_lever(model, true);
        }
        KeyCode::Left | KeyCode::Char('h') | KeyCode::Char('-') => return move_lever(model, false),
        KeyCode::Char('r') => return reset_lever(model),
        KeyCode::Char('R') => return apply_sets(model, Vec::new(), "all levers back to the model"),
        _ => {}
    }
    Vec::new()
}

fn move_lever(model: &mut Model, up: bool) -> Vec<Cmd> {
    let lever = &model.levers[model.lever];
    match lever.step(&model.scenario, up) {
        Ok(change) => {
            let label = lever.label.clone();
            match with_change(&model.sets, change) {
                Ok(sets) => apply_sets(model, sets, &label),
                Err(e) => {
                    model.status = format!("error: {e}");
                    Vec::new()
                }
            }
        }
        Err(e) => {
            model.status = format!("{}: {e}", lever.label);
            Vec::new()
        }
    }
}

/// The lever overrides after `change`: cleared entries dropped, each set replacing an
/// earlier one of the same path or appended.
pub fn with_change(sets: &[Override], change: Change) -> Result<Vec<Override>, String> {
    let mut out: Vec<Override> = sets.to_vec();
    if let Some(prefix) = &change.clears {
        out.retain(|o| !under(&o.path.join("."), prefix));
    }
    for (path, value) in change.sets {
        let o: Override = format!("{path}={value}")
            .parse()
            .map_err(|e| format!("{e}"))?;
        match out.iter_mut().find(|x| x.path == o.path) {
            Some(slot) => *slot = o,
            None => out.push(o),
        }
    }
    Ok(out)
}

/// Whether dotted `key` is `prefix` or lies under it.
fn under(key: &str, prefix: &str) -> bool {
    key == prefix || key.starts_with(&format!("{prefix}."))
}

/// Whether dotted `key` matches `pattern`, where `*` matches any one part.
fn matches(pattern: &str, key: &str) -> bool {
    let (p, k): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), key.split('.').collect());
    p.len() == k.len() && p.iter().zip(&k).all(|(p, k)| *p == "*" || p == k)
}

fn reset_lever(model: &mut Model) -> Vec<Cmd> {
    let lever = &model.levers[model.lever];
    let label = format!("{} back to the model", lever.label);
    let sets: Vec<Override> = model
        .sets
        .iter()
        .filter(|o| {
            let key = o.path.join(".");
            match lever.kind {
                LeverKind::OutagePreset => !under(&key, "outage"),
                _ => !matches(&lever.path, &key),
            }
        })
        .cloned()
        .collect();
    if sets.len() == model.sets.len() {
        model.status = format!("{}: already as in the model", lever.label);
        return Vec::new();
    }
    apply_sets(model, sets, &label)
}

/// Validates the scenario with `sets`; if it is valid, keeps it and asks for a run,
/// else shows the error and keeps the previous levers.
fn apply_sets(model: &mut Model, sets: Vec<Override>, what: &str) -> Vec<Cmd> {
    match model.base.with(&sets) {
        Ok(scenario) => {
            model.sets = sets;
            model.scenario = scenario;
            model.status = format!("{what}: re-running");
            vec![request_run(model)]
        }
        Err(e) => {
            model.status = format!("error: {e}");
            Vec::new()
        }
    }
}

/// The next replications setting, re-running the current levers with it.
fn cycle_replications(model: &mut Model) -> Vec<Cmd> {
    let i = REPLICATIONS
        .iter()
        .position(|n| *n == model.replications)
        .unwrap_or(0);
    model.replications = REPLICATIONS[(i + 1) % REPLICATIONS.len()];
    model.status = match model.replications {
        1 => "a single run per lever setting: re-running".into(),
        n => format!("{n} replications per lever setting: re-running"),
    };
    vec![request_run(model)]
}

fn request_run(model: &mut Model) -> Cmd {
    let n = model.replications;
    model.generation += 1;
    model.running = Some(Running {
        generation: model.generation,
        done: 0,
        total: progress_total(&model.scenario) * n as u64,
    });
    Cmd::Run(RunRequest {
        generation: model.generation,
        sets: model.sets.iter().map(|o| o.text.clone()).collect(),
        scenario: Box::new(model.scenario.clone()),
        replicate: (n > 1).then(|| Replicate {
            n,
            base: Box::new(model.base.clone()),
            sets: model.sets.clone(),
        }),
    })
}

fn timeline_key(model: &mut Model, code: KeyCode) {
    let minutes = model.minutes();
    let (from, to) = model.window();
    let step = ((to - from) / 96).max(1);
    let t = &mut model.timeline;
    let last = minutes.saturating_sub(1);
    match code {
        KeyCode::Left | KeyCode::Char('h') => t.cursor = t.cursor.saturating_sub(step),
        KeyCode::Right | KeyCode::Char('l') => t.cursor = (t.cursor + step).min(last),
        KeyCode::Char('[') => t.cursor = t.cursor.saturating_sub(1),
        KeyCode::Char(']') => t.cursor = (t.cursor + 1).min(last),
        KeyCode::Home => t.cursor = 0,
        KeyCode::End => t.cursor = last,
        KeyCode::Char('+') | KeyCode::Char('z') => t.zoom = (t.zoom + 1).min(ZOOMS.len() - 1),
        KeyCode::Char('-') | KeyCode::Char('Z') => t.zoom = t.zoom.saturating_sub(1),
        KeyCode::Char('o') => {
            let starts: Vec<u64> = model
                .scenario
                .outages
                .iter()
                .map(|o| o.start.minute())
                .collect();
            let cursor = model.timeline.cursor;
            let next = starts.iter().copied().filter(|s| *s > cursor).min();
            if let Some(s) = next.or_else(|| starts.iter().copied().min()) {
                model.timeline.cursor = s.min(last);
            }
        }
        _ => {}
    }
}

fn user_key(model: &mut Model, code: KeyCode) -> Vec<Cmd> {
    let users = model.digest().map_or(0, |d| d.worst.len());
    let u = &mut model.user;
    match code {
        KeyCode::Up | KeyCode::Char('k') if u.selected > 0 => u.selected -= 1,
        KeyCode::Down | KeyCode::Char('j') if u.selected + 1 < users => u.selected += 1,
        KeyCode::PageDown | KeyCode::Char(' ') => u.scroll += 10,
        KeyCode::PageUp => u.scroll = u.scroll.saturating_sub(10),
        _ => return Vec::new(),
    }
    want_trace(model)
}

/// On the User tab, asks for the selected user's timeline unless it is shown or coming.
fn want_trace(model: &mut Model) -> Vec<Cmd> {
    let Some((generation, d)) = model.current.as_ref().filter(|_| model.tab == Tab::User) else {
        return Vec::new();
    };
    let Some(row) = d.worst.get(model.user.selected) else {
        return Vec::new();
    };
    let want = (*generation, row.user);
    let shown = model.user.trace.as_ref().map(|(g, t)| (*g, t.user));
    if shown == Some(want) || model.user.pending == Some(want) {
        return Vec::new();
    }
    model.user.pending = Some(want);
    vec![Cmd::Trace {
        generation: want.0,
        run: d.run.clone(),
        user: want.1,
    }]
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
