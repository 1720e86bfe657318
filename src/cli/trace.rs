//! `tokensim trace`: one client app against a scripted timeline of platform answers.

use crate::domain::idp::{Answer, RequestKind};
use crate::domain::{Jitter, Profile};
use crate::engine::SimDuration;
use crate::metrics::atomic;
use crate::scenario::raw::Dur;
use crate::scenario::script::{RawSettings, parse_script};
use crate::sim::CallResult;
use crate::sim::trace::{TraceLine, TracedApp, run_trace};
use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;

pub(super) const HELP: &str = "\
Script (TOML) — token settings, call schedule and answer windows:
  expires_in = \"1h\"        # access-token lifetime
  refresh_in = \"30m\"       # optional: the server's refresh_in
  call_every = \"60s\"       # the app calls its resource this often
  duration = \"3h\"          # for this long
  timeout = \"30s\"          # optional: the client's request timeout (msal-python's timeout=)
  [[calls]]                # optional: calls only inside these windows, each at its pace
  from = \"1h\"
  until = \"2h\"
  every = \"10s\"
  [[skip]]                 # optional: no calls in [from, until)
  from = \"1h20m\"
  until = \"1h30m\"
  [[window]]
  from = \"40m\"             # from 40 minutes in, until the next window
  answer = \"5xx\"           # ok, 5xx, 429, 429-not-json, invalid_grant, timeout, refused
  retry_after = \"120s\"     # optional, 5xx and 429 only
  [[window]]
  from = \"50m\"
  answer = \"timeout\"
  hang = \"30s\"             # the server hangs this long, then drops the connection
A CSV script has the columns from,answer,retry_after,hang; settings then come from
--expires-in, --refresh-in, --call-every, --duration and --timeout.

Examples:
  tokensim trace --profile msal-python --script models/traces/5xx-outage.toml
  tokensim trace --profile msal-dotnet --client confidential --script outage.csv --out trace/";

/// Client kinds for a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientKind {
    /// A desktop public client.
    Public,
    /// A confidential web app.
    Confidential,
}

/// Arguments of `trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Client library profile: msal-python, msal-dotnet, msal-js, no-cache, fast-retry,
    /// fixed-retry or guided.
    #[arg(long, value_parser = parse_profile)]
    profile: Profile,
    /// Public or confidential client (throttle defaults differ).
    #[arg(long, value_enum, default_value = "public")]
    client: ClientKind,
    /// msal-python: the app catches the exception MSAL raises on 5xx.
    #[arg(long)]
    catches_errors: bool,
    /// Backoff jitter of the guided profile: none, full, equal or decorrelated.
    #[arg(long, default_value = "full", value_parser = parse_jitter)]
    jitter: Jitter,
    /// Script of platform answers (.toml, or .csv with windows only).
    #[arg(long)]
    script: PathBuf,
    /// Access-token lifetime when the script does not set it (default 1h).
    #[arg(long, value_parser = parse_dur)]
    expires_in: Option<Dur>,
    /// `refresh_in` when the script does not set it.
    #[arg(long, value_parser = parse_dur)]
    refresh_in: Option<Dur>,
    /// Call interval when the script does not set it (default 60s).
    #[arg(long, value_parser = parse_dur)]
    call_every: Option<Dur>,
    /// Trace length when the script does not set it (default 3h).
    #[arg(long, value_parser = parse_dur)]
    duration: Option<Dur>,
    /// Client request timeout when the script does not set it (msal-python's `timeout=`;
    /// default: the profile's).
    #[arg(long, value_parser = parse_dur)]
    timeout: Option<Dur>,
    /// Also write trace.csv and trace.json into this folder.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn parse_profile(text: &str) -> Result<Profile, String> {
    Profile::ALL
        .into_iter()
        .find(|p| p.label() == text)
        .ok_or_else(|| {
            let names: Vec<&str> = Profile::ALL.iter().map(|p| p.label()).collect();
            format!("'{text}' is not a profile (use {})", names.join(", "))
        })
}

fn parse_jitter(text: &str) -> Result<Jitter, String> {
    Jitter::ALL
        .into_iter()
        .find(|j| j.label() == text)
        .ok_or_else(|| {
            format!("'{text}' is not a jitter strategy (use none, full, equal or decorrelated)")
        })
}

fn parse_dur(text: &str) -> Result<Dur, String> {
    text.parse()
        .map(Dur)
        .map_err(|e: crate::engine::TimeParseError| e.to_string())
}

/// One trace line as written to CSV and JSON.
#[derive(Debug, Serialize)]
struct Row {
    seconds: f64,
    time: String,
    event: &'static str,
    request: &'static str,
    answer: String,
    result: &'static str,
    why: String,
}

