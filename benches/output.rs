//! The output phase of a run: the recorders turned into the run's tables in memory,
//! then those tables written as Parquet, and as Parquet plus CSV (the default), and the
//! whole save stage (tables written beside the analysis, charts and report) on one
//! thread and on two, for a small run (the default scenario at 5,000 users over 10
//! days, 4 scale units; the default outage falls on day 8).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokensim::analytics::RunTables;
use tokensim::metrics::RunResult;
use tokensim::metrics::store::Formats;
use tokensim::pipeline::write::write_tables;
use tokensim::scenario;

fn output(c: &mut Criterion) {
    let sets: Vec<scenario::Override> = [
        "scenario.users=5000",
        "scenario.horizon=10d",
        "scenario.scale_units=4",
    ]
    .iter()
    .map(|s| s.parse().expect("a valid override"))
    .collect();
    let s = scenario::load_default(&sets).expect("the default model is valid");
    let run = RunResult::simulate(s, 2, &|_| true).expect("the run completes");
    let tables = RunTables::from_result(&run).expect("the tables build");
    let rows = (tables.users.height() + tables.timeseries.height()) as u64;
    let dir = std::env::temp_dir().join(format!("tokensim-bench-output-{}", std::process::id()));
    let mut group = c.benchmark_group("output");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows));
    group.bench_function("tables_from_recorders", |b| {
        b.iter(|| RunTables::from_result(&run).expect("the tables build"));
    });
    group.bench_function("write_parquet", |b| {
        b.iter(|| write_tables(&dir, &tables, Formats { csv: false }, 1).expect("written"));
    });
    group.bench_function("write_parquet_and_csv", |b| {
        b.iter(|| write_tables(&dir, &tables, Formats::default(), 1).expect("written"));
    });
    for threads in [1, 2] {
        group.bench_function(format!("save_on_{threads}_threads"), |b| {
            b.iter(|| {
                tokensim::pipeline::save(&tables, None, &dir, Formats::default(), threads)
                    .expect("saved")
            });
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, output);
criterion_main!(benches);
