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

/// A tiny model file (the default scenario, 240 users in 4 units, 9 days) in `dir`.
fn tiny_model(dir: &Path) -> std::path::PathBuf {
    let s = common::model(
        tokensim::scenario::DEFAULT_MODEL,
        &["scenario.users=240", "scenario.horizon=9d"],
    );
    let path = dir.join("tiny.toml");
    std::fs::write(&path, tokensim::scenario::load::to_toml(&s.raw)).unwrap();
    path
}

/// `command` with its container paths mapped to local folders (the volume mounts) and
/// `tokensim` to the binary under test, quoted for `sh`.
fn local(command: &[String], mounts: &[(&str, &Path)]) -> String {
    let mut args = vec![common::binary().display().to_string()];
    for arg in &command[1..] {
        let mapped = mounts
            .iter()
            .find_map(|(at, dir)| {
                arg.strip_prefix(at)
                    .map(|rest| format!("{}{rest}", dir.display()))
            })
            .unwrap_or_else(|| arg.clone());
        args.push(mapped);
    }
    args.iter()
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `command` once per index in `ids` as separate processes, two at a time, each
/// with `var` set to its id and the other variables `env` (`K=V …`), as a scheduler would.
fn xargs(ids: &[u32], var: &str, env: &str, command: &str) {
    let ids: Vec<String> = ids.iter().map(u32::to_string).collect();
    let script = format!(
        "printf '%s\\n' {} | xargs -P 2 -I{{}} env {var}={{}} {env} {command}",
        ids.join(" ")
    );
    let o = std::process::Command::new("sh")
        .args(["-c", &script])
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{script}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every file under `dir` (relative path → bytes), skipping the shard folders.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            if rel.starts_with("shard=") {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn unsharded(model: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let o = std::process::Command::new(common::binary())
        .arg("run")
        .arg(model)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    files(out)
}

fn assert_same(merged: &BTreeMap<String, Vec<u8>>, plain: &BTreeMap<String, Vec<u8>>) {
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(merged), names(plain));
    for (name, bytes) in plain {
        assert!(
            merged[name] == *bytes,
            "{name} differs between the merged and the unsharded run"
        );
    }
}

#[test]
fn indexed_job_shards_run_by_xargs_merge_to_the_unsharded_run() {
    let dir = common::temp_dir("deploy-k8s");
    let model_dir = dir.join("model");
    std::fs::create_dir_all(&model_dir).unwrap();
    let model = tiny_model(&model_dir);
    let volume = dir.join("volume");
    let mounts = [("/out", volume.as_path()), ("/model", model_dir.as_path())];
    let command = local(&indexed_job(), &mounts);
    xargs(&[2, 0, 1], "JOB_COMPLETION_INDEX", "", &command);
    let run = volume.join("tiny");
    let shard = |i: u32| files(&run.join(format!("shard={i}")));
    let first = shard(1);
    assert!(!first.is_empty());
    // A pod rerun (as after a node loss) rewrites the same bytes.
    xargs(&[1], "JOB_COMPLETION_INDEX", "", &command);
    assert!(shard(1) == first, "a rerun of shard 1 changed its files");
    let merge = std::process::Command::new("sh")
        .args(["-c", &local(&merge_job(), &mounts)])
        .output()
        .unwrap();
    assert!(
        merge.status.success(),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    assert_same(&files(&run), &unsharded(&model, &dir.join("plain")));
}

#[test]
fn slurm_array_tasks_run_by_xargs_merge_to_the_unsharded_run() {
    let dir = common::temp_dir("deploy-slurm");
    let model = tiny_model(&dir);
    let shared = dir.join("shared");
    let command = local(&slurm_array(&shared, &model), &[]);
    // What Slurm sets for --array=0-3 besides the task's id.
    let array = "SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=4";
    xargs(&[3, 1, 0, 2], "SLURM_ARRAY_TASK_ID", array, &command);
    let run = shared.join("tiny");
    common::tokensim(&["merge", run.to_str().unwrap()]);
    assert_same(&files(&run), &unsharded(&model, &dir.join("plain")));
}

/// Copies the shard folders of `from` into a fresh `to`: `(I, name)` puts `shard=I`
/// there as `name`.
fn copy_shards(from: &Path, to: &Path, shards: &[(u32, &str)]) {
    let _ = std::fs::remove_dir_all(to);
    for (i, name) in shards {
        let (src, dst) = (from.join(format!("shard={i}")), to.join(name));
        std::fs::create_dir_all(&dst).unwrap();
        for entry in std::fs::read_dir(&src).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dst.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// Merges `dir`, which must fail saying `says` and leave only the shard folders.
fn refused(dir: &Path, says: &[&str]) {
    let o = std::process::Command::new(common::binary())
        .arg("merge")
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "merged {}", dir.display());
    for s in says {
        assert!(stderr.contains(s), "no '{s}' in: {stderr}");
    }
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("shard="))
        .collect();
    assert!(left.is_empty(), "a refused merge wrote {left:?}");
}

#[test]
fn missing_duplicated_and_foreign_shards_are_refused_writing_nothing() {
    let dir = common::temp_dir("deploy-refused");
    let model = tiny_model(&dir);
    let shards = dir.join("shards");
    let shard = |i: u32, extra: &[&str]| {
        let o = std::process::Command::new(common::binary())
            .arg("run")
            .arg(&model)
            .args(["--shard", &format!("{i}/3")])
            .args(extra)
            .arg("--out")
            .arg(&shards)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    for i in 0..3 {
        shard(i, &[]);
    }
    let case = dir.join("case");
    copy_shards(&shards, &case, &[(0, "shard=0"), (2, "shard=2")]);
    refused(&case, &["missing shard(s) 1 of 3"]);
    copy_shards(
        &shards,
        &case,
        &[
            (0, "shard=0"),
            (1, "shard=1"),
            (2, "shard=2"),
            (1, "shard=3"),
        ],
    );
    refused(&case, &["duplicated shard(s) 1 (in shard=1, shard=3)"]);
    shard(2, &["--seed", "8"]);
    copy_shards(
        &shards,
        &case,
        &[(0, "shard=0"), (1, "shard=1"), (2, "shard=2")],
    );
    refused(&case, &["shard=2's seed is 8 but shard=0's is 42"]);
}
