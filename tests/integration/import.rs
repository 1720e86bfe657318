//! `tokensim import` and `validate`: the round trip from a known model through
//! synthetic Graph exports back to a model (user counts exact, activity rates, session
//! lengths and call intervals within their sample-size tolerance, a simulation of the
//! result within tolerance of the logs), and every kind of bad input with its error
//! text or its counted skip.

use crate::common::{binary, root, temp_dir};
use std::path::{Path, PathBuf};
use std::process::Command;
use tokensim::domain::Profile;
use tokensim::domain::user::Activity;
use tokensim::domain::{DeviceKind, SignIn};
use tokensim::engine::SimDuration;
use tokensim::import::{
    self, Inputs, fit::FitSegment, policies, signins::SignInLog, synth, validate,
};
use tokensim::scenario::{self, Override};

/// Standard errors allowed for a recovered parameter: with about 30 parameters
/// checked, 4.5 σ keeps a correct import failing less than once in 10⁴ runs.
const Z: f64 = 4.5;

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/graph").join(name)
}

fn exports(dir: &Path) -> Inputs {
    Inputs {
        signins: vec![dir.join("signins.json")],
        policies: vec![dir.join("policies.json")],
        lifetime: vec![dir.join("lifetime.json")],
    }
}

fn import_error(inputs: Inputs) -> String {
    match import::import(&inputs) {
        Ok(_) => panic!("the import should fail"),
        Err(e) => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text += &format!(": {s}");
                source = s.source();
            }
            text
        }
    }
}

fn signins_only(name: &str) -> Inputs {
    Inputs {
        signins: vec![fixture(name)],
        ..Inputs::default()
    }
}

fn weekly(activity: &Activity) -> (&[f64], SimDuration) {
    match activity {
        Activity::Weekly {
            rates_per_hour,
            session,
        } => (rates_per_hour, *session),
        other => panic!("expected a weekly pattern, got {other:?}"),
    }
}

/// Pools the fitted hours by their known rate, so each check has the counts of many
/// hours: the estimate n/E of a Poisson rate r over E exposed user-hours has standard
/// error √(r/E).
fn assert_rates_recovered(fit: &FitSegment, known: &[f64]) {
    let mut levels: Vec<f64> = known.to_vec();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    for r in levels {
        let hours: Vec<usize> = (0..known.len()).filter(|&h| known[h] == r).collect();
        let starts: u64 = hours.iter().map(|&h| fit.starts[h]).sum();
        let exposure: f64 = hours.iter().map(|&h| fit.exposure[h]).sum();
        let estimate = starts as f64 / exposure;
        let se = (r / exposure).sqrt();
        assert!(
            (estimate - r).abs() <= Z * se,
            "{}: rate {r}/h over {} hours fitted as {estimate:.4} ± {:.4} ({starts} starts in {exposure:.0} user-hours)",
            fit.name,
            hours.len(),
            Z * se
        );
    }
}

