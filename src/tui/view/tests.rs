//! Screen snapshots of every tab with ratatui's `TestBackend`, at 80×24 and at 160×48,
//! asserting on the text a reader needs (no colour is needed to read any of it).

use crate::tui::model::{Model, Tab};
use crate::tui::msg::Cmd;
use crate::tui::msg::Msg;
use crate::tui::testing::{
    digest_on_worker, model_with_baseline, model_with_baseline_of, small_base_with,
};
use crate::tui::trace::trace_user;
use crate::tui::update::update;
use crate::tui::view::view;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (160, 48);

fn screen(model: &Model, (w, h): (u16, u16)) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    terminal.draw(|f| view(model, f)).expect("draw");
    let buf = terminal.backend().buffer();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf.cell((x, y)).map_or(" ", |c| c.symbol()))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_shows(screen: &str, texts: &[&str]) {
    for t in texts {
        assert!(screen.contains(t), "missing {t:?} in\n{screen}");
    }
}

fn on_tab(tab: Tab) -> Model {
    let mut model = model_with_baseline();
    model.tab = tab;
    model
}

#[test]
fn levers_tab_lists_levers_with_model_values() {
    let model = on_tab(Tab::Levers);
    for size in [SMALL, LARGE] {
        let s = screen(&model, size);
        assert_shows(
            &s,
            &[
                "[1 Levers]",
                "▶ population (users)",
                "300",
                "outage preset",
                "2020-09-28-global",
                "client-profile mix: msal-dotnet",
                "? keys",
            ],
        );
    }
    assert_shows(
        &screen(&model, LARGE),
        &[
            "profile office-eu/outlook",
            "msal-dotnet",
            "backup authentication",
            "cp1 (CAE) apps: 0%",
        ],
    );
}

#[test]
fn a_changed_lever_is_marked_and_the_rerun_shows_a_gauge() {
    let mut model = on_tab(Tab::Levers);
    update(&mut model, Msg::Key(KeyEvent::from(KeyCode::Right)));
    let s = screen(&model, SMALL);
    assert_shows(&s, &["*1000", "run 2", "re-running"]);
}

#[test]
fn timeline_tab_shows_load_blocked_users_and_the_cursor_minute() {
    let model = on_tab(Tab::Timeline);
    for size in [SMALL, LARGE] {
        let s = screen(&model, size);
        assert_shows(
            &s,
            &[
                "load per minute",
                "░ outage",
                "users blocked",
                "d1 09:00",
                "OUTAGE 2020-09-28-global",
                "offered",
            ],
        );
        assert!(s.contains('░'), "outage shading missing\n{s}");
    }
}

#[test]
fn impact_tab_shows_figures_with_the_difference_from_the_baseline() {
    let mut model = on_tab(Tab::Impact);
    let s = screen(&model, SMALL);
    assert_shows(
        &s,
        &[
            "headline (Δ vs model as loaded)",
            "users blocked at least once",
            "(=)",
            "users blocked during outages",
        ],
    );
    update(&mut model, Msg::Key(KeyEvent::from(KeyCode::Right)));
    assert_shows(
        &screen(&model, SMALL),
        &["segment", "office-eu", "blocked min"],
    );
    let s = screen(&model, LARGE);
    assert_shows(
        &s,
        &[
            "headline",
            "office-eu",
            "msal-dotnet",
            "fast-retry",
            "peak load / capacity",
        ],
    );
}

#[test]
fn impact_tab_with_three_replications_shows_mean_and_ci_half_width() {
    let mut model = on_tab(Tab::Impact);
    let request = match update(&mut model, Msg::Key(KeyEvent::from(KeyCode::Char('n')))).pop() {
        Some(Cmd::Run(r)) => r,
        _ => panic!("n asks for a run"),
    };
    let generation = request.generation;
    let result = Ok(digest_on_worker(request));
    update(&mut model, Msg::RunDone { generation, result });
    let d = model.digest().expect("the replicated run");
    let r = d
        .replications
        .as_ref()
        .expect("figures across replications");
    assert_eq!(r.n, 3);
    let blocked = r
        .figures
        .iter()
        .find(|f| f.metric == "blocked_users")
        .and_then(|f| f.estimate)
        .expect("users blocked in every replication");
    let shown = format!(
        "{} ± {}",
        crate::analytics::headline::format_value(Some(blocked.mean)),
        crate::analytics::headline::format_value(Some(blocked.half_width))
    );
    for size in [SMALL, LARGE] {
        let s = screen(&model, size);
        assert_shows(
            &s,
            &[
                "5 User",
                "×3 default",
                "across 3 replications (95 % CI)",
                "mean ± half-width",
                "users blocked at least once",
                &shown,
                "replication 1 (seed 42)",
            ],
        );
    }
    // The first replication's own figures stay, against the baseline (the same run).
    assert_shows(&screen(&model, LARGE), &["(=)", "outage 2020-09-28-global"]);
    model.tab = Tab::Levers;
    assert_shows(&screen(&model, LARGE), &["×3 replications per run (n)"]);
    model.help = true;
    assert_shows(&screen(&model, SMALL), &["replications 1/3/5/10"]);
}

#[test]
fn exposure_tab_says_when_there_are_no_revocation_events() {
    let model = on_tab(Tab::Exposure);
    for size in [SMALL, LARGE] {
        assert_shows(
            &screen(&model, size),
            &["revoked sessions", "no revocation events in this scenario"],
        );
    }
}

#[test]
fn exposure_tab_shows_both_measures_per_event_and_attacker() {
    let mut model = model_with_baseline_of(small_base_with(&["events.rates.password-change=200"]));
    model.tab = Tab::Exposure;
    let s = screen(&model, LARGE);
    assert_shows(
        &s,
        &[
            "password-change",
            "stolen AT",
            "replay",
            "device",
            "alive",
            "after password-change",
        ],
    );
    assert!(s.contains(" min"), "windows in human units:\n{s}");
}

#[test]
fn user_tab_lists_the_worst_users_and_one_timeline() {
    let mut model = on_tab(Tab::User);
    let worst = model.digest().expect("run").worst[0].clone();
    let s = screen(&model, SMALL);
    assert_shows(
        &s,
        &["most blocked", &worst.user.to_string(), "re-running unit"],
    );
    let trace = trace_user(&model.scenario, worst.user, &|| true).expect("traced");
    model.user.pending = Some((1, worst.user));
    update(
        &mut model,
        Msg::Traced {
            generation: 1,
            trace,
        },
    );
    for size in [SMALL, LARGE] {
        assert_shows(
            &screen(&model, size),
            &[&format!("user {}", worst.user), "BLOCKED until"],
        );
    }
}

#[test]
fn key_map_and_waiting_screens() {
    let mut model = on_tab(Tab::Timeline);
    model.help = true;
    assert_shows(
        &screen(&model, SMALL),
        &["keys (any key closes)", "q / Esc", "save the levers"],
    );
    model.help = false;
    model.current = None;
    model.running = Some(crate::tui::model::Running {
        generation: 4,
        done: 3,
        total: 8,
    });
    assert_shows(&screen(&model, SMALL), &["simulating run 4", "run 4  38%"]);
}
