//! Sharded runs: `run --shard I/N` in separate processes, merged, give the tables of
//! the unsharded run byte for byte, whatever N; a rerun rewrites the same bytes; shards
//! of different runs, a missing and a duplicated shard are refused by name.

use crate::common;
use std::path::{Path, PathBuf};
use std::process::Command;
use tokensim::metrics::schema::tables::RunTable;

/// The small model every test shards: an outage on some of 5 units, revocations.
const SETS: [&str; 8] = [
    "--set",
    "scenario.users=150",
    "--set",
    "scenario.scale_units=5",
    "--set",
    "scenario.horizon=6h",
    "--set",
    "scenario.start=2026-03-13T07:00",
];

fn run(extra: &[&str], out: &Path) {
    let mut args = vec!["run", "models/incident-response.toml"];
    args.extend_from_slice(&SETS);
    args.extend_from_slice(extra);
    args.extend(["--out", out.to_str().unwrap()]);
    common::tokensim(&args);
}

/// Runs the N shards of the model into `out`, one process each.
fn shards(n: u32, out: &Path, extra: &[&str]) {
    for i in 0..n {
        let shard = format!("{i}/{n}");
        let mut args = vec!["--shard", shard.as_str()];
        args.extend_from_slice(extra);
        run(&args, out);
    }
}

/// `tokensim merge dir`, which writes the run's tables, summary and report into it.
fn merged(dir: &Path) -> PathBuf {
    common::tokensim(&["merge", dir.to_str().unwrap()]);
    dir.to_path_buf()
}

fn assert_same_tables(a: &Path, b: &Path) {
    for t in RunTable::ALL {
        for name in [
            t.parquet(),
            t.csv(),
            "summary.json".into(),
            "report.md".into(),
        ] {
            let (x, y) = (std::fs::read(a.join(&name)), std::fs::read(b.join(&name)));
            assert!(x.unwrap() == y.unwrap(), "{name} differs");
        }
    }
}

#[test]
fn one_and_three_shards_merge_into_the_tables_of_the_plain_run() {
    let dir = common::temp_dir("shard-same");
    let plain = dir.join("plain");
    run(&[], &plain);
    let (one, three) = (dir.join("one"), dir.join("three"));
    shards(1, &one, &[]);
    shards(3, &three, &[]);
    let rows = std::fs::read_to_string(plain.join(RunTable::Revocations.csv())).unwrap();
    assert!(rows.lines().count() > 10, "the model has revocations");
    assert_same_tables(&plain, &merged(&one));
    assert_same_tables(&plain, &merged(&three));
    // `report` on a sharded folder merges it the same way.
    std::fs::remove_file(three.join("summary.json")).unwrap();
    common::tokensim(&["report", three.to_str().unwrap()]);
    assert_same_tables(&plain, &three);
}

#[test]
fn a_rerun_shard_rewrites_the_same_bytes() {
    let dir = common::temp_dir("shard-rerun");
    run(&["--shard", "1/3"], &dir);
    let shard = dir.join("shard=1");
    let read = |name: &str| std::fs::read(shard.join(name)).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&shard)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), RunTable::ALL.len() + 2, "{names:?}");
    let before: Vec<Vec<u8>> = names.iter().map(|n| read(n)).collect();
    run(&["--shard", "1/3"], &dir);
    for (n, b) in names.iter().zip(before) {
        assert!(read(n) == b, "{n} changed");
    }
}

/// `tokensim merge dir` fails; returns its error, after checking it wrote nothing.
fn merge_error(dir: &Path) -> String {
    let o = Command::new(common::binary())
        .arg("merge")
        .arg(dir)
        .output()
        .unwrap();
    assert!(!o.status.success(), "{} merged", dir.display());
    for name in ["summary.json", "report.md", "users.parquet", "users.csv"] {
        assert!(!dir.join(name).exists(), "{name} written by a failed merge");
    }
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn shards_that_are_not_one_whole_run_are_refused_by_name() {
    let dir = common::temp_dir("shard-bad");
    shards(3, &dir, &[]);
    let copy = |name: &str, edit: &dyn Fn(&Path)| {
        let to = dir.with_file_name(format!(
            "{}-{name}",
            dir.file_name().unwrap().to_string_lossy()
        ));
        let _ = std::fs::remove_dir_all(&to);
        for i in 0..3 {
            let (from, into) = (
                dir.join(format!("shard={i}")),
                to.join(format!("shard={i}")),
            );
            std::fs::create_dir_all(&into).unwrap();
            for e in std::fs::read_dir(&from).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), into.join(e.file_name())).unwrap();
            }
        }
        edit(&to);
        to
    };
    let missing = copy("missing", &|d| {
        std::fs::remove_dir_all(d.join("shard=1")).unwrap()
    });
    let err = merge_error(&missing);
    assert!(err.contains("missing shard(s) 1 of 3"), "{err}");
    let duplicated = copy("duplicated", &|d| {
        std::fs::rename(d.join("shard=2"), d.join("shard=02")).unwrap();
        let (a, b) = (d.join("shard=0"), d.join("shard=00"));
        std::fs::create_dir_all(&b).unwrap();
        for e in std::fs::read_dir(&a).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), b.join(e.file_name())).unwrap();
        }
    });
    let err = merge_error(&duplicated);
    assert!(
        err.contains("duplicated shard(s) 0 (in shard=0, shard=00)"),
        "{err}"
    );
    let reseeded = copy("seed", &|d| run(&["--shard", "2/3", "--seed", "9"], d));
    let err = merge_error(&reseeded);
    assert!(err.contains("shard=2's seed is 9"), "{err}");
    let other = copy("model", &|d| {
        run(
            &[
                "--shard",
                "2/3",
                "--set",
                "policy.access_token.lifetime_max=2h",
            ],
            d,
        )
    });
    let err = merge_error(&other);
    assert!(
        err.contains("shard=2's model hash") && err.contains("a different model"),
        "{err}"
    );
    let cut = copy("cut", &|d| {
        let f = d.join("shard=1").join(RunTable::Users.parquet());
        let bytes = std::fs::read(&f).unwrap();
        std::fs::write(&f, &bytes[..bytes.len() / 2]).unwrap();
    });
    let err = merge_error(&cut);
    assert!(
        err.contains("shard=1") && err.contains("users.parquet"),
        "{err}"
    );
}
