//! The deploy templates: rendered like `envsubst` would, they are well-formed (a
//! Kubernetes Indexed Job with N completions and an output volume, a Slurm array of N
//! tasks), and the command they hold, run as N separate processes by `xargs -P 2` with
//! the scheduler's index variable set, then merged, gives the unsharded run byte for
//! byte.

use crate::common;
use std::collections::BTreeMap;
use std::path::Path;

/// `${NAME}` → value, for every placeholder in `template`; a placeholder without a value
/// or not listed in the template's header comment fails (the header is its
/// documentation).
fn render(template: &str, vars: &[(&str, &str)]) -> String {
    let header: String = template
        .lines()
        .take_while(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out += &rest[..start];
        let end = rest[start..].find('}').expect("a closed placeholder") + start;
        let name = &rest[start + 2..end];
        assert!(
            header.contains(&format!("#   {name} ")) || header.contains(&format!(" {name} = ")),
            "placeholder {name} is not documented in the template's header"
        );
        let value = vars
            .iter()
            .find(|(k, _)| *k == name)
            .unwrap_or_else(|| panic!("no value for placeholder {name}"))
            .1;
        out += value;
        rest = &rest[end + 1..];
    }
    out + rest
}

/// The block-style YAML subset the templates use, as `path → value` (list items add
/// `[]` to the path): every line must be `key: value`, `key:` or `- key: value`,
/// indented by spaces deeper than its parent. Enough to check the keys a scheduler
/// needs without a YAML crate.
fn yaml(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        assert!(
            !line.contains('\t'),
            "line {}: a tab in YAML: {line}",
            n + 1
        );
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let mut indent = line.len() - content.len();
        let mut content = content;
        let item = content.starts_with("- ");
        if item {
            content = &content[2..];
        }
        let (key, value) = content
            .split_once(':')
            .filter(|(k, _)| !k.is_empty() && !k.contains([' ', '"', '[']))
            .unwrap_or_else(|| panic!("line {}: not `key: value`: {line}", n + 1));
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        if item {
            let parent = stack.last().expect("a list item under a key").1.clone();
            stack.push((indent, format!("{parent}[]")));
            indent += 2;
        }
        let path = match stack.last() {
            Some((_, p)) => format!("{p}.{key}"),
            None => key.to_string(),
        };
        let value = value.trim().trim_matches('"');
        if value.is_empty() {
            stack.push((indent, path));
        } else {
            paths.entry(path).or_default().push(value.to_string());
        }
    }
    paths
}

fn one<'a>(paths: &'a BTreeMap<String, Vec<String>>, path: &str) -> &'a str {
    match paths.get(path).map(Vec::as_slice) {
        Some([v]) => v,
        other => panic!("{path}: expected one value, found {other:?}"),
    }
}

fn template(path: &str) -> String {
    std::fs::read_to_string(common::root().join("deploy").join(path)).unwrap()
}

/// The command of a rendered Job (a JSON-style flow sequence, valid YAML).
fn job_command(paths: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let line = one(paths, "spec.template.spec.containers[].command");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("command {line}: {e}"))
}

const K8S_VARS: [(&str, &str); 7] = [
    ("RUN", "tiny"),
    ("SHARDS", "3"),
    ("IMAGE", "tokensim:test"),
    ("MODEL", "tiny.toml"),
    ("THREADS", "1"),
    ("MEMORY_MB", "512"),
    ("PVC", "tokensim-out"),
];

