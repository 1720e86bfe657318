//! Issue 11: each figure has one definition. On one run (an outage, revocations with and
//! without CAE) `summary.json`, the `run` printout, `report.md`'s headline table, the
//! sweep row and the TUI digest show the same value for every headline figure.

use crate::analytics::{replace_revocations, small_run};
use crate::common::{binary, root, temp_dir};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use tokensim::analytics::headline::{format_value, of_run};
use tokensim::analytics::{METRICS, RunTables, summary::summarize};
use tokensim::metrics::schema;
use tokensim::tui::digest::Digest;

/// A small incident-response model with a one-hour outage: 200 users, 6 hours, three
/// campaigns whose sessions are partly under CAE.
const MODEL: &str = "tests/fixtures/old-run-0a85888/model.toml";

fn tokensim(args: &[&str]) -> String {
    let o = Command::new(binary()).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The headline figure `key` as `summary.json` states it (blocked p95 from the run's
/// percentiles table, the summary has no such field).
fn from_summary(dir: &Path, json: &serde_json::Value, key: &str) -> Option<f64> {
    let f = |v: &serde_json::Value| v.as_f64();
    let requests = |k: &str| json["token_requests"][k].as_f64().unwrap();
    let outages = json["outages"].as_array().unwrap();
    match key {
        "users" => f(&json["users"]),
        "blocked_users" => f(&json["blocked"]["users"]),
        "blocked_user_minutes" => f(&json["blocked"]["user_minutes"]),
        "calls_failed" => f(&json["blocked"]["calls_failed"]),
        "outage_users_blocked" => f(&json["during_outages"]["users_blocked"]),
        "outage_blocked_user_minutes" => f(&json["during_outages"]["blocked_user_minutes"]),
        "recovery_minutes" => outages
            .iter()
            .map(|o| o["recovery_minutes"].as_f64())
            .collect::<Option<Vec<f64>>>()
            .and_then(|v| v.into_iter().reduce(f64::max)),
        "peak_load_ratio" => outages
            .iter()
            .filter_map(|o| o["peak_load_ratio"].as_f64())
            .reduce(f64::max),
        "blocked_p95_minutes" => {
            let mut r = csv::Reader::from_path(dir.join("percentiles.csv")).unwrap();
            r.records()
                .map(Result::unwrap)
                .find(|row| &row[0] == "blocked_minutes_per_blocked_user")
                .map(|row| row[4].parse().unwrap())
        }
        "prompts_per_user_month" => f(&json["prompts"]["per_user_month"]),
        "requests_429" => Some(requests("429")),
        "backup_share" => Some(requests("backup") / (requests("ok") + requests("backup"))),
        "exposure_p95_minutes" => f(&json["exposure"]["p95_minutes"]),
        "exposure_left_alive_share" => f(&json["exposure"]["left_alive_share"]),
        other => panic!("no summary.json path for {other}"),
    }
}

/// Equal, but for the last bit serde_json's float parser may round differently.
fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
        (a, b) => a == b,
    }
}

/// The value column of `report.md`'s headline table, by label.
fn report_headline(report: &str) -> BTreeMap<String, String> {
    report
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            (cells.len() == 2).then(|| (cells[0].to_string(), cells[1].to_string()))
        })
        .collect()
}

/// The sweep row of variant `v01`, by column.
fn sweep_row(dir: &Path) -> BTreeMap<String, String> {
    let mut r = csv::Reader::from_path(dir.join(schema::sweep::SWEEP_CSV)).unwrap();
    let header = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    header
        .iter()
        .zip(row.iter())
        .map(|(h, v)| (h.to_string(), v.to_string()))
        .collect()
}

