//! Scripted single-client traces: a sequence of platform answers in, the exact request
//! schedule out, for every client profile (DESIGN §1.4).

use tokensim::domain::idp::Answer;
use tokensim::domain::{Jitter, Profile};
use tokensim::engine::SimDuration;
use tokensim::scenario::script::{RawSettings, Script, parse_script};
use tokensim::sim::CallResult;
use tokensim::sim::trace::{TraceLine, TracedApp, run_trace};

fn script(text: &str) -> Script {
    let none = RawSettings::default();
    parse_script(text, "test-script.toml", false, &none).unwrap()
}

fn app(profile: Profile) -> TracedApp {
    TracedApp {
        profile,
        confidential: false,
        catches_errors: false,
        jitter: Jitter::None,
    }
}

/// Seconds at which requests reached the platform.
fn request_times(lines: &[TraceLine]) -> Vec<f64> {
    lines
        .iter()
        .filter_map(|l| match l {
            TraceLine::Request { t, .. } => Some(t.as_millis() as f64 / 1000.0),
            _ => None,
        })
        .collect()
}

/// The lines at second `secs`, in a short form.
fn lines_at(lines: &[TraceLine], secs: u64) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.time().as_millis() == secs * 1000)
        .map(|l| match l {
            TraceLine::Request { kind, .. } => format!("{kind:?}"),
            TraceLine::Prompt { cause, .. } => format!("prompt {}", cause.label()),
            TraceLine::Call { result, .. } => format!("call {result:?}"),
            TraceLine::Blocked { from, .. } => format!("blocked since {from}"),
        })
        .collect()
}

fn calls(lines: &[TraceLine]) -> Vec<(f64, CallResult)> {
    lines
        .iter()
        .filter_map(|l| match l {
            TraceLine::Call { t, result, .. } => Some((t.as_millis() as f64 / 1000.0, *result)),
            _ => None,
        })
        .collect()
}

/// 1 h tokens (served until 55:00 with exactly 300 s left, so the first refresh is at
/// 56:00), calls every minute; 5xx from 50:00, with
/// Retry-After 300 s from 60:00, healthy again from 70:00.
const OUTAGE: &str = r#"
expires_in = "1h"
call_every = "60s"
duration = "2h"
[[window]]
from = "50m"
answer = "5xx"
[[window]]
from = "60m"
answer = "5xx"
retry_after = "300s"
[[window]]
from = "70m"
answer = "ok"
"#;

#[test]
fn msal_python_requests_every_minute_then_honours_retry_after_to_the_second() {
    let lines = run_trace(&script(OUTAGE), app(Profile::MsalPython)).unwrap();
    assert_eq!(
        request_times(&lines),
        vec![0.0, 3360.0, 3420.0, 3480.0, 3540.0, 3600.0, 3900.0, 4200.0]
    );
    // No call between 56:00 and 70:00 gets a token; the throttled ones do not reach the platform.
    let blocked: Vec<f64> = calls(&lines)
        .iter()
        .filter(|(_, r)| *r == CallResult::None)
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(blocked.first(), Some(&3360.0));
    assert_eq!(blocked.last(), Some(&4140.0));
    assert_eq!(blocked.len(), 14);
}

#[test]
fn msal_python_confidential_throttles_five_seconds() {
    let text = OUTAGE
        .replace("call_every = \"60s\"", "call_every = \"1s\"")
        .replace("duration = \"2h\"", "duration = \"3320s\"");
    let app = TracedApp {
        confidential: true,
        ..app(Profile::MsalPython)
    };
    let lines = run_trace(&script(&text), app).unwrap();
    assert_eq!(
        request_times(&lines),
        vec![0.0, 3301.0, 3306.0, 3311.0, 3316.0]
    );
}

#[test]
fn msal_dotnet_retries_once_after_a_second_then_throttles_a_minute() {
    let lines = run_trace(&script(OUTAGE), app(Profile::MsalDotnet)).unwrap();
    assert_eq!(
        request_times(&lines),
        vec![0.0, 3360.0, 3361.0, 3480.0, 3481.0, 3600.0, 3900.0, 4200.0]
    );
}

#[test]
fn guided_backs_off_exponentially_and_gives_up_after_six_attempts() {
    let text = OUTAGE.replace("retry_after = \"300s\"\n", "");
    let lines = run_trace(&script(&text), app(Profile::Guided)).unwrap();
    let loop_at = |t: f64| vec![t, t + 5.0, t + 15.0, t + 35.0, t + 75.0, t + 155.0];
    let mut expected = vec![0.0];
    // The fifth loop's last retry, at 4235 s, falls after the outage and succeeds.
    for start in [3360.0, 3540.0, 3720.0, 3900.0, 4080.0] {
        expected.extend(loop_at(start));
    }
    assert_eq!(request_times(&lines), expected);
}

