//! Sessions from a segment's requests, and the weekly activity they imply.
//!
//! Sessions are runs of a user's requests less than a threshold apart. Arrivals of
//! the weekly Poisson pattern that fall inside a session extend it, so the rate of hour
//! h is estimated as session starts in h divided by the user-hours in h spent outside
//! a session (and outside the threshold after it, where a new arrival would be merged):
//! the maximum-likelihood estimate of a Poisson rate with dead time.

use super::signins::Event;
use crate::domain::user::{HOURS_PER_WEEK, hour_of_week};
use crate::engine::SimDuration;
use crate::engine::time::{MS_PER_HOUR, MS_PER_MINUTE};

/// The weekly activity of a segment.
pub struct Fitted {
    /// Session starts per user and hour of the week.
    pub rates: Vec<f64>,
    /// Session starts in each hour of the week.
    pub starts: Vec<u64>,
    /// User-hours outside sessions in each hour of the week.
    pub exposure: Vec<f64>,
    /// Sessions detected.
    pub sessions: u64,
    /// Fitted session length.
    pub session: SimDuration,
    /// Standard error of the mean detected span.
    pub session_se: SimDuration,
}

/// Detects the sessions of `users` (each one's events in time order) over `period`
/// and fits the weekly rates and the session length. `per_call`: the call interval and
/// app of the segment's per-call app, whose first and last request bound a session.
pub fn fit(
    users: &[&[Event]],
    per_call: Option<(SimDuration, u16)>,
    threshold: SimDuration,
    (start_ms, end_ms): (i64, i64),
) -> Fitted {
    let call = per_call.map_or(0, |(c, _)| c.0 as i64);
    let pacer = per_call.map(|(_, key)| key);
    let t = threshold.0 as i64;
    let mut exposure = hours_of_week(start_ms, end_ms);
    for e in &mut exposure {
        *e *= users.len() as f64;
    }
    let mut starts = vec![0u64; HOURS_PER_WEEK];
    let mut sessions: Vec<Session> = Vec::new();
    for run in users {
        let mut open: Option<Session> = None;
        for e in run.iter() {
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
    Fitted {
        session_se: span_se(&spans),
        rates,
        starts,
        exposure,
        sessions,
        session,
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
