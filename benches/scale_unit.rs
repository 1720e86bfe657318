//! A whole scale unit of the default scenario (5,000 users, 30 days, with the global
//! outage), single-threaded, with the metrics recorder attached: the unit of work that
//! `tokensim run` spreads over the cores.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tokensim::metrics::Recorder;
use tokensim::scenario;
use tokensim::sim::{NullObserver, Observer, SimulationBuilder};

fn unit(c: &mut Criterion) {
    let s = scenario::load_default(&[]).expect("the default model is valid");
    let events = {
        let mut sim = SimulationBuilder::new(&s, 0).build();
        sim.run(&mut NullObserver);
        sim.events_processed()
    };
    let mut group = c.benchmark_group("scale_unit");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("default_unit_30d_recorder", |b| {
        b.iter(|| {
            let mut sim = SimulationBuilder::new(&s, 0).build();
            let mut rec = Recorder::new(&s, 0, &sim.app_rows());
            sim.run(&mut rec);
            rec.close();
            rec
        });
    });
    group.bench_function("default_unit_30d_null_observer", |b| {
        b.iter(|| {
            let mut sim = SimulationBuilder::new(&s, 0).build();
            sim.run(&mut NullObserver);
            sim.events_processed()
        });
    });
    group.finish();
}

criterion_group!(benches, unit);
criterion_main!(benches);