#[test]
fn guided_jitter_keeps_every_retry_between_five_seconds_and_the_cap() {
    let text = OUTAGE.replace("retry_after = \"300s\"\n", "");
    for jitter in [Jitter::Full, Jitter::Equal, Jitter::Decorrelated] {
        let lines = run_trace(
            &script(&text),
            TracedApp {
                jitter,
                ..app(Profile::Guided)
            },
        )
        .unwrap();
        let times = request_times(&lines);
        // Retries within a call; a request on the minute grid starts a new app call.
        for pair in times
            .windows(2)
            .filter(|w| w[0] >= 3300.0 && w[1] < 4200.0 && w[1] % 60.0 != 0.0)
        {
            let gap = pair[1] - pair[0];
            assert!((5.0..=300.0).contains(&gap), "{jitter:?}: gap {gap}");
        }
    }
}

#[test]
fn fast_retry_hammers_every_second_and_ignores_retry_after() {
    let text = r#"
expires_in = "1h"
call_every = "60s"
duration = "1h"
[[window]]
from = "56m"
answer = "429"
retry_after = "300s"
[[window]]
from = "57m"
answer = "ok"
"#;
    let times = request_times(&run_trace(&script(text), app(Profile::FastRetry)).unwrap());
    let expected: Vec<f64> = std::iter::once(0.0)
        .chain((3360..=3420).map(|s| s as f64))
        .collect();
    assert_eq!(times, expected);
}

#[test]
fn fixed_retry_waits_its_interval_whatever_the_retry_after() {
    let text = r#"
expires_in = "1h"
duration = "1h10m"
[[window]]
from = "55m"
answer = "429"
retry_after = "600s"
[[window]]
from = "58m"
answer = "ok"
"#;
    let times = request_times(&run_trace(&script(text), app(Profile::FixedRetry)).unwrap());
    assert_eq!(times, vec![0.0, 3360.0, 3390.0, 3420.0, 3450.0, 3480.0]);
}

/// 2 h tokens with refresh_in 1 h: msal-python refreshes inline from the first call after 1 h.
const PROACTIVE: &str = r#"
expires_in = "2h"
refresh_in = "1h"
call_every = "1s"
duration = "3660s"
[[window]]
from = "3600s"
answer = "429"
retry_after = "7s"
[[window]]
from = "3650s"
answer = "ok"
"#;

#[test]
fn msal_python_returns_the_old_token_on_429_and_waits_retry_after_exactly() {
    let lines = run_trace(&script(PROACTIVE), app(Profile::MsalPython)).unwrap();
    assert_eq!(
        request_times(&lines),
        vec![
            0.0, 3601.0, 3608.0, 3615.0, 3622.0, 3629.0, 3636.0, 3643.0, 3650.0
        ]
    );
    assert!(calls(&lines).iter().all(|(_, r)| *r != CallResult::None));
}

#[test]
fn msal_python_raises_on_5xx_although_the_old_token_is_valid_unless_the_app_catches() {
    let text = PROACTIVE.replace("answer = \"429\"\nretry_after = \"7s\"", "answer = \"5xx\"");
    let raised = run_trace(&script(&text), app(Profile::MsalPython)).unwrap();
    let failed = calls(&raised)
        .iter()
        .filter(|(_, r)| *r == CallResult::None)
        .count();
    // Every call from 3601 s raises: the 5xx window ends at 3650 s, but the 60 s throttle
    // entry of the 3601 s request outlives it, so calls up to 3660 s raise from the cache.
    assert_eq!(failed, 59);
    let caught = run_trace(
        &script(&text),
        TracedApp {
            catches_errors: true,
            ..app(Profile::MsalPython)
        },
    )
    .unwrap();
    assert!(calls(&caught).iter().all(|(_, r)| *r != CallResult::None));
}

#[test]
fn msal_js_refreshes_in_the_background_and_never_blocks_while_the_old_token_lives() {
    let text = PROACTIVE.replace("answer = \"429\"\nretry_after = \"7s\"", "answer = \"5xx\"");
    let lines = run_trace(&script(&text), app(Profile::MsalJs)).unwrap();
    assert_eq!(
        request_times(&lines),
        vec![0.0, 3601.0, 3661.0]
            .into_iter()
            .filter(|t| *t < 3660.0)
            .collect::<Vec<_>>()
    );
    assert!(calls(&lines).iter().all(|(_, r)| *r != CallResult::None));
}

