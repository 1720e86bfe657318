//! The layers of DESIGN §3.1 point down only: every `crate::<module>` path in a file of
//! one layer names its own layer or one below, and the core never names the UI, chart
//! or table libraries. Read from the sources, so a new upward `use` fails here.

use crate::common::root;
use std::path::{Path, PathBuf};

/// Bottom up; a module may use its own rank or a lower one. `domain` sits below
/// `policy` (the rules read domain state; domain holds the data both need), and
/// `scenario` above both (a validated scenario is made of their types). `cli` and
/// `tui` share the top rank: the TUI reuses the CLI's helpers and `tui` is a command.
const LAYERS: &[(&str, u8)] = &[
    ("engine", 0),
    ("domain", 1),
    ("policy", 2),
    ("scenario", 3),
    ("sim", 4),
    ("metrics", 5),
    ("analytics", 6),
    ("report", 7),
    ("pipeline", 8),
    ("import", 9),
    ("cli", 10),
    ("tui", 10),
];

/// Libraries the simulation core must never name (DESIGN §3.1), by their crate names.
const CORE_BANNED: [&str; 6] = [
    "polars",
    "polars_io",
    "plotters",
    "ratatui",
    "crossterm",
    "clap",
];
/// The layers that form the simulation core.
const CORE: [&str; 4] = ["engine", "domain", "policy", "sim"];

fn rank(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// The source text without comments, so doc links and prose do not count as uses.
fn code_only(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules named by `crate::` paths, including each branch of a grouped
/// `use crate::{a::X, b::{Y, Z}}`.
fn crate_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let preceded_by_ident = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + "crate::".len()..];
        if preceded_by_ident {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            found.extend(group_branches(group));
        } else {
            found.push(leading_ident(rest));
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

/// First identifier of each top-level branch of a `{…}` group (the text after `{`).
fn group_branches(group: &str) -> Vec<String> {
    let mut branches = Vec::new();
    let mut depth = 0;
    let mut begin = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                branches.push(leading_ident(&group[begin..i]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                branches.push(leading_ident(&group[begin..i]));
                begin = i + 1;
            }
            _ => {}
        }
    }
    branches
}

fn leading_ident(text: &str) -> String {
    text.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Whether `code` names the library `name` as a path or a `use`.
fn names_library(code: &str, name: &str) -> bool {
    let mut rest = code;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + name.len()..];
        let bounded = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if bounded && (after.starts_with("::") || rest[..at].trim_end().ends_with("use")) {
            return true;
        }
        rest = after;
    }
    false
}

/// Every violation in one file of `layer`, as `path: message` lines.
fn violations(path: &str, layer: &str, text: &str) -> Vec<String> {
    let code = code_only(text);
    let Some(own) = rank(layer) else {
        return vec![format!(
            "{path}: module `{layer}` is in no layer: place it in DESIGN §3.1 and in LAYERS"
        )];
    };
    let mut out = Vec::new();
    for module in crate_modules(&code) {
        match rank(&module) {
            Some(r) if r > own => out.push(format!(
                "{path}: `{layer}` uses `crate::{module}`, a layer above it"
            )),
            None => out.push(format!(
                "{path}: `crate::{module}` is in no layer: place it in DESIGN §3.1 and in LAYERS"
            )),
            Some(_) => {}
        }
    }
    if CORE.contains(&layer) {
        for lib in CORE_BANNED {
            if names_library(&code, lib) {
                out.push(format!("{path}: the core layer `{layer}` names `{lib}`"));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|x| x == "rs") {
            into.push(path);
        }
    }
}

/// Issue 11: `domain/app.rs` imported `policy::client_profile` and `domain/idp.rs`
/// `policy::PromptCause` while `policy/` imported `domain/`, the one arrow of the house
/// that ran back up. Every file under `src/<layer>/` is checked against the order.
#[test]
fn domain_imported_policy_upward() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    let mut checked = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let mut parts = relative.components();
        let first = parts.next().unwrap().as_os_str().to_string_lossy();
        // lib.rs and main.rs are the crate root and the binary, above every layer.
        let Some(layer) = (parts.next().is_some())
            .then(|| first.to_string())
            .or_else(|| {
                first
                    .strip_suffix(".rs")
                    .filter(|m| rank(m).is_some())
                    .map(str::to_string)
            })
        else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        found.extend(violations(
            &format!("src/{}", relative.display()),
            &layer,
            &text,
        ));
        checked += 1;
    }
    assert!(
        checked > 100,
        "only {checked} files under src/ were checked"
    );
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

/// The check itself sees the forms an upward import takes: a plain path, a grouped
/// `use`, a nested group, a fully qualified call, and a banned library in the core; it
/// ignores comments and paths that merely end in `crate::`.
#[test]
fn the_layer_check_sees_every_form_of_an_upward_import() {
    let text = "use crate::engine::SimTime;\n\
                use crate::policy::PromptCause;\n\
                use crate::{engine::Rng, sim::{a, b}};\n\
                fn f() { crate::metrics::go(); }\n\
                use polars::prelude::*;\n\
                // crate::tui is only mentioned here\n\
                /// see [`crate::report`]\n\
                fn g() { not_a_crate::cli::x(); }\n";
    let found = violations("src/domain/x.rs", "domain", text);
    assert_eq!(
        found,
        vec![
            "src/domain/x.rs: `domain` uses `crate::policy`, a layer above it",
            "src/domain/x.rs: `domain` uses `crate::sim`, a layer above it",
            "src/domain/x.rs: `domain` uses `crate::metrics`, a layer above it",
            "src/domain/x.rs: the core layer `domain` names `polars`",
        ]
    );
    assert_eq!(
        violations("src/cli/x.rs", "cli", "use crate::nowhere::X;"),
        vec![
            "src/cli/x.rs: `crate::nowhere` is in no layer: place it in DESIGN §3.1 and in LAYERS"
        ]
    );
    assert!(violations("src/tui/x.rs", "tui", text).is_empty());
}
