//! One pipeline: a run is analysed from its tables in memory, and the same folder read
//! back (Parquet, or the CSVs of an older version) gives byte-identical outputs.

use crate::common;
use std::path::Path;
use std::process::Command;
use tokensim::analytics::RunTables;
use tokensim::metrics::schema::tables::RunTable;

/// A small run with an outage and revocations, written by the real binary.
fn run(name: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = common::temp_dir(name).join("run");
    let mut args = vec![
        "run",
        "models/incident-response.toml",
        "--set",
        "scenario.users=300",
        "--set",
        "scenario.horizon=6h",
        "--set",
        "scenario.start=2026-03-13T07:00",
    ];
    args.extend_from_slice(extra);
    let path = out.to_str().unwrap();
    args.extend(["--out", path]);
    common::tokensim(&args);
    out
}

fn copy(from: &Path, to: &Path, keep: impl Fn(&str) -> bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if entry.file_type().unwrap().is_file() && keep(&name) {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn assert_same(a: &Path, b: &Path, names: &[String]) {
    for name in names {
        let (x, y) = (std::fs::read(a.join(name)), std::fs::read(b.join(name)));
        assert!(x.unwrap() == y.unwrap(), "{name} differs");
    }
}

#[test]
fn reports_from_memory_parquet_and_csv_are_byte_identical() {
    let out = run("pipeline-same", &[]);
    let written = files(&out);
    for t in RunTable::ALL {
        assert!(
            written.contains(&t.parquet()) && written.contains(&t.csv()),
            "{t:?}"
        );
    }
    // Re-rendered from the Parquet tables.
    let parquet = out.with_file_name("parquet");
    copy(&out, &parquet, |_| true);
    common::tokensim(&["report", parquet.to_str().unwrap()]);
    assert_eq!(files(&parquet), written);
    assert_same(&out, &parquet, &written);
    // Re-rendered from the CSV tables only, as a folder of an older version.
    let csv = out.with_file_name("csv");
    copy(&out, &csv, |n| !n.ends_with(".parquet"));
    common::tokensim(&["report", csv.to_str().unwrap()]);
    let kept: Vec<String> = written
        .iter()
        .filter(|n| RunTable::ALL.iter().all(|t| **n != t.parquet()))
        .cloned()
        .collect();
    assert_same(&out, &csv, &kept);
    // The two formats hold the same frames with the canonical types.
    let (a, b) = (
        RunTables::load(&parquet).unwrap(),
        RunTables::load(&csv).unwrap(),
    );
    assert!(a.users.equals_missing(&b.users));
    assert!(a.timeseries.equals_missing(&b.timeseries));
    assert!(a.segments.equals_missing(&b.segments));
    let (ra, rb) = (a.revocations.unwrap(), b.revocations.unwrap());
    assert!(ra.equals_missing(&rb) && ra.height() > 0);
    assert_eq!(*a.users.schema().as_ref(), RunTable::Users.schema());
}

#[test]
fn no_csv_writes_the_tables_as_parquet_only() {
    let out = run("pipeline-no-csv", &["--no-csv"]);
    let written = files(&out);
    for t in RunTable::ALL {
        assert!(written.contains(&t.parquet()), "{t:?}");
        assert!(!written.contains(&t.csv()), "{t:?}");
    }
    assert!(written.contains(&"report.md".to_string()));
}

/// `tokensim report` on a folder it must refuse: its output, for the error text.
fn report_refusal(out: &Path) -> std::process::Output {
    let o = Command::new(common::binary())
        .arg("report")
        .arg(out)
        .output()
        .unwrap();
    assert!(!o.status.success(), "the folder was accepted");
    o
}

#[test]
fn a_damaged_parquet_table_is_refused_naming_the_file() {
    let out = run("pipeline-damaged", &["--no-csv"]);
    let users = out.join(RunTable::Users.parquet());
    let bytes = std::fs::read(&users).unwrap();
    std::fs::write(&users, &bytes[..bytes.len() / 2]).unwrap();
    let o = report_refusal(&out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("users.parquet"), "{stderr}");
}

/// The users table holds its names as codes of the model's names: a folder whose
/// `users.csv` names a segment the model lacks is refused, naming the file and the name,
/// instead of being coded as some other segment.
#[test]
fn a_segment_the_model_lacks_is_refused_naming_the_file_and_the_name() {
    let out = run("pipeline-unknown-segment", &[]);
    std::fs::remove_file(out.join(RunTable::Users.parquet())).unwrap();
    let csv = out.join(RunTable::Users.csv());
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let column = header.iter().position(|&c| c == "segment").unwrap();
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    cells[column] = "no-such-segment".into();
    lines[1] = cells.join(",");
    std::fs::write(&csv, lines.join("\n") + "\n").unwrap();
    let o = report_refusal(&out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("users.csv") && stderr.contains("no-such-segment"),
        "{stderr}"
    );
}

/// The run's tables built unit by unit as units finish (`run`, sweeps, shards) are the
/// tables built from the whole run's recorders (the TUI's export).
#[test]
fn tables_built_unit_by_unit_are_the_tables_of_the_whole_run() {
    let sets = [
        "scenario.users=240",
        "scenario.scale_units=3",
        "scenario.horizon=6h",
        "scenario.start=2026-03-13T07:00",
    ];
    let text = std::fs::read_to_string(common::root().join("models/incident-response.toml"));
    let scenario = common::model(&text.unwrap(), &sets);
    let units = tokensim::pipeline::all_units(&scenario);
    let by_unit = tokensim::pipeline::simulate_tables(&scenario, &units, 2, &|_| true).unwrap();
    let run = tokensim::metrics::RunResult::simulate(scenario, 1, &|_| true).unwrap();
    let whole = RunTables::from_result(&run).unwrap();
    for t in RunTable::ALL {
        let (a, b) = (by_unit.frame(t).unwrap(), whole.frame(t).unwrap());
        assert!(a.height() > 0 && a.equals_missing(b), "{t:?}");
        assert_eq!(a.schema(), b.schema(), "{t:?}");
    }
}