#[test]
fn msal_dotnet_times_out_after_100_seconds_and_python_waits_for_the_hang() {
    let text = r#"
expires_in = "1h"
call_every = "60s"
duration = "2h"
[[window]]
from = "55m"
answer = "timeout"
hang = "300s"
[[window]]
from = "70m"
answer = "ok"
"#;
    let dotnet = request_times(&run_trace(&script(text), app(Profile::MsalDotnet)).unwrap());
    // 3360 times out at 3460, retried at 3461 (times out at 3561); timeouts are not throttled.
    assert_eq!(&dotnet[..5], &[0.0, 3360.0, 3461.0, 3600.0, 3701.0]);
    let python = request_times(&run_trace(&script(text), app(Profile::MsalPython)).unwrap());
    assert_eq!(python, vec![0.0, 3360.0, 3720.0, 4080.0, 4440.0]);
}

#[test]
fn msal_python_retries_a_refused_connection_once_at_once() {
    let text = r#"
expires_in = "1h"
duration = "1h"
[[window]]
from = "56m"
answer = "refused"
[[window]]
from = "57m"
answer = "ok"
"#;
    let times = request_times(&run_trace(&script(text), app(Profile::MsalPython)).unwrap());
    assert_eq!(times, vec![0.0, 3360.0, 3360.0, 3420.0]);
}

#[test]
fn no_cache_asks_for_a_token_on_every_call() {
    let text = "expires_in = \"1h\"\ncall_every = \"60s\"\nduration = \"10m\"\n";
    let times = request_times(&run_trace(&script(text), app(Profile::NoCache)).unwrap());
    assert_eq!(times, (0..10).map(|m| m as f64 * 60.0).collect::<Vec<_>>());
}

#[test]
fn scripts_reject_bad_answers_with_the_field_and_the_choices() {
    let none = RawSettings::default();
    let err = parse_script(
        "[[window]]\nfrom = \"1m\"\nanswer = \"503\"\n",
        "s.toml",
        false,
        &none,
    )
    .unwrap_err();
    assert!(
        err.contains("s.toml: window[0].answer: '503' is not an answer (use ok, 5xx"),
        "{err}"
    );
    let err = parse_script(
        "[[window]]\nfrom = \"1m\"\nanswer = \"ok\"\nretry_after = \"5s\"\n",
        "s.toml",
        false,
        &none,
    )
    .unwrap_err();
    assert!(err.contains("only 5xx and 429"), "{err}");
    let csv = parse_script(
        "from,answer,retry_after,hang\n10m,429,30s,\n",
        "s.csv",
        true,
        &none,
    )
    .unwrap();
    assert_eq!(
        csv.windows[0].answer,
        Answer::TooMany {
            retry_after: Some(SimDuration::from_secs(30))
        }
    );
}

#[test]
fn invalid_grant_walks_the_chain_to_one_prompt_and_stops() {
    let text = r#"
expires_in = "1h"
duration = "1h"
[[window]]
from = "55m"
answer = "invalid_grant"
"#;
    let web = TracedApp {
        confidential: true,
        ..app(Profile::MsalJs)
    };
    let lines = run_trace(&script(text), web).unwrap();
    assert_eq!(
        lines_at(&lines, 3360),
        vec![
            "Refresh",
            "PromptNone",
            "prompt inactivity",
            "Interactive",
            "call None"
        ]
    );
    let prompts = lines
        .iter()
        .filter(|l| matches!(l, TraceLine::Prompt { .. }))
        .count();
    assert_eq!(
        prompts, 1,
        "one prompt per need, however often the sign-in fails"
    );
}

fn model_script(name: &str) -> Script {
    let path = crate::common::root().join("models/traces").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let none = RawSettings::default();
    parse_script(&text, &path.display().to_string(), false, &none).unwrap()
}

