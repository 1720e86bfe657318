//! Sign-in events → segments: users grouped by the set of apps they use, each app's
//! client type and profile, the sign-in method shares, and (through [`super::sessions`])
//! a weekly activity profile fitted from the timestamps.

use super::devices;
use super::sessions;
use super::signins::{AppKey, Event, Method, SignInLog};
use crate::domain::Profile;
use crate::domain::{ClientType, DeviceKind, SignIn};
use crate::engine::SimDuration;
use std::collections::{BTreeMap, BTreeSet};

/// At most this many segments; rarer app sets are folded into one `other` segment.
pub const MAX_SEGMENTS: usize = 8;
/// A median gap between one app's token requests below this means a request per call
/// (no cache): cached tokens live at least 60 min by default.
const NO_CACHE_GAP: SimDuration = SimDuration::from_mins(45);

/// One app of the fitted model.
#[derive(Debug, Clone)]
pub struct FitApp {
    /// Index into [`SignInLog::apps`].
    pub key: u16,
    /// Model app name.
    pub name: String,
    /// Client type.
    pub client: ClientType,
    /// `no-cache` when requests come at every call, else `msal-dotnet`.
    pub profile: Profile,
    /// Median gap between consecutive silent requests of one user's app.
    pub median_gap: Option<SimDuration>,
    /// Gaps the median is taken over.
    pub gaps: usize,
    /// Silent token requests of the app in the logs.
    pub requests: u64,
    /// The device kind most of its records show.
    pub device: DeviceKind,
    /// Records showing that kind, of all its records.
    pub device_records: (u64, u64),
}

/// One fitted segment.
#[derive(Debug, Clone)]
pub struct FitSegment {
    /// Segment name.
    pub name: String,
    /// Users, exact.
    pub users: u32,
    /// The apps each user runs.
    pub apps: Vec<FitApp>,
    /// Sign-in method of the non-passwordless sign-ins.
    pub sign_in: SignIn,
    /// Share of interactive sign-ins without a password.
    pub passwordless_share: f64,
    /// Successful interactive sign-ins by method: password, MFA, passwordless, unknown.
    pub methods: [u64; 4],
    /// Session starts per user and hour of the week (UTC).
    pub rates: Vec<f64>,
    /// Fitted session length.
    pub session: SimDuration,
    /// Standard error of the mean detected session span (bounds the error of
    /// `session`, whose derivative by the span is below 1).
    pub session_se: SimDuration,
    /// Session starts in each hour of the week.
    pub starts: Vec<u64>,
    /// User-hours outside sessions in each hour of the week (the rates' denominators).
    pub exposure: Vec<f64>,
    /// Sessions detected.
    pub sessions: u64,
    /// Gap that separates two sessions.
    pub threshold: SimDuration,
    /// Folded from rarer app sets.
    pub folded: bool,
    /// Users whose records on a brokered app's platform show the broker, of the users
    /// with records there (`None`: no app on a brokered device).
    pub broker: Option<(u64, u64)>,
}

impl FitSegment {
    /// The device kinds its apps run on, in a fixed order: one device of each.
    pub fn device_kinds(&self) -> Vec<DeviceKind> {
        let mut kinds: Vec<DeviceKind> = self.apps.iter().map(|a| a.device).collect();
        kinds.sort_by_key(|k| k.label());
        kinds.dedup();
        kinds
    }
}

/// The fitted population and period.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Start of the period: the first record's hour, Unix ms.
    pub start_ms: i64,
    /// End of the period: after the last record's hour, Unix ms.
    pub end_ms: i64,
    /// Segments, largest first.
    pub segments: Vec<FitSegment>,
    /// Model app names, by [`SignInLog::apps`] index.
    pub app_names: Vec<String>,
}

