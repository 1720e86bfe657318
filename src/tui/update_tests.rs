//! `update` by behaviour: lever keys produce the right run request, invalid levers are
//! refused with the model's error, and only the newest run's result is shown.

use super::*;
use crate::tui::model::Tab;
use crate::tui::testing::{digest_of, model_with_baseline};
use crossterm::event::KeyEvent;

fn key(model: &mut Model, code: KeyCode) -> Vec<Cmd> {
    update(model, Msg::Key(KeyEvent::from(code)))
}

fn select(model: &mut Model, label: &str) {
    model.lever = model
        .levers
        .iter()
        .position(|l| l.label == label)
        .unwrap_or_else(|| panic!("no lever {label}"));
}

fn run_request(cmds: Vec<Cmd>) -> RunRequest {
    match <[Cmd; 1]>::try_from(cmds) {
        Ok([Cmd::Run(r)]) => r,
        _ => panic!("expected exactly one run request"),
    }
}

#[test]
fn a_lever_change_requests_a_run_of_the_changed_scenario() {
    let mut model = model_with_baseline();
    select(&mut model, "population (users)");
    let r = run_request(key(&mut model, KeyCode::Right));
    assert_eq!(r.generation, 2);
    assert_eq!(r.sets, vec!["scenario.users=1000"]);
    assert_eq!(r.scenario.users, 1000);
    assert_eq!(model.running.map(|r| r.generation), Some(2));

    select(&mut model, "AT lifetime max");
    let r = run_request(key(&mut model, KeyCode::Right));
    assert_eq!(r.generation, 3);
    assert_eq!(
        r.sets,
        vec![
            "scenario.users=1000",
            "policy.access_token.lifetime_max=\"2h\""
        ]
    );
    assert_eq!(
        r.scenario.policy.at_max,
        crate::engine::SimDuration::from_hours(2)
    );
}

#[test]
fn wildcard_levers_set_every_app_and_reset_removes_them() {
    let mut model = model_with_baseline();
    select(&mut model, "backup authentication");
    let r = run_request(key(&mut model, KeyCode::Right));
    assert_eq!(r.sets, vec!["platform.backup.enabled=false"]);
    assert!(!r.scenario.platform.backup.enabled);

    select(&mut model, "cp1 (CAE) on every app");
    let r = run_request(key(&mut model, KeyCode::Right));
    let apps: usize = r.scenario.segments.iter().map(|s| s.apps.len()).sum();
    assert_eq!(r.sets.len(), 1 + apps);
    assert!(
        r.scenario
            .segments
            .iter()
            .all(|s| s.apps.iter().all(|a| a.cp1))
    );

    let r = run_request(key(&mut model, KeyCode::Char('r')));
    assert_eq!(r.sets, vec!["platform.backup.enabled=false"]);

    select(&mut model, "cp1 office-eu/teams");
    let r = run_request(key(&mut model, KeyCode::Right));
    assert_eq!(r.sets[1], "segment.0.app.1.cp1=true");
    assert!(r.scenario.segments[0].apps[1].cp1 && !r.scenario.segments[0].apps[0].cp1);
    let r = run_request(key(&mut model, KeyCode::Char('R')));
    assert!(r.sets.is_empty());
    assert!(r.scenario.platform.backup.enabled);
}

#[test]
fn an_invalid_lever_value_shows_the_model_error_and_runs_nothing() {
    let mut model = model_with_baseline();
    select(&mut model, "AT lifetime min");
    for _ in 0..2 {
        assert_eq!(key(&mut model, KeyCode::Right).len(), 1);
    }
    // 90 min is the max: a third step up would put the minimum above it.
    assert!(key(&mut model, KeyCode::Right).is_empty());
    assert!(model.status.starts_with("error:"), "{}", model.status);
    assert!(model.status.contains("lifetime_max"), "{}", model.status);
    assert_eq!(model.sets.len(), 1);
    assert_eq!(model.generation, 3);
}

#[test]
fn outage_levers_switch_between_presets_custom_and_none() {
    let mut model = model_with_baseline();
    select(&mut model, "outage preset");
    // From the model's preset, down once is `none`, down again is `custom`.
    let r = run_request(key(&mut model, KeyCode::Left));
    assert!(r.scenario.outages.is_empty());
    assert_eq!(r.sets, vec!["outage=[]"]);
    let r = run_request(key(&mut model, KeyCode::Right));
    assert_eq!(r.scenario.outages[0].name, "2020-09-28-global");
    assert_eq!(r.scenario.outages[0].start.minute(), 24 * 60);
    select(&mut model, "outage preset");
    model.sets.clear();
    model.scenario = model.base.scenario().clone();
    let r = run_request(key(&mut model, KeyCode::Left));
    assert!(r.scenario.outages.is_empty());
    let r = run_request(key(&mut model, KeyCode::Left));
    assert_eq!(r.scenario.outages[0].name, "custom");
    select(&mut model, "outage kind");
    let r = run_request(key(&mut model, KeyCode::Right));
    assert_eq!(r.scenario.outages[0].kind.label(), "degraded");
    select(&mut model, "outage start");
    let r = run_request(key(&mut model, KeyCode::Right));
    assert_eq!(r.scenario.outages[0].start.minute(), 25 * 60);
}

