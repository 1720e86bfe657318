//! Sign-in events → segments: users grouped by the set of apps they use, each app's
//! client type and profile, the sign-in method shares, and a weekly activity profile
//! fitted from the timestamps.
//!
//! Sessions are runs of a user's requests less than a threshold apart. Arrivals of
//! the weekly Poisson pattern that fall inside a session extend it, so the rate of hour
//! h is estimated as session starts in h divided by the user-hours in h spent outside
//! a session (and outside the threshold after it, where a new arrival would be merged):
//! the maximum-likelihood estimate of a Poisson rate with dead time.

use super::signins::{AppKey, Event, Method, SignInLog};
use crate::domain::user::{HOURS_PER_WEEK, hour_of_week};
use crate::domain::{ClientType, SignIn};
use crate::engine::SimDuration;
use crate::engine::time::{MS_PER_HOUR, MS_PER_MINUTE};
use crate::policy::Profile;
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
    }
}

fn fit_segment(
    name: String,
    apps: Vec<FitApp>,
    users: &[&[Event]],
    (start_ms, end_ms): (i64, i64),
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
    let call = per_call.map_or(0, |(c, _)| c.0 as i64);
    let pacer = per_call.map(|(_, key)| key);
    let t = threshold.0 as i64;
    let mut exposure = hours_of_week(start_ms, end_ms);
    for e in &mut exposure {
        *e *= users.len() as f64;
    }
    let mut starts = vec![0u64; HOURS_PER_WEEK];
    let mut sessions: Vec<Session> = Vec::new();
    let mut methods = [0u64; 4];
    for run in users {
        let mut open: Option<Session> = None;
        for e in run.iter() {
            if e.interactive && e.error_code == 0 {
                methods[match e.method {
                    Method::Password => 0,
                    Method::Mfa => 1,
                    Method::Passwordless => 2,
                    Method::Unknown => 3,
                }] += 1;
            }
            let s = match open.as_mut() {
                Some(s) if e.t_ms - s.last <= t => s,
                _ => {
                    sessions.extend(open.take());
                    starts[hour_of_week(e.t_ms)] += 1;
                    open.insert(Session {
                        first: e.t_ms,
                        last: e.t_ms,
                        paced: None,
                    })
                }
            };
            s.last = s.last.max(e.t_ms);
            if Some(e.app) == pacer {
                let (first, _) = s.paced.unwrap_or((e.t_ms, e.t_ms));
                s.paced = Some((first, e.t_ms));
            }
        }
        sessions.extend(open);
    }
    for s in &sessions {
        subtract(&mut exposure, s.first, (s.last + t).min(end_ms));
    }
    let spans: Vec<(i64, i64)> = sessions
        .iter()
        .map(|s| {
            let (first, last) = s.paced.unwrap_or((s.first, s.last));
            (first, last + call)
        })
        .collect();
    let rates: Vec<f64> = starts
        .iter()
        .zip(&exposure)
        .map(|(&n, &e)| if e > 0.0 { n as f64 / e } else { 0.0 })
        .collect();
    let sessions = spans.len() as u64;
    let session = session_length(&spans, &rates, call, t);
    let session_se = span_se(&spans);
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
        rates,
        session,
        session_se,
        starts,
        exposure,
        sessions,
        threshold,
        folded,
    }
}

/// Standard error of the mean session span.
fn span_se(spans: &[(i64, i64)]) -> SimDuration {
    let n = spans.len() as f64;
    if n < 2.0 {
        return SimDuration::ZERO;
    }
    let mean = spans.iter().map(|(f, l)| (l - f) as f64).sum::<f64>() / n;
    let var = spans
        .iter()
        .map(|(f, l)| ((l - f) as f64 - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    // Whole seconds: finer is noise.
    SimDuration(((var / n).sqrt() / 1000.0).round() as u64 * 1000)
}

/// A detected session: its first and last request, and those of the per-call app.
struct Session {
    first: i64,
    last: i64,
    paced: Option<(i64, i64)>,
}

/// Takes `[from, to)` out of the per-hour-of-week exposure (in user-hours).
fn subtract(exposure: &mut [f64], from: i64, to: i64) {
    for (h, hours) in pieces(from, to) {
        exposure[h] -= hours;
    }
}

/// How many times each hour of the week occurs in `[from, to)`, in hours.
pub fn hours_of_week(from: i64, to: i64) -> Vec<f64> {
    let mut occurrences = vec![0.0; HOURS_PER_WEEK];
    for (h, hours) in pieces(from, to) {
        occurrences[h] += hours;
    }
    occurrences
}

/// `[from, to)` cut at the hours: each piece's hour of the week and length in hours.
fn pieces(from: i64, to: i64) -> impl Iterator<Item = (usize, f64)> {
    let hour = MS_PER_HOUR as i64;
    let mut t = from;
    std::iter::from_fn(move || {
        if t >= to {
            return None;
        }
        let end = ((t.div_euclid(hour) + 1) * hour).min(to);
        let piece = (hour_of_week(t), (end - t) as f64 / hour as f64);
        t = end;
        Some(piece)
    })
}

/// The session length S whose merged sessions match the detected ones. A session of a
/// Poisson pattern (rate λ) is extended by every arrival inside it, so its mean length
/// is (e^{λS} − 1)/λ; detection also merges arrivals up to `gap` = threshold − call
/// interval after it, so the detected span plus `gap` is a busy period of S + gap.
/// λ is each session's own mean rate over its span (rates change within a session,
/// and the busy period is convex in λ, so one average rate would bias S), and S is
/// found by bisection. The detected span (`spans`) is the per-call app's last − first
/// request plus one call interval (its first call comes up to one interval after the
/// arrival, its last up to one before the end).
fn session_length(
    spans: &[(i64, i64)],
    rates: &[f64],
    call_ms: i64,
    threshold_ms: i64,
) -> SimDuration {
    if spans.is_empty() {
        return SimDuration::ZERO;
    }
    let hour = MS_PER_HOUR as f64;
    let n = spans.len() as f64;
    let mean_span = spans.iter().map(|(f, l)| (l - f) as f64).sum::<f64>() / n / hour;
    let lambdas: Vec<f64> = spans.iter().map(|&(f, l)| mean_rate(rates, f, l)).collect();
    let gap = (threshold_ms - call_ms) as f64 / hour;
    let busy = |s: f64| {
        lambdas
            .iter()
            .map(|&l| {
                if l > 1e-9 {
                    ((l * (s + gap)).exp() - 1.0) / l
                } else {
                    s + gap
                }
            })
            .sum::<f64>()
            / n
            - gap
    };
    let (mut lo, mut hi) = (0.0, mean_span.max(0.0));
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if busy(mid) < mean_span {
            lo = mid
        } else {
            hi = mid
        }
    }
    // Whole minutes: the model writes durations, and a minute is far below the noise.
    let mins = (lo * 60.0).round() as u64;
    SimDuration(mins * MS_PER_MINUTE)
}

/// Time-average of the weekly rates over `[from, to]`.
fn mean_rate(rates: &[f64], from: i64, to: i64) -> f64 {
    if to <= from {
        return rates[hour_of_week(from)];
    }
    let mass: f64 = pieces(from, to).map(|(h, hours)| rates[h] * hours).sum();
    mass * MS_PER_HOUR as f64 / (to - from) as f64
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