/// Issue 10, defect 1: the 1 s retry of a failed background refresh went out as a
/// foreground request, so a call got no token although a 24 h token was cached.
#[test]
fn msal_dotnet_background_refresh_retry_stays_in_background() {
    let lines = run_trace(
        &model_script("long-lived-token-5xx.toml"),
        app(Profile::MsalDotnet),
    )
    .unwrap();
    assert!(
        calls(&lines).iter().all(|(_, r)| *r != CallResult::None),
        "every call keeps the cached 24 h token"
    );
    // The refresh due since ~1 h (±300 s jitter) fails from 2 h: each background attempt
    // is retried once after 1 s and then throttled 60 s, so attempts come in pairs.
    let in_outage: Vec<f64> = request_times(&lines)
        .into_iter()
        .filter(|t| (7200.0..10800.0).contains(t))
        .collect();
    assert!(
        in_outage.len() >= 2 && in_outage.len().is_multiple_of(2),
        "{in_outage:?}"
    );
    for pair in in_outage.chunks(2) {
        assert_eq!(pair[1] - pair[0], 1.0, "{in_outage:?}");
    }
}

/// Blocked intervals of a trace, in seconds.
fn blocked(lines: &[TraceLine]) -> Vec<(f64, f64)> {
    lines
        .iter()
        .filter_map(|l| match l {
            TraceLine::Blocked { from, t } => Some((
                from.as_millis() as f64 / 1000.0,
                t.as_millis() as f64 / 1000.0,
            )),
            _ => None,
        })
        .collect()
}

/// 2 h tokens with refresh_in 1 h; the server hangs 2 min on every request from 50 min
/// to 70 min, then drops the connection.
const HANG_WITH_VALID_TOKEN: &str = r#"
expires_in = "2h"
refresh_in = "1h"
call_every = "60s"
duration = "75m"
[[window]]
from = "50m"
answer = "timeout"
hang = "120s"
[[window]]
from = "70m"
answer = "ok"
"#;

/// Issue 10, defect 4: an inline refresh against a hanging server stalled the caller
/// for the whole hang but added no blocked time, because the call ended with its old
/// token. A call is blocked from its start until it has a token.
#[test]
fn waiting_on_a_hanging_server_counts_as_blocked() {
    let lines = run_trace(&script(HANG_WITH_VALID_TOKEN), app(Profile::MsalPython)).unwrap();
    // Refresh due from 60:01: the attempts at 61:00, 64:00 and 67:00 each hang 2 min and
    // fall back to the old token (the next call is the first after the hang); the one at
    // 70:00 succeeds at once.
    assert_eq!(
        blocked(&lines),
        vec![(3660.0, 3780.0), (3840.0, 3960.0), (4020.0, 4140.0)]
    );
    assert!(calls(&lines).iter().all(|(_, r)| *r != CallResult::None));
    // A background refresh that waits does not block: the app serves its old token.
    for profile in [Profile::MsalDotnet, Profile::MsalJs] {
        let lines = run_trace(&script(HANG_WITH_VALID_TOKEN), app(profile)).unwrap();
        assert_eq!(blocked(&lines), vec![], "{profile:?}");
    }
}

/// Issue 10, defect 10: MSAL takes the time once, at the start of a call. A 1 h token
/// with refresh_in 50 min is servable up to 55:00; the refresh at 51:00 hangs 10 min and
/// fails at 61:00, and the call still gets the token it found at its start.
#[test]
fn old_token_is_judged_at_the_start_of_the_call_not_when_a_hanging_refresh_fails() {
    let text = r#"
expires_in = "1h"
refresh_in = "50m"
call_every = "60s"
duration = "65m"
[[window]]
from = "50m"
answer = "timeout"
hang = "10m"
[[window]]
from = "60m"
answer = "ok"
"#;
    let lines = run_trace(&script(text), app(Profile::MsalPython)).unwrap();
    assert_eq!(
        calls(&lines)
            .into_iter()
            .filter(|(t, _)| *t > 3000.0)
            .collect::<Vec<_>>(),
        vec![
            (3660.0, CallResult::Old),
            (3720.0, CallResult::New),
            (3780.0, CallResult::Cached),
            (3840.0, CallResult::Cached)
        ]
    );
    assert_eq!(blocked(&lines), vec![(3060.0, 3660.0)]);
}

/// Issue 10, defect 11: after a refresh failed with `invalid_grant` while the old token
/// was still valid, the library's throttle cache replays that error (msal-python 60 s,
/// MSAL.NET 120 s). Once the old token is no longer usable, the replay is "UI required"
/// like a fresh answer: the app goes interactive at once instead of failing its calls
/// for the rest of the window. Refresh due from 45:15; the token is served up to 55:00;
/// the refresh token is rejected until 55:05.
#[test]
fn throttled_invalid_grant_replay_moves_on_to_interactive_once_no_token_is_usable() {
    let text = r#"
expires_in = "1h"
refresh_in = "2715s"
call_every = "10s"
duration = "3400s"
[[window]]
from = "2400s"
answer = "invalid_grant"
[[window]]
from = "3305s"
answer = "ok"
"#;
    for profile in [Profile::MsalPython, Profile::MsalDotnet] {
        let lines = run_trace(&script(text), app(profile)).unwrap();
        assert_eq!(
            lines_at(&lines, 3310),
            vec!["prompt inactivity", "Interactive", "call New"],
            "{profile:?}"
        );
        assert!(
            calls(&lines).iter().all(|(_, r)| *r != CallResult::None),
            "{profile:?}"
        );
    }
}

