//! One TUI lever change on the 20,000-user default scenario cut to 7 days, exactly as
//! `scripts/tui-latency.sh` drives it: the UI thread validates the model with the new
//! lever, the worker simulates it on two threads and digests the run. Under
//! `valgrind --tool=callgrind` (`--profile-time`) it shows where the latency goes.

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;
use tokensim::metrics::RunResult;
use tokensim::scenario::Override;
use tokensim::scenario::load::{DEFAULT_LABEL, DEFAULT_MODEL};
use tokensim::tui::Base;
use tokensim::tui::digest::Digest;

fn overrides(sets: &[&str]) -> Vec<Override> {
    sets.iter()
        .map(|s| s.parse().expect("a valid override"))
        .collect()
}

fn lever_change(c: &mut Criterion) {
    let command_line = overrides(&["scenario.horizon=7d", "outage.0.start=2026-03-04T09:00"]);
    let base = Base::new(DEFAULT_MODEL.into(), DEFAULT_LABEL.into(), command_line)
        .expect("the default model is valid");
    let lever = overrides(&["policy.access_token.lifetime_max=2h"]);
    let mut group = c.benchmark_group("tui_lever");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.bench_function("default_20k_users_7d_at_lifetime_max", |b| {
        b.iter(|| {
            let scenario = base.with(&lever).expect("the lever keeps the model valid");
            let run = RunResult::simulate(scenario, 2, &|_| true).expect("nothing cancels it");
            Digest::new(run, Duration::ZERO).expect("the run digests")
        });
    });
    group.finish();
}

criterion_group!(benches, lever_change);
criterion_main!(benches);
