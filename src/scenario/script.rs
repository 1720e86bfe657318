//! Trace scripts for `tokensim trace`: token settings, the app's call schedule, and
//! windows of platform answers, from TOML (everything) or CSV (windows only).

use super::raw::Dur;
use super::validate::{CALL_INTERVAL, HORIZON, HOUR, MAX_AT, MIN_LIFETIME};
use crate::domain::PromptCause;
use crate::domain::idp::Answer;
use crate::domain::outage::DEFAULT_HANG;
use crate::engine::{SimDuration, SimTime};
use serde::Deserialize;

/// What the scripted platform answers from `from` until the next window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Start of the window.
    pub from: SimDuration,
    /// The answer to every request in the window.
    pub answer: Answer,
}

/// A scripted trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// Lifetime of every access token issued.
    pub expires_in: SimDuration,
    /// `refresh_in` sent with every token, if any.
    pub refresh_in: Option<SimDuration>,
    /// The app calls its resource this often (outside `[[calls]]` windows' own pace) ...
    pub call_every: SimDuration,
    /// ... for this long.
    pub duration: SimDuration,
    /// The client's request timeout (msal-python's `timeout=`); `None`: the profile's.
    pub timeout: Option<SimDuration>,
    /// When the app calls.
    pub calls: CallSchedule,
    /// Answer windows, sorted by start; before the first, requests succeed.
    pub windows: Vec<Window>,
}

/// Calls every `every` inside `[from, until)`, on the grid `from + k × every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallWindow {
    /// First call.
    pub from: SimDuration,
    /// No call from here on.
    pub until: SimDuration,
    /// Interval between calls.
    pub every: SimDuration,
}

/// When a traced app calls: the union of its call windows, less the skip windows
/// (a harness that pauses, a laptop asleep).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSchedule {
    /// Call windows.
    pub windows: Vec<CallWindow>,
    /// `[from, until)` spans without calls.
    pub skips: Vec<(SimDuration, SimDuration)>,
}

impl CallSchedule {
    /// The first call at or after `x`; [`SimTime::NEVER`] if none.
    pub fn next_at(&self, x: SimTime) -> SimTime {
        let mut x = x.since(SimTime::ZERO);
        loop {
            let Some(next) = self.windows.iter().filter_map(|w| w.next_at(x)).min() else {
                return SimTime::NEVER;
            };
            match self.skips.iter().find(|(s, e)| *s <= next && next < *e) {
                Some((_, end)) => x = *end,
                None => return SimTime::ZERO + next,
            }
        }
    }
}

impl CallWindow {
    fn next_at(&self, x: SimDuration) -> Option<SimDuration> {
        let k = x.0.saturating_sub(self.from.0).div_ceil(self.every.0);
        let at = SimDuration(self.from.0 + k * self.every.0);
        (at < self.until).then_some(at)
    }
}

/// Token and schedule settings; in a TOML script or from the command line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// Access-token lifetime (`expires_in`).
    pub expires_in: Option<Dur>,
    /// `refresh_in`, if the platform sends one.
    pub refresh_in: Option<Dur>,
    /// Interval between app calls.
    pub call_every: Option<Dur>,
    /// Length of the trace.
    pub duration: Option<Dur>,
    /// The client's request timeout (msal-python's `timeout=`).
    pub timeout: Option<Dur>,
}

/// One answer window as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    /// Start, from the beginning of the trace.
    pub from: Dur,
    /// `ok`, `5xx`, `429`, `429-not-json`, `invalid_grant`, `timeout` or `refused`.
    pub answer: String,
    /// Retry-After for `5xx` and `429`.
    pub retry_after: Option<Dur>,
    /// How long the server hangs for `timeout`.
    pub hang: Option<Dur>,
}

/// A `[[calls]]` or `[[skip]]` span as written (`every` only for calls).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpan {
    from: Dur,
    until: Dur,
    every: Option<Dur>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScript {
    #[serde(flatten)]
    settings: RawSettings,
    #[serde(default)]
    window: Vec<RawWindow>,
    #[serde(default)]
    calls: Vec<RawSpan>,
    #[serde(default)]
    skip: Vec<RawSpan>,
}

