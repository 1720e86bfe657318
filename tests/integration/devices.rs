//! Devices and single sign-on: a device-less model gives main's outputs byte for byte;
//! one sign-in on a brokered device serves every brokered app on it (sign-in frequency,
//! PRT expiry after 14 idle days); the revocation matrix applies per PRT credential; a
//! family refresh token serves and falls with every family member.

use crate::common::{Seen, binary, model, probe, root, temp_dir};
use proptest::prelude::*;
use std::process::Command;
use tokensim::domain::RequestKind;
use tokensim::metrics::{RunResult, Summary};

/// The models of main before devices existed (`tests/fixtures/device-less/`), with the
/// users.csv and revocations.csv main's binary wrote for them.
#[test]
fn device_less_models_give_the_per_app_outputs_of_main_byte_for_byte() {
    for name in ["default", "incident-response"] {
        let fixtures = root().join("tests/fixtures/device-less");
        let dir = temp_dir(&format!("device-less-{name}"));
        let o = Command::new(binary())
            .args([
                "run",
                fixtures.join(format!("{name}.toml")).to_str().unwrap(),
            ])
            .args([
                "--set",
                "scenario.users=300",
                "--set",
                "scenario.scale_units=2",
            ])
            .args(["--threads", "1", "--out", dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        for table in ["users.csv", "revocations.csv"] {
            let expected = std::fs::read(fixtures.join(format!("{name}.{table}"))).unwrap();
            let got = std::fs::read(dir.join(table)).unwrap();
            assert!(got == expected, "{name}: {table} differs from main's");
        }
    }
}

/// Fixed 08:30-17:30 working days, UTC, 10-minute access tokens (a refresh at most 10
/// minutes after the sign-in frequency runs out), three brokered apps on one Windows PC.
const DESK: &str = r#"
[scenario]
name = "desk"
start = "2026-03-02T00:00"
horizon = "14d"
seed = 5
users = 20
[policy.access_token]
lifetime_min = "10m"
lifetime_max = "10m"
[platform]
capacity = 1000
[[segment]]
name = "desk"
share = 1.0
sign_in = "mfa"
activity = { pattern = "working-hours", start = "08:30", end = "17:30", jitter = "0m" }
  [[segment.device]]
  name = "pc"
  kind = "windows"
  [[segment.app]]
  name = "outlook"
  client = "native"
  profile = "msal-dotnet"
  device = "pc"
  [[segment.app]]
  name = "teams"
  client = "native"
  profile = "msal-dotnet"
  device = "pc"
  call_interval = "2m"
  [[segment.app]]
  name = "onedrive"
  client = "native"
  profile = "msal-dotnet"
  device = "pc"
  call_interval = "7m"
"#;

/// The same model with every app holding its own sessions.
fn without_devices(text: &str) -> String {
    text.replace(
        "  [[segment.device]]\n  name = \"pc\"\n  kind = \"windows\"\n",
        "",
    )
    .replace("  device = \"pc\"\n", "")
}

fn summary(text: &str, sets: &[&str]) -> Summary {
    crate::common::summary_of(&RunResult::simulate(model(text, sets), 1, &|_| true).unwrap())
}

const WORKING_DAYS: u64 = 10;
const USERS: u64 = 20;

#[test]
fn sign_in_frequency_prompts_once_per_device_not_once_per_app() {
    // S = 8 h: the first call of the day (last sign-in 16 h ago) and 8 h later; S = 10 h:
    // only the first call (10 h later the day is over).
    for (every, per_day) in [("8h", 2), ("10h", 1)] {
        let set = format!("policy.sign_in_frequency.every={every}");
        let s = summary(DESK, &[&set]);
        assert_eq!(
            s.prompts.by_cause["sign_in_frequency"],
            per_day * WORKING_DAYS * USERS,
            "S = {every}: {:?}",
            s.prompts
        );
        assert_eq!(s.prompts.total, s.prompts.by_cause["sign_in_frequency"]);
    }
}

#[test]
fn without_a_device_each_app_answers_sign_in_frequency_on_its_own() {
    let s = summary(
        &without_devices(DESK),
        &["policy.sign_in_frequency.every=10h"],
    );
    assert_eq!(s.prompts.total, 3 * WORKING_DAYS * USERS, "{:?}", s.prompts);
    assert_eq!(s.prompts.shared_sign_in_apps, 0);
}

/// Holidays of a given length; the apps' own refresh tokens outlive them (90 days), so
/// only the PRT's 14 days can expire.
fn holiday(length: &str, devices: bool) -> Summary {
    let text = DESK
        .replace("horizon = \"14d\"", "horizon = \"240d\"")
        .replace(
            "jitter = \"0m\" }",
            &format!("jitter = \"0m\" }}\nabsence = {{ per_year = 8, length = \"{length}\" }}"),
        );
    let text = if devices {
        text
    } else {
        without_devices(&text)
    };
    summary(
        &text,
        &[
            "policy.access_token.lifetime_max=90m",
            "policy.access_token.lifetime_min=60m",
        ],
    )
}

#[test]
fn an_absence_longer_than_fourteen_days_costs_one_sign_in_on_return_shorter_ones_none() {
    let long = holiday("20d", true);
    let returns = long.prompts.by_cause["inactivity"];
    assert_eq!(long.prompts.total, returns, "{:?}", long.prompts);
    // About 8 × 240/365 holidays per user, fewer as they take 20 days each; Poisson
    // count over 20 users, so ±4σ of its mean.
    let mean = USERS as f64 * 8.0 * (240.0 - 20.0) / 365.0 * 0.7;
    assert!(
        (returns as f64 - mean).abs() < 4.0 * mean.sqrt() + 0.3 * mean,
        "{returns} returns, expected about {mean:.0}"
    );
    // 9 days plus a weekend stay under 14; only back-to-back holidays (Poisson
    // arrivals) add up to more.
    let short = holiday("9d", true).prompts.total;
    assert!(short * 10 < returns, "{short} prompts after 9-day holidays");
    // The same holidays cost nothing without a device: the apps' refresh tokens slide 90 days.
    assert_eq!(holiday("20d", false).prompts.total, 0);
}

/// A password-type event against brokered apps on one device and a family of apps on
/// an unmanaged laptop, always on, a campaign at minute `at`.
fn credential_model(seed: u64, event: &str, passwordless_share: f64, at: u64) -> String {
    format!(
        r#"
[scenario]
name = "prt"
start = "2026-03-02T00:00"
horizon = "2d"
seed = {seed}
users = 8
[platform]
capacity = 1000
[events]
admin_api_lag = "0m"
[[events.campaign]]
at = "{at}m"
event = "{event}"
[[segment]]
name = "s"
share = 1.0
sign_in = "mfa"
passwordless_share = {passwordless_share}
activity = {{ pattern = "always-on" }}
  [[segment.device]]
  name = "pc"
  kind = "windows"
  [[segment.device]]
  name = "laptop"
  kind = "unmanaged"
  [[segment.app]]
  name = "outlook"
  client = "native"
  profile = "msal-dotnet"
  device = "pc"
  [[segment.app]]
  name = "teams"
  client = "native"
  profile = "msal-dotnet"
  device = "pc"
  [[segment.app]]
  name = "word"
  client = "native"
  profile = "msal-dotnet"
  device = "laptop"
  family = true
  [[segment.app]]
  name = "excel"
  client = "native"
  profile = "msal-dotnet"
  device = "laptop"
  family = true
"#
    )
}

/// Per user, the apps' histories in segment order (four apps a user).
fn per_user(p: &crate::common::Probe) -> Vec<&[Vec<Seen>]> {
    p.apps.chunks(4).collect()
}

fn prompts_after(apps: &[Vec<Seen>], from: u64) -> usize {
    apps.iter()
        .flatten()
        .filter(|s| matches!(s, Seen::Prompt(t, _) if t.as_millis() >= from))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// A password change revokes the PRT (and the family token) of a password sign-in and
    /// with it the silent access of every app using it: one prompt per device. A
    /// passwordless PRT survives and nobody is asked.
    #[test]
    fn password_change_kills_password_prts_and_their_apps_not_passwordless_ones(
        seed in 0u64..1000,
        passwordless in prop::sample::select(vec![0.0, 1.0]),
        at in 120u64..600,
    ) {
        let s = model(&credential_model(seed, "password-change", passwordless, at), &[]);
        let p = probe(&s);
        let from = at * 60_000;
        for apps in per_user(&p) {
            for device in [&apps[0..2], &apps[2..4]] {
                let expected = if passwordless == 0.0 { 1 } else { 0 };
                prop_assert_eq!(prompts_after(device, from), expected);
                if passwordless == 0.0 {
                    // No app of the device refreshes silently between the event and the sign-in.
                    let signed_in = device.iter().flatten().find_map(|s| match s {
                        Seen::Grant(t, RequestKind::Interactive) if t.as_millis() >= from => Some(*t),
                        _ => None,
                    }).expect("the device signs in again");
                    let silent = device.iter().flatten().any(|s| matches!(s,
                        Seen::Grant(t, RequestKind::Refresh) if t.as_millis() >= from && *t < signed_in));
                    prop_assert!(!silent);
                }
            }
        }
    }

    /// Revoking all refresh tokens stops every member of a family (one prompt brings
    /// them all back), whatever the credential.
    #[test]
    fn a_revoked_family_token_stops_every_family_member(
        seed in 0u64..1000,
        passwordless in prop::sample::select(vec![0.0, 1.0]),
        at in 120u64..600,
    ) {
        let s = model(&credential_model(seed, "user-revoke-all", passwordless, at), &[]);
        let p = probe(&s);
        for apps in per_user(&p) {
            prop_assert_eq!(prompts_after(&apps[2..4], at * 60_000), 1);
            prop_assert_eq!(prompts_after(&apps[0..2], at * 60_000), 1);
        }
    }
}

/// Two family apps on an unmanaged laptop under a 3-hour inactivity window: one calls
/// every 5 minutes, the other every 6 hours. The rare one redeems the family token its
/// sibling keeps fresh; on its own it would be asked at every use.
#[test]
fn a_family_refresh_serves_every_family_member() {
    let text = |family: bool| {
        format!(
            r#"
[scenario]
name = "foci"
start = "2026-03-02T00:00"
horizon = "5d"
seed = 3
users = 10
[policy.refresh_token]
max_inactive = "3h"
[platform]
capacity = 1000
[[segment]]
name = "s"
share = 1.0
activity = {{ pattern = "always-on" }}
  [[segment.device]]
  name = "laptop"
  kind = "unmanaged"
  [[segment.app]]
  name = "outlook"
  client = "native"
  profile = "msal-dotnet"
  device = "laptop"
  family = {family}
  [[segment.app]]
  name = "planner"
  client = "native"
  profile = "msal-dotnet"
  device = "laptop"
  call_interval = "6h"
  family = {family}
"#
        )
    };
    assert_eq!(summary(&text(true), &[]).prompts.total, 0);
    let alone = summary(&text(false), &[]);
    // Every 6-hourly refresh of the rare app after the first (20 in 5 days) is asked.
    assert!(
        alone.prompts.by_cause["inactivity"] >= 10 * 15,
        "{:?}",
        alone.prompts
    );
}

/// Apps that keep no cache of their own on a Windows PC during a 3-hour outage: the
/// backup service serves them through the PRT the broker persists, unless
/// `platform.backup.serves_brokered` says the brokers are not served.
#[test]
fn backup_serves_brokered_apps_through_the_persisted_prt() {
    let text = DESK
        .replace("horizon = \"14d\"", "horizon = \"3d\"")
        .replace(
            "device = \"pc\"\n",
            "device = \"pc\"\n  persistent_cache = false\n",
        )
        + "[[outage]]\npreset = \"2020-09-28-global\"\nstart = \"2026-03-03T10:00\"\n";
    let served = summary(&text, &[]).token_requests["backup"];
    assert!(served > 0, "{served}");
    let refused = summary(&text, &["platform.backup.serves_brokered=false"]);
    assert_eq!(refused.token_requests["backup"], 0);
    let own_cache = summary(&without_devices(&text), &[]);
    assert_eq!(
        own_cache.token_requests["backup"], 0,
        "no PRT, no persisted cache"
    );
}

/// The TUI's levers on `models/sign-in-frequency.toml`: fewer users with a working
/// broker (1 → 0.75) raise the prompt figure, a weekly instead of a daily sign-in
/// frequency lowers it.
#[test]
fn broker_share_and_sign_in_frequency_levers_move_the_prompt_figure() {
    use tokensim::tui::lever::levers_for;
    let text = std::fs::read_to_string(root().join("models/sign-in-frequency.toml")).unwrap();
    let small = ["scenario.users=200", "scenario.horizon=14d"];
    let base = model(&text, &small);
    let rate = |sets: &[String]| {
        let sets: Vec<&str> = small
            .iter()
            .copied()
            .chain(sets.iter().map(|s| s.as_str()))
            .collect();
        summary(&text, &sets).prompts.per_user_month
    };
    let moved = |label: &str, up: bool| {
        let lever = levers_for(&base)
            .into_iter()
            .find(|l| l.label == label)
            .unwrap();
        let change = lever.step(&base, up).unwrap();
        rate(
            &change
                .sets
                .iter()
                .map(|(p, v)| format!("{p}={v}"))
                .collect::<Vec<_>>(),
        )
    };
    let now = rate(&[]);
    let fewer_brokers = moved("broker share", false);
    assert!(fewer_brokers > now * 1.1, "{now} → {fewer_brokers}");
    let weekly = moved("sign-in frequency", true);
    assert!(weekly < now * 0.5, "{now} → {weekly}");
}

/// Token Protection binds the device's PRT: Outlook and Teams on a Windows PC are
/// protected together; the same apps on an unmanaged laptop (their own family token)
/// are not, nor on a PC whose user's broker is not in use.
#[test]
fn token_protection_sits_on_the_prt_so_only_brokered_apps_are_protected() {
    let text = credential_model(4, "admin-reset-azure-portal", 0.0, 300)
        .replace(
            "passwordless_share = 0",
            "token_protection = true\npasswordless_share = 0",
        )
        .replace(
            "profile = \"msal-dotnet\"\n",
            "profile = \"msal-dotnet\"\n  resources = [\"exchange\"]\n",
        );
    let protected = |sets: &[&str]| -> Vec<bool> {
        let p = probe(&model(&text, sets));
        let mut by_slot = vec![true; 4];
        for r in &p.records {
            by_slot[r.app.slot as usize] &= r.facts.protected;
        }
        by_slot
    };
    assert_eq!(protected(&[]), [true, true, false, false]);
    assert_eq!(protected(&["segment.0.broker_share=0"]), [false; 4]);
    let on = |kind: &str| protected(&[&format!("segment.0.device.0.kind='{kind}'")]);
    assert_eq!(on("ios-broker"), [true, true, false, false]);
    assert_eq!(on("macos-sso"), [true, true, false, false]);
}

/// Regression: a `mobile-broker` device counted as supported for Token Protection,
/// though Microsoft Learn lists iOS/iPadOS (preview) and no Android. A segment-wide
/// switch leaves the apps of an Android or unstated mobile device unprotected.
#[test]
fn token_protection_leaves_android_and_unstated_mobile_brokers_unprotected() {
    let text = credential_model(4, "admin-reset-azure-portal", 0.0, 300)
        .replace(
            "passwordless_share = 0",
            "token_protection = true\npasswordless_share = 0",
        )
        .replace(
            "profile = \"msal-dotnet\"\n",
            "profile = \"msal-dotnet\"\n  resources = [\"exchange\"]\n",
        );
    for kind in ["android-broker", "mobile-broker"] {
        let s = model(&text, &[&format!("segment.0.device.0.kind='{kind}'")]);
        let p = probe(&s);
        assert!(!p.records.is_empty(), "{kind}: no exposure records");
        assert!(p.records.iter().all(|r| !r.facts.protected), "{kind}");
    }
}

/// Defect found while building devices: the PRT's refresh token slid only at each 4-hour
/// renewal, so under a MaxInactiveTime of 1 hour a device in constant use was asked
/// again every hour. The token slides at every use; only the 14 days run from renewals.
#[test]
fn prt_in_use_outlives_a_max_inactive_shorter_than_its_renewal_period() {
    let s = summary(DESK, &["policy.refresh_token.max_inactive=1h"]);
    // Once a working day, for the night's inactivity, per device.
    assert_eq!(
        s.prompts.by_cause["inactivity"],
        WORKING_DAYS * USERS,
        "{:?}",
        s.prompts
    );
    assert_eq!(s.prompts.total, WORKING_DAYS * USERS);
}

/// A new rollout (every cache empty): one first sign-in per device serves its three
/// brokered apps; without the device each app asks.
#[test]
fn a_rollout_asks_once_per_device() {
    let signed_out = ["segment.0.signed_in_at_start=false"];
    let s = summary(DESK, &signed_out);
    assert_eq!(
        s.prompts.by_cause["first_sign_in"], USERS,
        "{:?}",
        s.prompts
    );
    assert_eq!(s.prompts.total, USERS);
    assert_eq!(
        s.prompts.shared_sign_in_apps,
        2 * USERS,
        "each sign-in serves two more apps"
    );
    let per_app = summary(&without_devices(DESK), &signed_out);
    assert_eq!(per_app.prompts.total, 3 * USERS);
}