fn row(line: &TraceLine) -> Row {
    let t = line.time();
    let mut r = Row {
        seconds: t.as_millis() as f64 / 1000.0,
        time: t.to_string(),
        event: "",
        request: "",
        answer: String::new(),
        result: "",
        why: String::new(),
    };
    match line {
        TraceLine::Call { result, why, .. } => {
            r.event = "call";
            r.result = match result {
                CallResult::Cached => "cached",
                CallResult::New => "new",
                CallResult::Old => "old",
                CallResult::None => "none",
            };
            r.why = why.map_or(String::new(), |o| o.label().to_string());
        }
        TraceLine::Request { kind, answer, .. } => {
            r.event = "request";
            r.request = match kind {
                RequestKind::Refresh => "refresh",
                RequestKind::ClientCredentials => "client-credentials",
                RequestKind::PromptNone => "prompt-none",
                RequestKind::Interactive => "interactive",
            };
            r.answer = describe(answer);
        }
        TraceLine::Prompt { cause, .. } => {
            r.event = "prompt";
            r.why = cause.label().to_string();
        }
        TraceLine::Blocked { from, t } => {
            r.event = "blocked";
            r.answer = format!("since {from}");
            r.result = "blocked";
            r.why = t.since(*from).to_string();
        }
    }
    r
}

fn describe(answer: &Answer) -> String {
    let ra = |r: &Option<SimDuration>| r.map_or(String::new(), |d| format!(" (Retry-After {d})"));
    match answer {
        Answer::Ok => "ok".into(),
        Answer::TooMany { retry_after } => format!("429{}", ra(retry_after)),
        Answer::TooManyNotJson { retry_after } => format!("429, not JSON{}", ra(retry_after)),
        Answer::ServerError { retry_after } => format!("5xx{}", ra(retry_after)),
        Answer::Hang(h) => format!("hangs {h}, then drops"),
        Answer::Refused => "refused".into(),
        Answer::InvalidGrant(_) => "invalid_grant".into(),
    }
}

/// Runs the trace, prints it, and writes it when asked.
pub fn trace(args: TraceArgs) -> anyhow::Result<()> {
    let file = args.script.display().to_string();
    let text =
        std::fs::read_to_string(&args.script).with_context(|| format!("cannot read {file}"))?;
    let csv = args
        .script
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let defaults = RawSettings {
        expires_in: args.expires_in,
        refresh_in: args.refresh_in,
        call_every: args.call_every,
        duration: args.duration,
        timeout: args.timeout,
    };
    let script = parse_script(&text, &file, csv, &defaults).map_err(anyhow::Error::msg)?;
    // Before the trace is printed: a bad --out fails now.
    if let Some(dir) = &args.out {
        writable(dir).with_context(|| format!("cannot write the trace to {}", dir.display()))?;
    }
    let app = TracedApp {
        profile: args.profile,
        confidential: args.client == ClientKind::Confidential,
        catches_errors: args.catches_errors,
        jitter: args.jitter,
    };
    let lines = run_trace(&script, app)?;
    let rows: Vec<Row> = lines.iter().map(row).collect();
    println!(
        "{:<16} {:<8} {:<19} {:<30} result",
        "time", "event", "request", "answer"
    );
    for r in &rows {
        let result = if r.why.is_empty() {
            r.result.to_string()
        } else {
            format!("{} ({})", r.result, r.why)
        };
        println!(
            "{:<16} {:<8} {:<19} {:<30} {}",
            r.time,
            r.event,
            r.request,
            r.answer,
            result.trim()
        );
    }
    let count = |event: &str| rows.iter().filter(|r| r.event == event).count();
    let failed = rows.iter().filter(|r| r.result == "none").count();
    let blocked = lines
        .iter()
        .map(|l| match l {
            TraceLine::Blocked { from, t } => t.since(*from),
            _ => SimDuration::ZERO,
        })
        .fold(SimDuration::ZERO, |a, b| a + b);
    println!(
        "{} calls, {} requests reached the platform, {failed} calls got no token, blocked {blocked}",
        count("call"),
        count("request")
    );
    if let Some(dir) = args.out {
        atomic::write_with(&dir.join("trace.csv"), |w| {
            let mut out = csv::Writer::from_writer(w);
            rows.iter().try_for_each(|r| out.serialize(r))?;
            out.flush()
        })?;
        let json = serde_json::to_vec_pretty(&rows)?;
        atomic::write_bytes(&dir.join("trace.json"), &json)?;
    }
    Ok(())
}

/// Creates `dir` if needed and checks that a file can be written in it.
fn writable(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = dir.join(atomic::temp_name("probe", atomic::TMP));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(probe)
}