#[test]
fn scripts_call_only_inside_call_windows_and_never_in_a_skip_window() {
    let text = r#"
expires_in = "1h"
duration = "2h"
[[calls]]
from = "0s"
until = "3m"
every = "60s"
[[calls]]
from = "1h"
until = "1h2m"
every = "20s"
[[skip]]
from = "1h30s"
until = "1h1m30s"
"#;
    let times: Vec<f64> = calls(&run_trace(&script(text), app(Profile::MsalPython)).unwrap())
        .iter()
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(times, vec![0.0, 60.0, 120.0, 3600.0, 3620.0, 3700.0]);
    let none = RawSettings::default();
    let err = parse_script(
        "[[skip]]\nfrom = \"2h\"\nuntil = \"1h\"\n",
        "s.toml",
        false,
        &none,
    )
    .unwrap_err();
    assert_eq!(
        err,
        "s.toml: skip[0].until: '1h' must be later than from ('2h')"
    );
}

/// msal-python's `timeout=`: a 30 s timeout ends each 5 min hang after 30 s; timeouts
/// are not throttled, so every call from 56:00 goes out again until 70:00.
#[test]
fn msal_python_timeout_from_the_script_ends_each_hang() {
    let text = r#"
expires_in = "1h"
call_every = "60s"
duration = "71m"
timeout = "30s"
[[window]]
from = "55m"
answer = "timeout"
hang = "300s"
[[window]]
from = "70m"
answer = "ok"
"#;
    let lines = run_trace(&script(text), app(Profile::MsalPython)).unwrap();
    let expected: Vec<f64> = std::iter::once(0.0)
        .chain((56..=70).map(|m| m as f64 * 60.0))
        .collect();
    assert_eq!(request_times(&lines), expected);
    assert!(calls(&lines).contains(&(3390.0, CallResult::None)));
    assert_eq!(blocked(&lines), vec![(3360.0, 4200.0)]);
}

/// A 429 whose body is not JSON (an HTML page from a proxy): msal-python cannot parse
/// it and raises although the old token is valid, and its throttle cache replays the
/// raise for Retry-After; MSAL.NET goes by the status code and keeps its old token.
#[test]
fn msal_python_raises_on_a_429_whose_body_is_not_json() {
    let text = PROACTIVE.replace("answer = \"429\"", "answer = \"429-not-json\"");
    let python = run_trace(&script(&text), app(Profile::MsalPython)).unwrap();
    let failed: Vec<f64> = calls(&python)
        .iter()
        .filter(|(_, r)| *r == CallResult::None)
        .map(|(t, _)| *t)
        .collect();
    // Every call from the first refresh at 3601 s to the end of the window at 3650 s.
    assert_eq!(failed, (3601..3650).map(|s| s as f64).collect::<Vec<_>>());
    let dotnet = run_trace(&script(&text), app(Profile::MsalDotnet)).unwrap();
    assert!(calls(&dotnet).iter().all(|(_, r)| *r != CallResult::None));
}

#[test]
fn the_harness_example_times_out_then_raises_on_the_html_429() {
    let lines = run_trace(
        &model_script("msal-python-harness.toml"),
        app(Profile::MsalPython),
    )
    .unwrap();
    // Refresh due from 25:00, first call after the 20–30 min pause at 30:00; each hang
    // ends after the 30 s timeout with the old token; the HTML 429 at 33:20 raises, and
    // its throttle entry (Retry-After 120 s) raises again until the answer is ok.
    assert!(calls(&lines).contains(&(1830.0, CallResult::Old)));
    assert!(
        !calls(&lines)
            .iter()
            .any(|(t, _)| (1200.0..1800.0).contains(t))
    );
    let failed: Vec<f64> = calls(&lines)
        .iter()
        .filter(|(_, r)| *r == CallResult::None)
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(failed.first(), Some(&2000.0));
    assert_eq!(failed.last(), Some(&2470.0));
    assert_eq!(
        blocked(&lines).iter().map(|(f, t)| t - f).sum::<f64>(),
        630.0
    );
}