#[test]
fn round_trip_recovers_the_known_tenant_and_validates_within_tolerance() {
    let known = scenario::load_file(&root().join("models/synthetic-tenant.toml"), &[]).unwrap();
    let dir = temp_dir("import-round-trip");
    synth::write_exports(&known, 2, &dir).unwrap();
    let imported = import::import(&exports(&dir)).unwrap_or_else(|e| panic!("{e}"));
    // `tokensim check` accepts it (the import checks too; this is the user's view).
    let model = scenario::parse_model(&imported.model, "imported.toml", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.users, known.users);
    assert_eq!(imported.fit.segments.len(), 2);
    for (fit, truth) in imported.fit.segments.iter().zip(&known.segments) {
        let apps: Vec<&str> = fit.apps.iter().map(|a| a.name.as_str()).collect();
        let names: Vec<&str> = truth.apps.iter().map(|a| a.name.as_str()).collect();
        let (mut a, mut b) = (apps.clone(), names.clone());
        a.sort();
        b.sort();
        assert_eq!(
            a, b,
            "segment {} should have the apps of {}",
            fit.name, truth.name
        );
        assert_eq!(
            fit.users as f64,
            truth.share * known.users as f64,
            "users of {}",
            truth.name
        );
        for app in &fit.apps {
            let spec = truth.apps.iter().find(|s| s.name == app.name).unwrap();
            assert_eq!(app.client, spec.client, "{}", app.name);
            let kind = truth.devices[spec.device.unwrap() as usize].kind;
            assert_eq!(app.device, kind, "device of {}", app.name);
            if spec.profile == Profile::NoCache {
                // A request per call: every gap inside a session is the call interval.
                assert_eq!(app.profile, Profile::NoCache, "{}", app.name);
                let gap = app.median_gap.unwrap();
                assert!(
                    gap.0.abs_diff(spec.call_interval.0) <= 1_000,
                    "{}: {gap}",
                    app.name
                );
            } else {
                assert_eq!(
                    app.profile,
                    Profile::MsalDotnet,
                    "{}: cached tokens",
                    app.name
                );
            }
        }
        let (rates, session) = weekly(&truth.activity);
        assert_rates_recovered(fit, rates);
        let allowed = SimDuration((Z * fit.session_se.0 as f64) as u64 + 60_000);
        assert!(
            fit.session.0.abs_diff(session.0) <= allowed.0,
            "{}: session {} fitted as {} (allowed ± {allowed})",
            fit.name,
            session,
            fit.session
        );
        assert_eq!(fit.sign_in, truth.sign_in, "{}", fit.name);
        // Drawn per user and device: one Bernoulli trial per user with a brokered device.
        let (brokered, seen) = fit.broker.expect("brokered apps in every segment");
        let p = truth.broker_share;
        let se = (p * (1.0 - p) / seen as f64).sqrt();
        let share = brokered as f64 / seen as f64;
        assert!(
            (share - p).abs() <= Z * se + 1e-12,
            "{}: broker share {p} fitted as {share:.4} over {seen} users",
            fit.name
        );
        let [password, mfa, passwordless, _] = fit.methods;
        let n = (password + mfa + passwordless) as f64;
        let p = truth.passwordless_share;
        let se = (p * (1.0 - p) / n).sqrt();
        assert!(
            (fit.passwordless_share - p).abs() <= Z * se + 1e-12,
            "{}: passwordless share {p} fitted as {:.4} over {n} sign-ins",
            fit.name,
            fit.passwordless_share
        );
    }
    assert_eq!(model.policy.at_min, SimDuration::from_hours(2));
    assert_eq!(model.policy.at_max, SimDuration::from_hours(2));
    assert_eq!(
        model.policy.sign_in_frequency,
        Some(SimDuration::from_hours(12))
    );
    assert_eq!(model.policy.cookie_inactive, SimDuration::from_hours(24));
    assert_eq!(model.segments[1].sign_in, SignIn::Password);

    // The imported model, simulated with another seed, against the logs.
    let (log, _) = import::read_signins(&[dir.join("signins.json")]).unwrap();
    let reseeded: Override = "scenario.seed=99".parse().unwrap();
    let model = scenario::parse_model(&imported.model, "imported.toml", &[reseeded]).unwrap();
    let apps = validate::compare(&model, &log, 2).unwrap();
    assert_eq!(apps.len(), 4);
    for a in &apps {
        assert_eq!(a.logs.users, a.sim.users, "{}", a.app);
        assert!(a.within(), "{}: {a:?}", a.app);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An outage in the logs' period: the backup service serves the native apps, the web
/// app gets 5xx. The import reports it; the imported model with the same outage added
/// reproduces the backup-served share of each app within its sampling error.
#[test]
fn an_outage_in_the_logs_shows_as_backup_share_and_validates_once_modelled() {
    let outage = "\n[[outage]]\nname = \"wednesday\"\nstart = \"2026-03-04T09:00\"\nduration = \"2h\"\nkind = \"full\"\n";
    let text = std::fs::read_to_string(root().join("models/synthetic-tenant.toml")).unwrap();
    let small: Vec<Override> = ["scenario.users=100", "scenario.horizon=7d"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let known = scenario::parse_model(&format!("{text}{outage}"), "known.toml", &small).unwrap();
    let dir = temp_dir("import-outage");
    synth::write_exports(&known, 1, &dir).unwrap();
    let imported = import::import(&exports(&dir)).unwrap();
    assert!(
        imported
            .report
            .contains("served by the backup authentication service"),
        "{}",
        imported.report
    );
    assert!(
        imported
            .report
            .contains(&format!("status.errorCode {}", synth::SERVER_ERROR)),
        "{}",
        imported.report
    );
    let (log, _) = import::read_signins(&[dir.join("signins.json")]).unwrap();
    let reseeded: Override = "scenario.seed=5".parse().unwrap();
    let model = scenario::parse_model(
        &format!("{}{outage}", imported.model),
        "imported.toml",
        &[reseeded],
    )
    .unwrap();
    let apps = validate::compare(&model, &log, 1).unwrap();
    let lob = apps.iter().find(|a| a.app == "lob-portal").unwrap();
    assert!(lob.logs.backup > 0.0, "{lob:?}");
    for a in &apps {
        let ((l, l_se), (m, m_se)) = (a.logs.backup_per_user, a.sim.backup_per_user);
        let allowed = Z * (l_se * l_se + m_se * m_se).sqrt();
        assert!(
            (l - m).abs() <= allowed,
            "{}: backup-served per user-week {l:.3} in the logs, {m:.3} simulated (allowed ± {allowed:.3})",
            a.app
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn committed_synthetic_fixture_is_what_the_generator_draws() {
    let overrides: Vec<Override> = ["scenario.users=6", "scenario.horizon=2d"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let known =
        scenario::load_file(&root().join("models/synthetic-tenant.toml"), &overrides).unwrap();
    let dir = temp_dir("import-fixture");
    // Thread count must not matter.
    synth::write_exports(&known, 2, &dir).unwrap();
    for name in ["signins.json", "policies.json", "lifetime.json"] {
        let drawn = std::fs::read(dir.join(name)).unwrap();
        let committed = std::fs::read(fixture("synthetic-small").join(name)).unwrap();
        assert!(
            drawn == committed,
            "{name} differs from tests/fixtures/graph/synthetic-small (regenerate with: tokensim import --synth models/synthetic-tenant.toml --set scenario.users=6 --set scenario.horizon=2d --out tests/fixtures/graph/synthetic-small)"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn synthetic_rows_do_not_depend_on_the_thread_count() {
    let overrides: Vec<Override> = [
        "scenario.users=40",
        "scenario.horizon=3d",
        "scenario.scale_units=4",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let known =
        scenario::load_file(&root().join("models/synthetic-tenant.toml"), &overrides).unwrap();
    let one = synth::draw(&known, 1).unwrap();
    assert!(one.len() > 100);
    assert_eq!(one, synth::draw(&known, 3).unwrap());
}

#[test]
fn identifiers_never_reach_the_model_or_the_report() {
    let dir = fixture("synthetic-small");
    let imported = import::import(&exports(&dir)).unwrap();
    let text = std::fs::read_to_string(dir.join("signins.json")).unwrap();
    let mut ids = 0;
    for page in serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>() {
        for r in page.unwrap()["value"].as_array().unwrap() {
            for field in ["id", "userId", "appId"] {
                let id = r[field].as_str().unwrap();
                assert!(
                    !imported.model.contains(id) && !imported.report.contains(id),
                    "{field} {id} was copied"
                );
                ids += 1;
            }
        }
    }
    assert!(ids > 100, "the fixture should hold records");
}

#[test]
fn quirks_are_skipped_and_counted_never_guessed() {
    let mut log = SignInLog::default();
    let pages = import::graph::read(&fixture("signins-quirks.json"), |i, r| log.add(i, r)).unwrap();
    assert_eq!((pages.pages, pages.records), (2, 12));
    let skipped = |reason: &str| {
        log.skipped
            .iter()
            .find(|(k, _)| k.contains(reason))
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(skipped("duplicate record id"), 1);
    assert_eq!(skipped("no time zone"), 1);
    assert_eq!(skipped("clientAppUsed"), 1);
    assert_eq!(skipped("service principal"), 1);
    assert_eq!(skipped("no userId"), 1);
    assert_eq!(log.events.len(), 7);
    assert_eq!(log.users(), 3);
    assert_eq!(log.converted_zones, 1);
    assert_eq!(log.without_id, 1);
    // 10:02 at +02:00 is 08:02 UTC.
    let converted = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:02:00Z")
        .unwrap()
        .timestamp_millis();
    assert!(log.events.iter().any(|e| e.t_ms == converted));
    assert_eq!(log.events.iter().filter(|e| e.backup).count(), 1);
    assert_eq!(
        log.events.iter().filter(|e| e.error_code == 50196).count(),
        1
    );
    for (field, value) in [
        ("clientAppUsed", "unknownFutureValue"),
        ("tokenIssuerType", "SomeNewIssuer"),
        ("authenticationRequirement", "unknownFutureValue"),
    ] {
        assert_eq!(
            log.unknown.get(&(field, value.to_string())),
            Some(&1),
            "{field}"
        );
    }
    // A record without deviceDetail is kept, on an unknown platform, as its own app.
    let imported = import::import(&signins_only("signins-quirks.json")).unwrap();
    assert!(imported.model.contains("contoso-portal-other-native"));
    for line in [
        "skipped 1: duplicate record id",
        "converted: 1",
        "'SomeNewIssuer' × 1",
    ] {
        assert!(
            imported.report.contains(line),
            "report lacks '{line}':\n{}",
            imported.report
        );
    }
}

#[test]
fn the_admin_center_download_is_a_bare_array() {
    let imported = import::import(&signins_only("signins-admin-center.json")).unwrap();
    let model = scenario::parse_model(&imported.model, "m.toml", &[]).unwrap();
    assert_eq!(model.users, 3);
    assert_eq!(imported.fit.segments[0].methods[1], 1, "one MFA sign-in");
}

/// `Get-Mg… | ConvertTo-Json -Depth 10` names every property in PascalCase.
#[test]
fn powershell_exports_read_like_graph_json() {
    let graph = import::import(&signins_only("signins-admin-center.json")).unwrap();
    let powershell = import::import(&signins_only("signins-powershell.json")).unwrap();
    let body = |m: &str| m.lines().skip(4).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&graph.model), body(&powershell.model));
    let f = policies::read(&fixture("policies-powershell.json")).unwrap();
    assert_eq!(
        f.get("policy.sign_in_frequency.every")
            .map(|s| s.value.as_str()),
        Some("\"8h\"")
    );
    assert!(f.cae_disabled);
}

#[test]
fn bad_exports_name_the_file_record_and_field() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "signins-malformed.json",
            &[
                "signins-malformed.json",
                "record 0",
                "expected `,` or `}`",
                "line 13",
            ],
        ),
        (
            "signins-cut.json",
            &[
                "signins-cut.json",
                "record 1",
                "EOF while parsing",
                "1 records read before it",
            ],
        ),
        (
            "signins-truncated.json",
            &[
                "page 1 ends with @odata.nextLink",
                "the export is incomplete",
            ],
        ),
        (
            "signins-wrong-type.json",
            &["record 1: field 'isInteractive': invalid type: string \"yes\", expected a boolean"],
        ),
        (
            "signins-bad-time.json",
            &[
                "record 1 (id '00000000-0000-0000-0000-000000000001'): field 'createdDateTime': 'yesterday' is not an ISO 8601 time",
            ],
        ),
    ];
    for (file, needles) in cases {
        let e = import_error(signins_only(file));
        for n in needles {
            assert!(e.contains(n), "{file}: '{n}' not in: {e}");
        }
    }
    let e = import_error(signins_only("no-such-file.json"));
    assert!(e.contains("no-such-file.json: cannot open"), "{e}");
    let too_short = Inputs {
        lifetime: vec![fixture("lifetime-too-short.json")],
        ..signins_only("signins-quirks.json")
    };
    let e = import_error(too_short);
    assert!(
        e.contains(
            "policy 'Too short': AccessTokenLifetime: '00:05:00' is outside 10 minutes to 1 day"
        ),
        "{e}"
    );
}

#[test]
fn logs_with_no_usable_record_are_an_error_not_an_empty_model() {
    let dir = temp_dir("import-empty");
    let path = dir.join("signins.json");
    let record = r#"{"id":"x","createdDateTime":"2026-03-02T08:00:00Z","appDisplayName":"Daemon","signInEventTypes":["servicePrincipal"]}"#;
    std::fs::write(
        &path,
        format!(r#"{{"@odata.context":"c","value":[{record}]}}"#),
    )
    .unwrap();
    let e = import_error(Inputs {
        signins: vec![path],
        ..Inputs::default()
    });
    assert!(
        e.contains("no usable sign-in record (1 read, all skipped"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn conditional_access_maps_enforced_controls_and_reports_the_rest() {
    let f = policies::read(&fixture("policies-mixed.json")).unwrap();
    let value = |path: &str| f.get(path).map(|s| s.value.as_str());
    // The strictest enabled frequency wins, the group scope is reported.
    assert_eq!(value("policy.sign_in_frequency.every"), Some("\"8h\""));
    assert_eq!(
        value("policy.session_cookie.persistent"),
        Some("false"),
        "never beats always"
    );
    assert_eq!(value("platform.backup.enabled"), Some("false"));
    assert!(f.cae_disabled);
    let notes: Vec<String> = f
        .notes
        .iter()
        .map(|n| format!("{}: {}", n.kind.label(), n.text))
        .collect();
    for needle in [
        "approximated: 'Sign-in every 8 hours for admins': signInFrequency 8h",
        "the model applies it to everyone",
        "'Daily sign-in': sign-in frequency 1d is looser",
        "ignored: 'Report-only every time': report-only, not enforced",
        "ignored: 'Old policy': disabled",
        "ignored: 'Brand-new state': state 'unknownFutureValue' is not a known state",
        "ignored: 'Future CAE': continuousAccessEvaluation mode 'unknownFutureValue' is not known",
        "ignored: 'Daily sign-in': continuousAccessEvaluation strictLocation",
        "ignored: 'Daily sign-in': token protection",
        "ignored: 'Future CAE': grant control 'compliantDevice'",
    ] {
        assert!(
            notes.iter().any(|n| n.contains(needle)),
            "no note with '{needle}' in {notes:#?}"
        );
    }
    // The report-only "every time" must not become the sign-in frequency.
    assert!(!notes.iter().any(|n| n.contains("every-time → policy")));
}

#[test]
fn retired_lifetime_properties_are_written_commented_out() {
    let inputs = Inputs {
        lifetime: vec![fixture("lifetime-retired.json")],
        ..signins_only("signins-quirks.json")
    };
    let imported = import::import(&inputs).unwrap();
    let m = &imported.model;
    assert!(m.contains("lifetime_min = \"1h30m\""), "{m}");
    assert!(
        m.contains("# max_inactive = \"30d\"  # MaxInactiveTime 30.00:00:00"),
        "{m}"
    );
    assert!(m.contains("retired: Entra ignores this since 2021"), "{m}");
    let model = scenario::parse_model(m, "m.toml", &[]).unwrap();
    assert_eq!(
        model.policy.max_inactive,
        SimDuration::from_days(90),
        "retired: not applied"
    );
    assert_eq!(model.policy.at_min, SimDuration::from_mins(90));
}

/// The whole command-line path: draw exports, import them, validate the model (all
/// apps within), then validate a model whose per-call app calls twice as often (that
/// app outside, exit status 1).
#[test]
fn cli_synth_import_validate_and_a_wrong_model_is_outside() {
    let dir = temp_dir("import-cli");
    let run = |args: &[&str]| {
        let out = Command::new(binary()).args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let known = root().join("models/synthetic-tenant.toml");
    let (ok, text) = run(&[
        "import",
        "--synth",
        known.to_str().unwrap(),
        "--set",
        "scenario.users=60",
        "--set",
        "scenario.horizon=7d",
        "--threads",
        "1",
        "--out",
        &d("exports"),
    ]);
    assert!(ok, "{text}");
    let (ok, text) = run(&[
        "import",
        "--signins",
        &d("exports/signins.json"),
        "--policies",
        &d("exports/policies.json"),
        "--lifetime",
        &d("exports/lifetime.json"),
        "--out",
        &d("tenant.toml"),
    ]);
    assert!(ok, "{text}");
    assert!(text.contains("60 users in 2 segments"), "{text}");
    assert!(dir.join("tenant.import.md").exists());
    let (ok, text) = run(&["check", &d("tenant.toml")]);
    assert!(ok, "{text}");
    let validate = |extra: &[&str], out: &str| {
        let mut args = vec![
            "validate".to_string(),
            d("tenant.toml"),
            "--against".into(),
            d("exports/signins.json"),
        ];
        args.extend(["--threads", "1", "--out"].map(String::from));
        args.push(d(out));
        args.extend(extra.iter().map(|e| e.to_string()));
        run(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (ok, text) = validate(&[], "validate");
    assert!(ok, "{text}");
    assert!(text.contains("4 of 4 apps within tolerance"), "{text}");
    for f in [
        "validate.md",
        "validate.csv",
        "validate-hours.csv",
        "validate-lob-portal.png",
        "validate-lob-portal.svg",
    ] {
        assert!(dir.join("validate").join(f).exists(), "{f}");
    }
    let (ok, text) = validate(&["--set", "segment.0.app.0.call_interval=5m"], "wrong");
    assert!(!ok, "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("| lob-portal"))
        .unwrap_or_default();
    assert!(row.ends_with("| outside |"), "{text}");
    assert!(text.contains("apps are outside their tolerance"), "{text}");
    let (ok, text) = run(&[
        "import",
        "--signins",
        fixture("signins-wrong-type.json").to_str().unwrap(),
        "--out",
        &d("bad.toml"),
    ]);
    assert!(!ok);
    assert!(
        text.contains("signins-wrong-type.json: record 1: field 'isInteractive'"),
        "{text}"
    );
    assert!(!dir.join("bad.toml").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Regression (issue 15 left devices to issue 12): `deviceDetail` was only counted in
/// the report. Now an app runs on the kind most of its records show, each segment
/// declares one device per kind, and `broker_share` is the share of users whose
/// records on a brokered platform show the broker.
#[test]
fn device_detail_feeds_the_segments_devices_not_only_the_report() {
    let record = |i: usize, user: usize, app: &str, os: &str, trust: &str, managed: bool| {
        serde_json::json!({
            "id": format!("r{i}"),
            "createdDateTime": format!("2026-03-02T09:{:02}:00Z", i),
            "userId": format!("u{user}"),
            "appDisplayName": app,
            "clientAppUsed": "Mobile Apps and Desktop clients",
            "isInteractive": false,
            "deviceDetail": { "operatingSystem": os, "trustType": trust, "isManaged": managed }
        })
    };
    let mut value = Vec::new();
    for user in 0..4 {
        // Three users in four have Teams on a registered Android phone.
        let trust = if user < 3 { "Azure AD registered" } else { "" };
        value.push(record(value.len(), user, "Teams", "Android", trust, false));
        value.push(record(value.len(), user, "Outlook", "MacOs", "", true));
    }
    value.push(record(
        value.len(),
        0,
        "Outlook",
        "MacOs",
        "SomethingNew",
        true,
    ));
    let dir = temp_dir("import-devices");
    let path = dir.join("signins.json");
    std::fs::write(&path, serde_json::json!({ "value": value }).to_string()).unwrap();
    let imported = import::import(&Inputs {
        signins: vec![path],
        ..Inputs::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let [segment] = imported.fit.segments.as_slice() else {
        panic!(
            "one app set, one segment: {:?}",
            imported.fit.segments.len()
        );
    };
    let kind = |name: &str| segment.apps.iter().find(|a| a.name == name).unwrap();
    assert_eq!(kind("teams").device, DeviceKind::AndroidBroker);
    assert_eq!(kind("teams").device_records, (3, 4));
    assert_eq!(kind("outlook").device, DeviceKind::MacosSso);
    // Android: 3 of 4 users; macOS: 4 of 4.
    assert_eq!(segment.broker, Some((7, 8)));
    let model = scenario::parse_model(&imported.model, "imported.toml", &[]).unwrap();
    let kinds: Vec<&str> = model.segments[0]
        .devices
        .iter()
        .map(|d| d.kind.label())
        .collect();
    assert_eq!(kinds, ["android-broker", "macos-sso"]);
    assert_eq!(model.segments[0].broker_share, 0.875);
    assert!(
        imported
            .report
            .contains("unknown value of `deviceDetail.trustType`: 'SomethingNew'")
    );
    assert!(
        imported
            .report
            .contains("android / Azure AD registered / not managed → android-broker: 3 records")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