#[test]
fn every_output_shows_the_same_headline_figures() {
    let dir = temp_dir("one-definition");
    let model = root().join(MODEL);
    let (run_dir, sweep_dir) = (dir.join("run"), dir.join("sweep"));
    let printout = tokensim(&[
        "run",
        model.to_str().unwrap(),
        "--out",
        run_dir.to_str().unwrap(),
    ]);
    tokensim(&[
        "sweep",
        model.to_str().unwrap(),
        "--vary",
        "scenario.seed=7",
        "--out",
        sweep_dir.to_str().unwrap(),
    ]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run_dir.join(schema::SUMMARY_JSON)).unwrap())
            .unwrap();
    let report = report_headline(&std::fs::read_to_string(run_dir.join("report.md")).unwrap());
    let sweep = sweep_row(&sweep_dir);
    let h = of_run(&run_dir).unwrap();
    let scenario = tokensim::scenario::load_file(&model, &[]).unwrap();
    let run = tokensim::metrics::RunResult::simulate(scenario, 2, &|_| true).unwrap();
    let digest = Digest::new(run, std::time::Duration::ZERO).unwrap();

    // Both through JSON text: serde_json's parser may round a float's last bit.
    let mut digest_json: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&digest.summary).unwrap()).unwrap();
    let mut file_json = json.clone();
    for j in [&mut digest_json, &mut file_json] {
        j["source"] = serde_json::Value::Null;
    }
    assert_eq!(
        digest_json, file_json,
        "the TUI's summary is summary.json's"
    );
    assert_eq!(digest.headline, h, "the TUI's headline is the report's");
    assert!(
        h.values.iter().all(Option::is_some),
        "the run has every figure: {h:?}"
    );
    for (m, v) in METRICS.iter().zip(h.values) {
        let stated = from_summary(&run_dir, &json, m.key);
        assert!(
            same(stated, v),
            "summary.json {}: {stated:?} vs {v:?}",
            m.key
        );
        assert_eq!(report[m.label], format_value(v), "report.md {}", m.key);
        assert_eq!(sweep[m.key].parse::<f64>().ok(), v, "sweep.csv {}", m.key);
    }
    let get = |key: &str| h.get(key).unwrap().unwrap();
    for printed in [
        format!(
            "blocked: {} users, {:.0} user-minutes, {} calls failed",
            get("blocked_users"),
            get("blocked_user_minutes"),
            get("calls_failed")
        ),
        format!(
            "during outages (each user and minute once): {} users blocked, {:.0} user-minutes",
            get("outage_users_blocked"),
            get("outage_blocked_user_minutes")
        ),
        format!("({:.2} per user-month)", get("prompts_per_user_month")),
        format!("peak load {:.2}× capacity", get("peak_load_ratio")),
    ] {
        assert!(printout.contains(&printed), "{printed} not in\n{printout}");
    }
}

/// The exposure p95 was nearest rank in `summary.json` (and the run printout and the
/// TUI) and linearly interpolated in `report.md` and the sweep: for tails of 40, 61, 75
/// and 90 minutes the summary said 90 and the report 87.75. Both now read 87.75.
#[test]
fn p95_in_the_summary_and_the_report_disagreed() {
    let dir = small_run("p95-disagreed", &[]);
    let mut text = schema::revocations::all().join(",") + "\n";
    for (i, tail) in ["40", "61", "75", "90"].iter().enumerate() {
        text += &format!(
            "{i},0,office-eu,outlook,native,password-change,100,pwd_token,,revoked,false,false,tail,{tail},tail,{tail},tail,{tail},,\n"
        );
    }
    replace_revocations(&dir, &text, 4);
    let linear = 75.0 + 0.85 * 15.0;
    let tables = RunTables::load(&dir).unwrap();
    let summary = summarize(&tables).unwrap();
    assert_eq!(summary.exposure.all.p95_minutes, Some(linear));
    let report = tokensim::analytics::series::analyze(&dir).unwrap();
    assert_eq!(
        report.headline.get("exposure_p95_minutes").unwrap(),
        Some(linear)
    );
    let mut r = csv::Reader::from_path(dir.join("exposure.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let p95 = header.iter().position(|h| h == "p95_minutes").unwrap();
    let attacker = header.iter().position(|h| h == "attacker").unwrap();
    let view = header.iter().position(|h| h == "view").unwrap();
    let row = r
        .records()
        .map(Result::unwrap)
        .find(|row| &row[view] == "class" && &row[attacker] == "stolen-access-token")
        .unwrap();
    assert_eq!(row[p95].parse::<f64>().unwrap(), linear);
}