/// Reads a script (TOML, or CSV with columns `from,answer,retry_after,hang`);
/// `defaults` fills settings the file does not give (CSV gives none).
pub fn parse_script(
    text: &str,
    file: &str,
    csv: bool,
    defaults: &RawSettings,
) -> Result<Script, String> {
    let (settings, raw_windows, raw_calls, raw_skips) = if csv {
        let windows = csv::Reader::from_reader(text.as_bytes())
            .deserialize::<RawWindow>()
            .enumerate()
            .map(|(i, w)| w.map_err(|e| format!("{file}: row {}: {e}", i + 2)))
            .collect::<Result<Vec<_>, _>>()?;
        (None, windows, Vec::new(), Vec::new())
    } else {
        let raw: RawScript = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        (Some(raw.settings), raw.window, raw.calls, raw.skip)
    };
    let pick = |f: fn(&RawSettings) -> Option<Dur>| {
        settings
            .as_ref()
            .and_then(f)
            .or_else(|| f(defaults))
            .map(|d| d.0)
    };
    // The trace runs as a one-user model; its ranges are checked here so an error names
    // the script's field, not the model field it becomes.
    let range = |field: &str, d: SimDuration, (lo, hi): (SimDuration, SimDuration)| {
        if d < lo || d > hi {
            return Err(format!(
                "{file}: {field}: '{d}' is out of range (allowed {lo} to {hi})"
            ));
        }
        Ok(d)
    };
    let expires_in = range(
        "expires_in",
        pick(|s| s.expires_in).unwrap_or(SimDuration::from_hours(1)),
        (MIN_LIFETIME, MAX_AT),
    )?;
    let call_every = range(
        "call_every",
        pick(|s| s.call_every).unwrap_or(SimDuration::from_secs(60)),
        CALL_INTERVAL,
    )?;
    let duration = range(
        "duration",
        pick(|s| s.duration).unwrap_or(SimDuration::from_hours(3)),
        HORIZON,
    )?;
    let refresh_in = match pick(|s| s.refresh_in) {
        Some(r) if r == SimDuration::ZERO || r >= expires_in => {
            return Err(format!(
                "{file}: refresh_in: '{r}' must be longer than zero and shorter than expires_in ({expires_in}); leave it out for no refresh_in"
            ));
        }
        r => r,
    };
    let timeout = pick(|s| s.timeout)
        .map(|t| range("timeout", t, (SimDuration::from_secs(1), HOUR)))
        .transpose()?;
    let calls = schedule(&raw_calls, &raw_skips, call_every, duration)
        .map_err(|e| format!("{file}: {e}"))?;
    let mut windows = raw_windows
        .iter()
        .enumerate()
        .map(|(i, w)| window(w).map_err(|e| format!("{file}: window[{i}].{e}")))
        .collect::<Result<Vec<_>, _>>()?;
    windows.sort_by_key(|w| w.from);
    Ok(Script {
        expires_in,
        refresh_in,
        call_every,
        duration,
        timeout,
        calls,
        windows,
    })
}

/// The call schedule: the `[[calls]]` windows, or calls every `call_every` over the
/// whole trace when there are none; less the `[[skip]]` spans.
fn schedule(
    calls: &[RawSpan],
    skips: &[RawSpan],
    call_every: SimDuration,
    duration: SimDuration,
) -> Result<CallSchedule, String> {
    let span = |field: &str, i: usize, s: &RawSpan| {
        if s.until.0 <= s.from.0 {
            return Err(format!(
                "{field}[{i}].until: '{}' must be later than from ('{}')",
                s.until.0, s.from.0
            ));
        }
        Ok((s.from.0, s.until.0))
    };
    let mut windows = calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (from, until) = span("calls", i, c)?;
            let every = c.every.map_or(call_every, |d| d.0);
            if every == SimDuration::ZERO {
                return Err(format!("calls[{i}].every: '0s' must be longer than zero"));
            }
            Ok(CallWindow { from, until, every })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if windows.is_empty() {
        windows.push(CallWindow {
            from: SimDuration::ZERO,
            until: duration,
            every: call_every,
        });
    }
    let skips = skips
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.every.is_some() {
                return Err(format!("skip[{i}].every: a skip window has no calls"));
            }
            span("skip", i, s)
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(CallSchedule { windows, skips })
}

fn window(w: &RawWindow) -> Result<Window, String> {
    let retry_after = w.retry_after.map(|d| d.0);
    let answer = match w.answer.as_str() {
        "ok" => Answer::Ok,
        "5xx" => Answer::ServerError { retry_after },
        "429" => Answer::TooMany { retry_after },
        "429-not-json" => Answer::TooManyNotJson { retry_after },
        "invalid_grant" => Answer::InvalidGrant(PromptCause::Inactivity),
        "timeout" => Answer::Hang(w.hang.map_or(DEFAULT_HANG, |d| d.0)),
        "refused" => Answer::Refused,
        other => {
            return Err(format!(
                "answer: '{other}' is not an answer (use ok, 5xx, 429, 429-not-json, invalid_grant, timeout or refused)"
            ));
        }
    };
    if retry_after.is_some()
        && !matches!(
            answer,
            Answer::ServerError { .. } | Answer::TooMany { .. } | Answer::TooManyNotJson { .. }
        )
    {
        return Err(format!(
            "retry_after: only 5xx and 429 answers carry Retry-After, not '{}'",
            w.answer
        ));
    }
    Ok(Window {
        from: w.from.0,
        answer,
    })
}
