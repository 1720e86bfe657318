//! Sharded sweeps: four shards of a 2 × 2 grid, run in any order as separate processes
//! and merged, give the unsharded sweep's sweep.csv and frontier byte for byte; a
//! missing shard or a shard of another sweep is refused and nothing is written.

use crate::common;
use std::path::Path;
use std::process::{Command, Output};

fn sweep(out: &Path, extra: &[&str]) -> Output {
    let model = common::root().join("models/sweep-global-outage.toml");
    Command::new(common::binary())
        .arg("sweep")
        .arg(model)
        .args(["--set", "scenario.users=60", "--set", "scenario.horizon=9d"])
        .args(["--vary", "policy.access_token.lifetime_max=90m,6h"])
        .args(["--vary", "segment.0.app.0.profile=msal-dotnet,no-cache"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

fn merge(dir: &Path) -> Output {
    Command::new(common::binary())
        .arg("merge")
        .arg(dir)
        .output()
        .unwrap()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn four_shards_merged_give_the_unsharded_sweep() {
    let dir = common::temp_dir("sweep-shards");
    let (plain, sharded) = (dir.join("plain"), dir.join("sharded"));
    ok(sweep(&plain, &[]));
    for i in [3, 0, 2] {
        ok(sweep(&sharded, &["--shard", &format!("{i}/4")]));
    }
    let o = merge(&sharded);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        stderr.contains("missing shards: 1; nothing was written"),
        "{stderr}"
    );
    assert!(!sharded.join("sweep.csv").exists());

    // The index from the environment, as a Kubernetes Indexed Job sets it.
    let model = common::root().join("models/sweep-global-outage.toml");
    let o = Command::new(common::binary())
        .arg("sweep")
        .arg(model)
        .args(["--set", "scenario.users=60", "--set", "scenario.horizon=9d"])
        .args(["--vary", "policy.access_token.lifetime_max=90m,6h"])
        .args(["--vary", "segment.0.app.0.profile=msal-dotnet,no-cache"])
        .args(["--shard-from-env", "--shards", "4", "--out"])
        .arg(&sharded)
        .env("JOB_COMPLETION_INDEX", "1")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .unwrap();
    ok(o);
    ok(merge(&sharded));
    for file in ["sweep.csv", "frontier.svg", "sweep.md"] {
        assert!(
            read(&plain.join(file)) == read(&sharded.join(file)),
            "{file} differs between the unsharded and the merged sweep"
        );
    }
    assert_eq!(
        read(&plain.join("sweep.csv"))
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
        5
    );

    // A shard rerun rewrites the same bytes.
    let shard = sharded.join("shard=2");
    let before = (
        read(&shard.join("sweep-manifest.json")),
        read(&shard.join("runs/v03/users.csv")),
    );
    ok(sweep(&sharded, &["--shard", "2/4"]));
    let after = (
        read(&shard.join("sweep-manifest.json")),
        read(&shard.join("runs/v03/users.csv")),
    );
    assert!(before == after, "a rerun of shard 2 changed its files");

    // A shard of another sweep (another seed) is named and nothing is rewritten.
    std::fs::remove_file(sharded.join("sweep.csv")).unwrap();
    ok(sweep(&sharded, &["--shard", "2/4", "--seed", "8"]));
    let o = merge(&sharded);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        stderr.contains("shard=0 and shard=2 are shards of different sweeps: model_hash is")
            && stderr.contains("; seed is 7 in one and 8 in the other"),
        "{stderr}"
    );
    assert!(!sharded.join("sweep.csv").exists());
}
