//! Every chart renders for ordinary and edge-case runs; `tokensim report` rebuilds the
//! same report.md from the stored tables.

use crate::analytics::small_run;
use crate::common;
use std::path::Path;
use std::process::Command;
use tokensim::report::{REPORT_MD, chart_names, render};

fn assert_charts(dir: &Path, stems: &[String]) {
    for stem in stems {
        let png = std::fs::read(dir.join(format!("{stem}.png")))
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{stem}.png is {} bytes",
            png.len()
        );
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(
            svg.contains("<svg") && svg.contains("<text") && svg.len() > 2_000,
            "{stem}.svg"
        );
    }
}

fn base_charts() -> Vec<String> {
    [
        chart_names::BLOCKED_SEGMENTS,
        chart_names::BLOCKED_CDF,
        chart_names::PROMPTS,
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn charts_render_for_the_default_scenario() {
    let dir = small_run("report-default", &[]);
    render(&dir).unwrap();
    let mut stems = base_charts();
    stems.push(chart_names::load(1));
    assert_charts(&dir, &stems);
    let md = std::fs::read_to_string(dir.join(REPORT_MD)).unwrap();
    assert!(md.contains("## Outage 1: 2020-09-28-global"), "{md}");
    assert!(md.contains("load-outage-1.png"));
}

#[test]
fn charts_render_without_outage_and_with_nobody_blocked() {
    let dir = small_run("report-no-outage", &["outage=[]"]);
    let data = render(&dir)
        .map(|_| tokensim::analytics::series::analyze(&dir).unwrap())
        .unwrap();
    assert!(data.loads.is_empty());
    assert!(data.blocked_minutes.is_empty(), "no outage: nobody blocked");
    assert_charts(&dir, &base_charts());
    let md = std::fs::read_to_string(dir.join(REPORT_MD)).unwrap();
    assert!(md.contains("This scenario has no outage."));
}

#[test]
fn charts_render_for_a_single_user() {
    let dir = small_run(
        "report-one-user",
        &["scenario.users=1", "scenario.scale_units=1"],
    );
    render(&dir).unwrap();
    let mut stems = base_charts();
    stems.push(chart_names::load(1));
    assert_charts(&dir, &stems);
}

#[test]
fn report_command_reproduces_report_md_from_the_tables() {
    let dir = common::temp_dir("report-cli");
    let out = dir.join("run");
    let run = Command::new(common::binary())
        .args([
            "run",
            "--set",
            "scenario.users=150",
            "--set",
            "scenario.horizon=10d",
            "--threads",
            "2",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let first = std::fs::read(out.join(REPORT_MD)).unwrap();
    std::fs::remove_file(out.join(REPORT_MD)).unwrap();
    let report = Command::new(common::binary())
        .arg("report")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert_eq!(std::fs::read(out.join(REPORT_MD)).unwrap(), first);
    let missing = Command::new(common::binary())
        .arg("report")
        .arg(dir.join("nope"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        !missing.status.success() && err.contains("model.toml does not exist"),
        "{err}"
    );
}

/// Issue 17.1: `report` read columns by position with the writer's header, so a
/// removed or swapped column, a cut file or a header-only table gave wrong tables with
/// exit 0. Each damage is now refused with the file and what differs.
#[test]
fn report_trusted_csv_columns_by_position() {
    let dir = small_run("report-damaged", &[]);
    render(&dir).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let users = read("users.csv");
    let timeseries = read("timeseries.csv");
    let drop_column = |text: &str, k: usize| -> String {
        text.lines()
            .map(|l| {
                let mut cells: Vec<&str> = l.split(',').collect();
                cells.remove(k);
                cells.join(",") + "\n"
            })
            .collect()
    };
    let header_only = users.lines().next().unwrap().to_string() + "\n";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "users.csv",
            drop_column(&users, 8),
            "missing column(s) minutes_blocked",
        ),
        (
            "users.csv",
            users.replacen(
                "minutes_wanted,minutes_blocked",
                "minutes_blocked,minutes_wanted",
                1,
            ),
            "the columns were reordered",
        ),
        (
            "users.csv",
            users[..users.len() - 20].to_string(),
            "cut short",
        ),
        (
            "users.csv",
            header_only,
            "0 rows, but units.csv's apps means",
        ),
        (
            "timeseries.csv",
            drop_column(&timeseries, 8),
            "missing column(s) capacity",
        ),
        (
            "timeseries.csv",
            timeseries.replacen("\n0,", "\nzero,", 1),
            "could not parse `zero`",
        ),
    ];
    for (file, damaged, expected) in cases {
        let copy = common::temp_dir("report-damaged-copy");
        // Without its Parquet tables, as older versions wrote it: read from the CSVs.
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "parquet") {
                continue;
            }
            std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
        }
        std::fs::write(copy.join(file), damaged).unwrap();
        let o = Command::new(common::binary())
            .arg("report")
            .arg(&copy)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{file} {expected}: accepted");
        assert!(
            stderr.contains(file) && stderr.contains(expected),
            "{file} {expected}: {stderr}"
        );
    }
}
