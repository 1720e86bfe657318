//! `tokensim sensitivity`: Morris screening ranks the one parameter that matters first.

use crate::common::{binary, root, temp_dir};
use std::process::Command;

/// Poisson users with MaxInactiveTime: prompts depend on `max_inactive` alone; without
/// an outage the retry-after and a huge capacity change nothing.
const MODEL: &str = r#"
[scenario]
name = "one-that-matters"
start = "2026-01-05T00:00"
horizon = "30d"
seed = 5
users = 40
scale_units = 1
[policy.refresh_token]
max_inactive = "2d"
[platform]
capacity = 1000000
loop_detection = 0
[[segment]]
name = "p"
share = 1.0
activity = { pattern = "poisson", rate_per_day = 1.0 }
[[segment.app]]
name = "a"
client = "native"
profile = "no-cache"
"#;

#[test]
fn morris_ranks_the_only_parameter_that_matters_first_with_a_clear_margin() {
    let dir = temp_dir("sensitivity");
    let model = dir.join("model.toml");
    std::fs::write(&model, MODEL).unwrap();
    let out = dir.join("out");
    let o = Command::new(binary())
        .args([
            "sensitivity",
            model.to_str().unwrap(),
            "--param",
            "platform.retry_after=30s..2m",
            "--param",
            "policy.refresh_token.max_inactive=1d..5d",
            "--param",
            "platform.capacity=1000000..2000000",
            "--trajectories",
            "4",
            "--threads",
            "2",
            "--out",
            out.to_str().unwrap(),
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[col("metric")] == "prompts_per_user_month")
        .collect();
    assert_eq!(rows.len(), 3, "{csv}");
    let mu = |key: &str| -> f64 {
        let r = rows.iter().find(|r| r[col("parameter")] == key).unwrap();
        r[col("mu_star")].parse().unwrap()
    };
    let first = rows.iter().find(|r| r[col("rank")] == "1.0").unwrap();
    assert_eq!(
        first[col("parameter")],
        "policy.refresh_token.max_inactive",
        "{csv}"
    );
    let top = mu("policy.refresh_token.max_inactive");
    for other in ["platform.retry_after", "platform.capacity"] {
        assert!(
            mu(other) < 0.1 * top,
            "{other}: {} against {top}",
            mu(other)
        );
    }
    let design = std::fs::read_to_string(out.join("design.csv")).unwrap();
    assert_eq!(design.lines().count(), 1 + 1 + 2 * 3 + 4 * 4, "{design}");
    assert!(out.join("tornado-prompts_per_user_month.png").exists());
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("- prompts per user-month: `policy.refresh_token.max_inactive`"),
        "{report}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