/// Fits segments to the log; `at_max` is the longest access-token lifetime in force
/// (for the session threshold of apps that cache tokens). Sorts the log's events.
pub fn fit(log: &mut SignInLog, at_max: SimDuration) -> Option<Fit> {
    let (start_ms, end_ms) = log.hours()?;
    log.events.sort_by_key(|e| (e.user, e.t_ms, e.app));
    let app_names = app_names(&log.apps);
    let gaps = median_gaps(&log.events, log.apps.len());
    let runs: Vec<&[Event]> = log.events.chunk_by(|a, b| a.user == b.user).collect();
    let mut groups: BTreeMap<Vec<u16>, Vec<usize>> = BTreeMap::new();
    for (i, run) in runs.iter().enumerate() {
        let apps: BTreeSet<u16> = run.iter().map(|e| e.app).collect();
        groups
            .entry(apps.into_iter().collect())
            .or_default()
            .push(i);
    }
    let mut groups: Vec<(Vec<u16>, Vec<usize>, bool)> =
        groups.into_iter().map(|(a, u)| (a, u, false)).collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    if groups.len() > MAX_SEGMENTS {
        let rest = groups.split_off(MAX_SEGMENTS - 1);
        groups.push(fold(&runs, rest));
    }
    let period = (start_ms, end_ms);
    let segments = groups
        .iter()
        .enumerate()
        .map(|(k, (apps, users, folded))| {
            let apps: Vec<FitApp> = apps
                .iter()
                .map(|&a| fit_app(log, &app_names, &gaps, a))
                .collect();
            let user_runs: Vec<&[Event]> = users.iter().map(|&u| runs[u]).collect();
            let name = if *folded {
                "other".to_string()
            } else {
                format!("group-{}", k + 1)
            };
            fit_segment(name, apps, &user_runs, period, at_max, *folded)
        })
        .collect();
    Some(Fit {
        start_ms,
        end_ms,
        segments,
        app_names,
    })
}

/// Rarer app sets, folded: their users, with the apps at least half of them use.
fn fold(
    runs: &[&[Event]],
    rest: Vec<(Vec<u16>, Vec<usize>, bool)>,
) -> (Vec<u16>, Vec<usize>, bool) {
    let users: Vec<usize> = rest.iter().flat_map(|g| g.1.iter().copied()).collect();
    let mut uses: BTreeMap<u16, usize> = BTreeMap::new();
    for &u in &users {
        let apps: BTreeSet<u16> = runs[u].iter().map(|e| e.app).collect();
        for a in apps {
            *uses.entry(a).or_default() += 1;
        }
    }
    let top = uses
        .iter()
        .max_by_key(|(a, n)| (**n, std::cmp::Reverse(**a)))
        .map(|(a, _)| *a);
    let apps: Vec<u16> = uses
        .iter()
        .filter(|(a, n)| 2 * **n >= users.len() || Some(**a) == top)
        .map(|(a, _)| *a)
        .collect();
    (apps, users, true)
}

/// Model app names: the display name as a slug, with platform and client type when
/// the same name runs in several ways.
pub fn app_names(apps: &[AppKey]) -> Vec<String> {
    let slug = |s: &str| {
        let s: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let s = s
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if s.is_empty() { "app".to_string() } else { s }
    };
    apps.iter()
        .map(|k| {
            let base = slug(&k.name);
            if apps.iter().filter(|o| slug(&o.name) == base).count() > 1 {
                format!("{base}-{}-{}", k.platform.label(), k.client.label())
            } else {
                base
            }
        })
        .collect()
}

/// Per app: the median gap between consecutive silent requests of the same user, and
/// how many gaps there were. Events are sorted by user and time.
fn median_gaps(events: &[Event], apps: usize) -> Vec<(Option<SimDuration>, usize)> {
    let mut gaps: Vec<Vec<u64>> = vec![Vec::new(); apps];
    let mut last: BTreeMap<u16, i64> = BTreeMap::new();
    for run in events.chunk_by(|a, b| a.user == b.user) {
        last.clear();
        for e in run.iter().filter(|e| !e.interactive) {
            if let Some(prev) = last.insert(e.app, e.t_ms) {
                gaps[e.app as usize].push((e.t_ms - prev) as u64);
            }
        }
    }
    gaps.into_iter()
        .map(|mut g| {
            let n = g.len();
            if n == 0 {
                return (None, 0);
            }
            let (_, median, _) = g.select_nth_unstable(n / 2);
            (Some(SimDuration(*median)), n)
        })
        .collect()
}

fn fit_app(
    log: &SignInLog,
    names: &[String],
    gaps: &[(Option<SimDuration>, usize)],
    a: u16,
) -> FitApp {
    let key = &log.apps[a as usize];
    let (median_gap, n) = gaps[a as usize];
    let no_cache = median_gap.is_some_and(|g| g < NO_CACHE_GAP);
    let (device, shown, total) = devices::app_device(&log.events, a);
    FitApp {
        key: a,
        name: names[a as usize].clone(),
        client: key.client,
        profile: if no_cache {
            Profile::NoCache
        } else {
            Profile::MsalDotnet
        },
        median_gap,
        gaps: n,
        requests: log
            .events
            .iter()
            .filter(|e| e.app == a && !e.interactive)
            .count() as u64,
        device,
        device_records: (shown, total),
    }
}

