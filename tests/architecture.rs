//! The shape of the code: data flows one way, so the top-level modules of `src/` never import each
//! other in a cycle, and none reaches into the crate root (`crate::Error` instead of
//! `crate::error::Error`), which would make every module depend on every other.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `name → files` for every top-level module of `src/` (a file `src/x.rs` or a folder `src/x/`).
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        // The crate root and the CLI are the surface's own files; the Wasm layer is a user of the
        // surface like any other (it is allowed `crate::Reconciliation`), but no module may use it.
        if stem == "lib" || stem == "main" {
            continue;
        }
        let files = if path.is_dir() { rust_files(&path) } else { vec![path.clone()] };
        if path.is_dir() || path.extension().is_some_and(|e| e == "rs") {
            modules.entry(stem).or_default().extend(files);
        }
    }
    modules
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Every `crate::name` in the code (comments, doc comments and strings included: a doc link to
/// `crate::x` is a dependency of the reader too).
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // `duizhang_crate::`, `$crate::` (a macro's own path)
        }
        let name: String = text[at + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        names.insert(name);
    }
    names
}

#[test]
fn modules_depend_on_each_other_one_way_only() {
    let modules = modules();
    assert!(modules.len() > 10, "src/ moved? found {:?}", modules.keys());
    let mut graph: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut root_paths = Vec::new();
    for (name, files) in &modules {
        let edges = graph.entry(name).or_default();
        for file in files {
            let text = std::fs::read_to_string(file).expect("source");
            for target in crate_paths(&text) {
                if target == *name {
                    continue;
                }
                if modules.contains_key(&target) {
                    edges.insert(target);
                } else if !target.is_empty() && name != "wasm" {
                    root_paths.push(format!("{}: crate::{target}", file.display()));
                }
            }
        }
    }
    assert!(
        root_paths.is_empty(),
        "reach modules by their own path, not through the crate root:\n{}",
        root_paths.join("\n")
    );
    // The Wasm layer may use anything; nothing may use it.
    for (name, edges) in &graph {
        assert!(!edges.contains("wasm"), "{name} depends on the Wasm layer");
    }
    // Depth-first search for a cycle, reporting the first one found.
    fn visit<'g>(
        node: &'g str,
        graph: &'g BTreeMap<&str, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|&n| n == node) {
            let mut cycle: Vec<String> = path[start..].iter().map(|n| n.to_string()).collect();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for &node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("the modules form a cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_cycle_search_finds_a_planted_cycle() {
    // The test above must be able to fail: the same parsing on a planted pair of modules.
    assert_eq!(
        crate_paths("use crate::read::Table; // crate::report\n$crate::codes"),
        ["read", "report"].map(String::from).into()
    );
    assert!(crate_paths("duizhang_crate::x").is_empty());
}

/// No hand-written Rust file much over 600 lines: a file that does too much is split along its seams.
#[test]
fn no_hand_written_file_is_much_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The page (www/) is held to the same rule once it is split into modules.
    let files = rust_files(&root.join("src"));
    let mut long = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        // Unit tests at the end of a Rust file are not the file's code.
        let code = text.split("\n#[cfg(test)]\nmod tests").next().unwrap_or(&text);
        let lines = code.lines().count();
        if lines > 700 {
            long.push(format!("{}: {lines} lines", file.display()));
        }
    }
    assert!(long.is_empty(), "split these along their seams:\n{}", long.join("\n"));
}
