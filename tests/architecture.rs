//! The shape of the code: data flows one way, so the top-level modules of `src/` never import each
//! other in a cycle, and none reaches into the crate root (`crate::Error` instead of
//! `crate::error::Error`), which would make every module depend on every other. The page holds to
//! the same: its ES modules (www/) import each other one way only, and no file of it is over 600 lines.
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
    // The engines own their models; the report only makes views of them.
    for engine in ["read", "matching", "fund_flow", "clearing", "handling"] {
        let edges = graph.get(engine).unwrap_or_else(|| panic!("src/{engine} moved?"));
        assert!(!edges.contains("report"), "{engine} imports report: its model belongs in {engine}/");
    }
    let graph: BTreeMap<String, BTreeSet<String>> = graph.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    if let Some(cycle) = first_cycle(&graph) {
        panic!("the modules form a cycle: {}", cycle.join(" → "));
    }
}

/// Depth-first search for a cycle in `node → nodes it uses`, returning the first one found.
fn first_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit<'g>(
        node: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
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
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_search_finds_a_planted_cycle() {
    // The test above must be able to fail: the same parsing on a planted pair of modules.
    assert_eq!(
        crate_paths("use crate::read::Table; // crate::report\n$crate::codes"),
        ["read", "report"].map(String::from).into()
    );
    assert!(crate_paths("duizhang_crate::x").is_empty());
    // And the search itself: a one-way graph has no cycle; one edge back makes one, and it is named.
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            g.entry(from.to_string()).or_default().insert(to.to_string());
            g.entry(to.to_string()).or_default();
        }
        g
    };
    let one_way = [("report", "clearing"), ("clearing", "fund_flow"), ("fund_flow", "read"), ("report", "read")];
    assert_eq!(first_cycle(&graph(&one_way)), None);
    let mut planted = one_way.to_vec();
    planted.push(("read", "clearing"));
    assert_eq!(
        first_cycle(&graph(&planted)),
        Some(["clearing", "fund_flow", "read", "clearing"].map(String::from).to_vec())
    );
}

/// No hand-written Rust file much over 600 lines: a file that does too much is split along its seams.
#[test]
fn no_hand_written_file_is_much_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The page (www/) is held to it too, at 600 lines: no_page_file_is_over_600_lines.
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

/// The page's own files: everything under `www/` but the generated modules (`www/pkg`, `www/sheets`,
/// built by scripts/build-wasm.sh).
fn page_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("www") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&www).expect("www") {
        let path = entry.expect("entry").path();
        let generated = path.file_name().is_some_and(|n| n == "pkg" || n == "sheets");
        if path.is_dir() && !generated {
            walk(&path, &mut files);
        } else if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The page's files are held to the same rule, at 600 lines: the page is ES modules by concern.
#[test]
fn no_page_file_is_over_600_lines() {
    let files = page_files();
    assert!(files.iter().any(|f| f.ends_with("www/js/main.js")), "www/ moved? found {files:?}");
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            (lines > 600).then(|| format!("{}: {lines} lines", file.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by concern:\n{}", long.join("\n"));
}

/// The relative specifiers a JS module imports statically: `import … from './x.js'`, `import './x.js'`
/// and `export … from './x.js'`, an import list spanning several lines included. Type-only JSDoc
/// imports (`import('./protocol.js').Request`) and dynamic `import()` are not module edges.
fn js_imports(text: &str) -> Vec<String> {
    /// The text between the first pair of quotes (either kind) in `s`.
    fn quoted(s: &str) -> Option<&str> {
        let at = s.find(['\'', '"'])?;
        let quote = &s[at..at + 1];
        let end = s[at + 1..].find(quote)?;
        Some(&s[at + 1..at + 1 + end])
    }
    let mut specifiers = Vec::new();
    let mut statement: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let starts = ["import ", "import'", "import\"", "export {", "export *"];
        if statement.is_none() && starts.iter().any(|s| trimmed.starts_with(s)) {
            statement = Some(String::new());
        }
        let Some(so_far) = statement.as_mut() else { continue };
        so_far.push_str(trimmed);
        so_far.push(' ');
        let rest = so_far.trim_start_matches("import").trim_start();
        let spec = if let Some(at) = so_far.find(" from ") {
            quoted(&so_far[at + 6..])
        } else if so_far.starts_with("import") && rest.starts_with(['\'', '"']) {
            quoted(rest) // `import './x.js';`: for its side effects
        } else {
            None
        };
        if let Some(spec) = spec {
            specifiers.push(spec.to_string());
            statement = None;
        } else if so_far.starts_with("export {") && so_far.contains('}') && trimmed.ends_with(';') {
            statement = None; // `export { a, b };` names its own bindings
        }
    }
    specifiers.into_iter().filter(|s| s.starts_with("./") || s.starts_with("../")).collect()
}

/// `module → modules it imports` over the page's JS files (paths relative to www/).
fn page_import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let name = |path: &Path| path.strip_prefix(&www).expect("under www").to_string_lossy().replace('\\', "/");
    let mut graph = BTreeMap::new();
    for file in page_files().into_iter().filter(|f| f.extension().is_some_and(|e| e == "js")) {
        let text = std::fs::read_to_string(&file).expect("module");
        let dir = file.parent().expect("a folder");
        let mut edges = BTreeSet::new();
        for spec in js_imports(&text) {
            // Resolve `./x.js` and `../x.js` lexically: the page's files have no symlinks.
            let mut target = dir.to_path_buf();
            for part in spec.split('/') {
                match part {
                    "." => {}
                    ".." => {
                        target.pop();
                    }
                    part => target.push(part),
                }
            }
            if target.starts_with(&www) {
                edges.insert(name(&target));
            }
        }
        graph.insert(name(&file), edges);
    }
    graph
}

#[test]
fn the_page_modules_import_each_other_one_way_only() {
    let graph = page_import_graph();
    let main = graph.get("js/main.js").expect("www/js/main.js, the page's entry");
    assert!(main.contains("js/files.js") && main.contains("js/worker_client.js"), "main.js imports: {main:?}");
    assert!(graph["worker.js"].contains("pkg/duizhang.js"), "the worker imports the module");
    if let Some(cycle) = first_cycle(&graph) {
        panic!("the page's modules import each other in a cycle: {}", cycle.join(" → "));
    }
}

#[test]
fn the_js_import_parser_sees_every_static_import_and_finds_a_planted_cycle() {
    let text = "// import { no } from './comment.js' is a comment\n\
        import init, { a } from '../pkg/duizhang.js';\n\
        import {\n  b,\n  c,\n} from \"./b.js\";\n\
        import './side_effect.js';\n\
        import fs from 'node:fs';\n\
        export { d } from './d.js';\n\
        export const e = 1;\n\
        /** @typedef {import('./protocol.js').Request} Request */\n\
        const later = () => import('./sheets.js');\n";
    assert_eq!(js_imports(text), ["../pkg/duizhang.js", "./b.js", "./side_effect.js", "./d.js"]);
    let planted: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .into_iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    assert_eq!(first_cycle(&planted).expect("a cycle"), ["a", "b", "c", "a"]);
}
