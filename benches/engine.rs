//! Event-queue throughput: schedule, cancel and pop in the pattern the simulation uses
//! (most events scheduled a little ahead, one in ten cancelled). Target: ≥ 10 M ops/s.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tokensim::engine::{EventQueue, Purpose, Rng, SimTime};

const N: u64 = 100_000;

fn hold_model(c: &mut Criterion) {
    let mut group = c.benchmark_group("event_queue");
    // Each iteration does N schedules and N pops (plus the cancels): 2N operations.
    group.throughput(Throughput::Elements(2 * N));
    group.bench_function("hold_100k_live", |b| {
        let mut rng = Rng::stream(1, 0, 0, Purpose::Client);
        let mut q: EventQueue<u32> = EventQueue::new();
        let mut now = SimTime::ZERO;
        for i in 0..N {
            q.schedule(SimTime(rng.range_inclusive(0, 3_600_000)), i as u32);
        }
        b.iter(|| {
            for i in 0..N {
                let (t, e) = q.pop().expect("the hold model keeps the queue full");
                now = t;
                let key = q.schedule(SimTime(now.0 + rng.range_inclusive(1, 3_600_000)), e);
                if i % 10 == 0 {
                    q.cancel(key);
                    q.schedule(SimTime(now.0 + rng.range_inclusive(1, 3_600_000)), e);
                }
            }
            black_box(now)
        });
    });
    group.finish();
}

criterion_group!(benches, hold_model);
criterion_main!(benches);