/// The rendered Indexed Job: its keys and the command it runs in each pod.
fn indexed_job() -> Vec<String> {
    let paths = yaml(&render(&template("k8s/indexed-job.yaml"), &K8S_VARS));
    assert_eq!(one(&paths, "apiVersion"), "batch/v1");
    assert_eq!(one(&paths, "kind"), "Job");
    assert_eq!(one(&paths, "spec.completionMode"), "Indexed");
    assert_eq!(one(&paths, "spec.completions"), "3");
    assert_eq!(one(&paths, "spec.parallelism"), "3");
    let pod = "spec.template.spec";
    assert_eq!(one(&paths, &format!("{pod}.restartPolicy")), "Never");
    let container = format!("{pod}.containers[]");
    assert_eq!(
        one(&paths, &format!("{container}.resources.requests.memory")),
        "512Mi"
    );
    assert_eq!(
        one(&paths, &format!("{container}.resources.requests.cpu")),
        "1"
    );
    assert_eq!(
        paths[&format!("{container}.volumeMounts[].mountPath")],
        ["/out", "/model"]
    );
    assert_eq!(
        one(
            &paths,
            &format!("{pod}.volumes[].persistentVolumeClaim.claimName")
        ),
        "tokensim-out"
    );
    assert_eq!(
        one(&paths, &format!("{pod}.volumes[].configMap.name")),
        "tokensim-tiny-model"
    );
    let command = job_command(&paths);
    assert_eq!(
        command,
        [
            "tokensim",
            "run",
            "/model/tiny.toml",
            "--shard-from-env",
            "--shards",
            "3",
            "--threads",
            "1",
            "--out",
            "/out/tiny"
        ]
    );
    command
}

/// The rendered merge Job's command.
fn merge_job() -> Vec<String> {
    let paths = yaml(&render(&template("k8s/merge-job.yaml"), &K8S_VARS));
    assert_eq!(one(&paths, "kind"), "Job");
    assert_eq!(
        one(
            &paths,
            "spec.template.spec.containers[].volumeMounts[].mountPath"
        ),
        "/out"
    );
    job_command(&paths)
}

/// The rendered Slurm array script with 4 tasks: its `#SBATCH` options and the
/// command each task runs.
fn slurm_array(out: &Path, model: &Path) -> Vec<String> {
    let vars = [
        ("RUN", "tiny"),
        ("SHARDS", "4"),
        ("LAST_SHARD", "3"),
        ("MODEL", model.to_str().unwrap()),
        ("OUT", out.to_str().unwrap()),
        ("THREADS", "1"),
        ("MEMORY_MB", "512"),
    ];
    let script = render(&template("slurm/array.sh"), &vars);
    assert!(script.starts_with("#!/bin/sh\n"));
    let options: Vec<&str> = script
        .lines()
        .filter_map(|l| l.strip_prefix("#SBATCH "))
        .collect();
    for want in ["--array=0-3", "--cpus-per-task=1", "--mem=512M"] {
        assert!(options.contains(&want), "no #SBATCH {want} in {options:?}");
    }
    let commands: Vec<&str> = script
        .lines()
        .filter_map(|l| l.strip_prefix("srun "))
        .collect();
    assert_eq!(commands.len(), 1, "{script}");
    commands[0].split_whitespace().map(String::from).collect()
}

#[test]
fn templates_render_to_an_indexed_job_and_a_slurm_array() {
    let command = indexed_job();
    assert_eq!(merge_job(), ["tokensim", "merge", "/out/tiny"]);
    let slurm = slurm_array(Path::new("/shared"), Path::new("/models/tiny.toml"));
    assert_eq!(
        slurm[..3],
        ["tokensim", "run", "/models/tiny.toml"],
        "the Slurm task runs the same command"
    );
    assert_eq!(command[3..5], slurm[3..5]);
    assert_eq!(slurm[5..], ["4", "--threads", "1", "--out", "/shared/tiny"]);
}

#[test]
fn yaml_check_refuses_what_is_not_key_value() {
    let bad = std::panic::catch_unwind(|| yaml("spec:\n  completions 3\n"));
    assert!(bad.is_err(), "a line without ':' passed");
    let bad = std::panic::catch_unwind(|| yaml("spec:\n\tcompletions: 3\n"));
    assert!(bad.is_err(), "a tab passed");
    let ok = yaml("a:\n  b:\n    - c: 1\n      d: 2\n    - c: 3\n  e: x\n");
    assert_eq!(ok["a.b[].c"], ["1", "3"]);
    assert_eq!(ok["a.b[].d"], ["2"]);
    assert_eq!(ok["a.e"], ["x"]);
}
