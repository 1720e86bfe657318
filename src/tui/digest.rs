//! A finished run boiled down to what the tabs show: the summary, whole-platform
//! per-minute series, per-segment and per-profile figures, the worst affected users and
//! the exposure rows. Built on the worker thread, so the UI thread only draws.

use crate::engine::time::MS_PER_MINUTE;
use crate::metrics::stats::Replications;
use crate::metrics::{RunResult, Summary};
use crate::scenario::population::unit_of;
use crate::sim::Outcome;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Platform totals per minute (all units added up).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Requests offered.
    pub offered: Vec<u64>,
    /// Requests admitted by the primary.
    pub admitted: Vec<u64>,
    /// Shed with 429.
    pub shed: Vec<u64>,
    /// 5xx or hung.
    pub failed: Vec<u64>,
    /// Served by the backup service.
    pub backup: Vec<u64>,
    /// Capacity (requests per minute).
    pub capacity: Vec<f64>,
    /// Users in a session.
    pub active: Vec<u64>,
    /// Users with a blocked app.
    pub blocked: Vec<u64>,
}

/// Figures of one group of apps (a segment or a client profile).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupRow {
    /// Segment name or profile label.
    pub name: String,
    /// Apps in the group.
    pub apps: u64,
    /// Apps blocked at least once (some time without a token, or a failed call).
    pub blocked_apps: u64,
    /// Minutes the group's apps were blocked, summed.
    pub blocked_minutes: f64,
    /// Interactive prompts.
    pub prompts: u64,
    /// Requests that reached the platform or its throttle cache.
    pub requests: u64,
    /// Requests answered 429, 5xx or timed out.
    pub failed: u64,
}

/// A user worth a look on the User tab.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// Global user id.
    pub user: u32,
    /// Scale unit.
    pub unit: u32,
    /// Segment name.
    pub segment: String,
    /// Minutes the user's apps were blocked, summed over apps.
    pub blocked_minutes: f64,
    /// Prompts.
    pub prompts: u64,
}

/// Everything the tabs show about one run.
pub struct Digest {
    /// The run itself (for `e`, export, and for tracing one user).
    pub run: Arc<RunResult>,
    /// Headline figures.
    pub summary: Summary,
    /// Per-minute platform totals.
    pub series: Series,
    /// Per-segment figures, in model order.
    pub segments: Vec<GroupRow>,
    /// Per-profile figures, in profile order.
    pub profiles: Vec<GroupRow>,
    /// The most blocked users, worst first.
    pub worst: Vec<UserRow>,
    /// The headline figures across replications, when the run had more than one.
    pub replications: Option<Replications>,
    /// Wall time of the simulation (with every replication).
    pub simulated: Duration,
    /// Wall time of building this digest.
    pub digested: Duration,
}

/// How many users the User tab lists.
pub const WORST_USERS: usize = 20;

impl Digest {
    /// Digests a finished run that took `simulated` to simulate.
    pub fn new(run: RunResult, simulated: Duration) -> Digest {
        let started = Instant::now();
        let summary = Summary::from_run(&run);
        let mut digest = Digest {
            series: series(&run),
            segments: groups(&run, |seg, _| run.scenario.segments[seg].name.clone()),
            profiles: groups(&run, |seg, slot| {
                run.scenario.segments[seg].apps[slot]
                    .profile
                    .label()
                    .to_string()
            }),
            worst: worst_users(&run),
            summary,
            replications: None,
            simulated,
            digested: Duration::ZERO,
            run: Arc::new(run),
        };
        digest.digested = started.elapsed();
        digest
    }
}

fn series(run: &RunResult) -> Series {
    let minutes = run.scenario.horizon.as_millis().div_ceil(MS_PER_MINUTE) as usize;
    let mut s = Series {
        offered: vec![0; minutes],
        admitted: vec![0; minutes],
        shed: vec![0; minutes],
        failed: vec![0; minutes],
        backup: vec![0; minutes],
        capacity: vec![0.0; minutes],
        active: vec![0; minutes],
        blocked: vec![0; minutes],
    };
    let add =
        |to: &mut [u64], from: &[u32]| to.iter_mut().zip(from).for_each(|(t, f)| *t += *f as u64);
    for unit in &run.units {
        let c = &unit.observer.minute;
        add(&mut s.offered, &c.offered);
        add(&mut s.admitted, &c.admitted);
        add(&mut s.shed, &c.shed);
        add(&mut s.failed, &c.failed);
        add(&mut s.backup, &c.backup);
        add(&mut s.active, &c.active_users);
        add(&mut s.blocked, &c.blocked_users);
        for (t, f) in s
            .capacity
            .iter_mut()
            .zip(run.capacity_per_minute(unit.unit))
        {
            *t += f;
        }
    }
    s
}

const FAILED: [Outcome; 3] = [Outcome::TooMany, Outcome::ServerError, Outcome::Timeout];

/// Adds up the per-app counters into groups named by `name(segment, slot)`, in the
/// order groups first appear in the model.
fn groups(run: &RunResult, name: impl Fn(usize, usize) -> String) -> Vec<GroupRow> {
    let mut order: Vec<String> = Vec::new();
    for (seg, segment) in run.scenario.segments.iter().enumerate() {
        for slot in 0..segment.apps.len() {
            let n = name(seg, slot);
            if !order.contains(&n) {
                order.push(n);
            }
        }
    }
    let mut rows: Vec<GroupRow> = order
        .into_iter()
        .map(|name| GroupRow {
            name,
            ..GroupRow::default()
        })
        .collect();
    for unit in &run.units {
        let rec = &unit.observer;
        for (k, row) in unit.rows.iter().enumerate() {
            let n = name(row.segment as usize, row.slot as usize);
            let Some(g) = rows.iter_mut().find(|g| g.name == n) else {
                continue;
            };
            g.apps += 1;
            g.blocked_apps += rec.app_blocked(k) as u64;
            g.blocked_minutes += rec.blocked_ms[k] as f64 / MS_PER_MINUTE as f64;
            g.prompts += rec.prompts[k].iter().map(|p| *p as u64).sum::<u64>();
            g.requests += rec.requests[k].iter().sum::<u64>();
            g.failed += FAILED
                .iter()
                .map(|o| rec.requests[k][o.index()])
                .sum::<u64>();
        }
    }
    rows
}

fn worst_users(run: &RunResult) -> Vec<UserRow> {
    let mut per_user: BTreeMap<u32, (u64, u64, u16)> = BTreeMap::new();
    for unit in &run.units {
        let rec = &unit.observer;
        for (k, row) in unit.rows.iter().enumerate() {
            let e = per_user.entry(row.user).or_insert((0, 0, row.segment));
            e.0 += rec.blocked_ms[k];
            e.1 += rec.prompts[k].iter().map(|p| *p as u64).sum::<u64>();
        }
    }
    let mut users: Vec<(u32, (u64, u64, u16))> = per_user
        .into_iter()
        .filter(|(_, (blocked, prompts, _))| *blocked > 0 || *prompts > 0)
        .collect();
    users.sort_by(|a, b| (b.1.0, b.1.1, a.0).cmp(&(a.1.0, a.1.1, b.0)));
    users
        .into_iter()
        .take(WORST_USERS)
        .map(|(user, (blocked, prompts, segment))| UserRow {
            user,
            unit: unit_of(&run.scenario, user),
            segment: run.scenario.segments[segment as usize].name.clone(),
            blocked_minutes: blocked as f64 / MS_PER_MINUTE as f64,
            prompts,
        })
        .collect()
}