#[test]
fn results_of_superseded_runs_are_ignored() {
    let mut model = model_with_baseline();
    let baseline = digest_of(&model);
    select(&mut model, "population (users)");
    let older = run_request(key(&mut model, KeyCode::Right));
    let newer = run_request(key(&mut model, KeyCode::Right));
    assert_eq!((older.generation, newer.generation), (2, 3));
    update(
        &mut model,
        Msg::Progress {
            generation: older.generation,
            done: 1,
        },
    );
    assert_eq!(model.running.map(|r| (r.generation, r.done)), Some((3, 0)));
    update(
        &mut model,
        Msg::RunDone {
            generation: older.generation,
            result: Ok(baseline.clone()),
        },
    );
    assert_eq!(model.current.as_ref().map(|(g, _)| *g), Some(BASELINE));
    assert!(model.running.is_some(), "the newer run is still awaited");
    update(
        &mut model,
        Msg::RunDone {
            generation: newer.generation,
            result: Ok(baseline),
        },
    );
    assert_eq!(model.current.as_ref().map(|(g, _)| *g), Some(3));
    assert!(model.running.is_none());
}

#[test]
fn the_user_tab_asks_for_the_worst_users_trace_once() {
    let mut model = model_with_baseline();
    let cmds = key(&mut model, KeyCode::Char('5'));
    assert_eq!(model.tab, Tab::User);
    let worst = model.digest().expect("run").worst[0].user;
    assert!(matches!(cmds.as_slice(), [Cmd::Trace { user, generation: 1, .. }] if *user == worst));
    assert!(key(&mut model, KeyCode::Char('5')).is_empty());
    let trace = crate::tui::trace::trace_user(&model.scenario, worst, &|| true).expect("traced");
    assert!(!trace.events.is_empty());
    update(
        &mut model,
        Msg::Traced {
            generation: 1,
            trace,
        },
    );
    assert!(model.user.trace.is_some());
}

#[test]
fn save_writes_a_model_that_loads_back_the_same() {
    let mut model = model_with_baseline();
    select(&mut model, "RT max inactive");
    key(&mut model, KeyCode::Left);
    let cmds = key(&mut model, KeyCode::Char('s'));
    let [Cmd::Save(_, text)] = cmds.as_slice() else {
        panic!("expected a save");
    };
    let again =
        crate::scenario::parse_model(text, "saved.toml", &[]).expect("saved model is valid");
    assert_eq!(
        again.policy.max_inactive,
        crate::engine::SimDuration::from_days(60)
    );
    assert_eq!(again.users, model.scenario.users);
    assert_eq!(again.outages, model.scenario.outages);
}

#[test]
fn q_and_esc_quit_and_any_key_closes_the_key_map() {
    let mut model = model_with_baseline();
    key(&mut model, KeyCode::Char('?'));
    assert!(model.help);
    assert!(key(&mut model, KeyCode::Esc).is_empty());
    assert!(!model.help && !model.quit);
    assert!(matches!(
        key(&mut model, KeyCode::Esc).as_slice(),
        [Cmd::Quit]
    ));
    assert!(model.quit);
}

#[test]
fn n_cycles_the_replications_and_reruns_the_levers_with_them() {
    let mut model = model_with_baseline();
    select(&mut model, "population (users)");
    key(&mut model, KeyCode::Right);
    let one_run = progress_total(&model.scenario);
    for (generation, n) in [(3, 3), (4, 5), (5, 10)] {
        let r = run_request(key(&mut model, KeyCode::Char('n')));
        assert_eq!((r.generation, model.replications), (generation, n));
        let how = r.replicate.expect("replications beyond the first");
        assert_eq!(how.n, n);
        assert_eq!(how.sets, model.sets);
        assert_eq!(r.sets, vec!["scenario.users=1000"]);
        // The gauge covers every replication.
        assert_eq!(model.running.map(|r| r.total), Some(one_run * n as u64));
    }
    // A lever change while replications run supersedes them, with the same setting.
    let r = run_request(key(&mut model, KeyCode::Left));
    assert_eq!((r.generation, r.replicate.map(|h| h.n)), (6, Some(10)));
    // Back to one: a plain run, as before the setting existed.
    let r = run_request(key(&mut model, KeyCode::Char('n')));
    assert_eq!((model.replications, r.replicate.is_none()), (1, true));
    assert_eq!(
        model.running.map(|r| r.total),
        Some(progress_total(&model.scenario))
    );
}