fn fit_segment(
    name: String,
    apps: Vec<FitApp>,
    users: &[&[Event]],
    period: (i64, i64),
    at_max: SimDuration,
    folded: bool,
) -> FitSegment {
    // With a per-call app the user's requests are at most one call interval apart while
    // active, and its first and last request bound the session to within one interval;
    // otherwise a cached token can hide activity for up to its lifetime.
    let per_call = apps
        .iter()
        .filter(|a| a.profile == Profile::NoCache)
        .filter_map(|a| Some((a.median_gap?, a.key)))
        .min();
    let threshold = match per_call {
        Some((c, _)) => SimDuration(c.0 * 3 / 2),
        None => at_max + SimDuration::from_mins(30),
    };
    let activity = sessions::fit(users, per_call, threshold, period);
    let mut methods = [0u64; 4];
    for e in users.iter().flat_map(|run| run.iter()) {
        if e.interactive && e.error_code == 0 {
            methods[match e.method {
                Method::Password => 0,
                Method::Mfa => 1,
                Method::Passwordless => 2,
                Method::Unknown => 3,
            }] += 1;
        }
    }
    let brokered: BTreeMap<u16, DeviceKind> = apps
        .iter()
        .filter(|a| a.device.brokered())
        .map(|a| (a.key, a.device))
        .collect();
    let broker = devices::broker_share(users, &brokered);
    let (password, mfa, passwordless) = (methods[0], methods[1], methods[2]);
    let known = password + mfa + passwordless;
    FitSegment {
        name,
        users: users.len() as u32,
        apps,
        sign_in: if mfa >= password && known > 0 {
            SignIn::Mfa
        } else {
            SignIn::Password
        },
        passwordless_share: if known > 0 {
            passwordless as f64 / known as f64
        } else {
            0.0
        },
        methods,
        rates: activity.rates,
        session: activity.session,
        session_se: activity.session_se,
        starts: activity.starts,
        exposure: activity.exposure,
        sessions: activity.sessions,
        threshold,
        folded,
        broker,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::signins::SignInRecord;

    fn record(i: usize, user: usize, app: &str) -> SignInRecord {
        SignInRecord {
            id: Some(format!("r{i}")),
            created_date_time: Some(format!("2026-03-02T{:02}:{:02}:00Z", 8 + i / 60, i % 60)),
            user_id: Some(format!("u{user}")),
            app_display_name: Some(app.into()),
            is_interactive: Some(false),
            ..SignInRecord::default()
        }
    }

    /// Ten app sets: the seven largest keep their own segment, the rest fold into
    /// `other` with the apps at least half of its users run; no user is lost.
    #[test]
    fn rare_app_sets_fold_into_one_segment_and_keep_every_user() {
        let mut log = SignInLog::default();
        let mut i = 0;
        for set in 0..10 {
            // Set k has 10 - k users, each running "common" and "app-k".
            for u in 0..(10 - set) {
                for app in ["common".to_string(), format!("app-{set}")] {
                    log.add(i, record(i, set * 100 + u, &app)).unwrap();
                    i += 1;
                }
            }
        }
        let fit = fit(&mut log, SimDuration::from_mins(90)).unwrap();
        assert_eq!(fit.segments.len(), MAX_SEGMENTS);
        let users: u32 = fit.segments.iter().map(|s| s.users).sum();
        assert_eq!(users, (1..=10).sum::<u32>());
        let other = fit.segments.last().unwrap();
        assert!(other.folded);
        assert_eq!(other.name, "other");
        assert_eq!(other.users, 3 + 2 + 1);
        let apps: Vec<&str> = other.apps.iter().map(|a| a.name.as_str()).collect();
        // app-7 is run by 3 of the 6 folded users: half, so it stays; 8 and 9 go.
        assert_eq!(apps, ["common", "app-7"]);
        assert!(fit.segments[..MAX_SEGMENTS - 1].iter().all(|s| !s.folded));
    }
}
