//! The shape of the code: data flows one way, so the top-level modules of `src/` never import each
//! other in a cycle, nor do the files inside any folder of it (a folder's mod.rs declares its files,
//! so none of them may reach back up to it), and none reaches into the crate root (`crate::Error` instead of
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
    // The sheets crate beside the core is held to it too.
    let mut files = rust_files(&root.join("src"));
    files.extend(rust_files(&root.join("sheets/src")));
    assert!(files.iter().any(|f| f.ends_with("sheets/src/report.rs")), "sheets/ moved?");
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

/// The module path of a file under `src/`: `read/table.rs` → `[read, table]`, `read/mod.rs` → `[read]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// Every module path the code names, made absolute: `super::table::X` in `read/header.rs` is
/// `[read, table, X]`, `crate::read::{a, b::c}` is `[read, a]` and `[read, b, c]`, `self::x` is the
/// file's own path plus `x`. Paths relative to a `use` of a sibling (`x::y` in a mod.rs) are not
/// seen; a folder's mod.rs is taken to use all of its files anyway.
fn absolute_paths(text: &str, here: &[String]) -> Vec<Vec<String>> {
    fn ident(s: &str) -> &str {
        let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
        &s[..end]
    }
    /// The items of a `{…}` group at the start of `s` (top-level commas only), each trimmed.
    fn group(s: &str) -> Vec<&str> {
        let mut items = Vec::new();
        let (mut depth, mut start) = (0, 1);
        for (i, c) in s.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        items.push(s[start..i].trim());
                        break;
                    }
                }
                ',' if depth == 1 => {
                    items.push(s[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.into_iter().filter(|i| !i.is_empty()).collect()
    }
    /// Continue `base` through `rest` (what follows a `::`): a name, a group, or `super`.
    fn walk(base: Vec<String>, rest: &str, out: &mut Vec<Vec<String>>) {
        if rest.starts_with('{') {
            for item in group(rest) {
                walk(base.clone(), item, out);
            }
            return;
        }
        let name = ident(rest);
        if name.is_empty() || name == "self" {
            out.push(base);
            return;
        }
        let mut path = base;
        if name == "super" {
            path.pop();
        } else {
            path.push(name.to_string());
        }
        match rest[name.len()..].strip_prefix("::") {
            Some(more) if name == "super" || name.chars().next().is_some_and(|c| c.is_lowercase()) => {
                walk(path, more, out)
            }
            _ => out.push(path),
        }
    }
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(start) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':') {
                continue;
            }
            let base = match start {
                "crate::" => Vec::new(),
                "super::" => here[..here.len().saturating_sub(1)].to_vec(),
                _ => here.to_vec(),
            };
            walk(base, &text[at + start.len()..], &mut out);
        }
    }
    out
}

/// `folder → (file or subfolder → siblings it uses)` for every folder of `src/`. A folder's `mod.rs`
/// is the node `mod`: it declares the others, so it uses them all, and none may use it back.
fn folder_graphs() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    fn collect(dir: &Path, src: &Path, folders: &mut BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>>) {
        let mut children = Vec::new();
        for entry in std::fs::read_dir(dir).expect("dir") {
            let entry = entry.expect("entry").path();
            let stem = entry.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            if entry.is_dir() {
                children.push(stem);
                collect(&entry, src, folders);
            } else if entry.extension().is_some_and(|e| e == "rs") && stem != "mod" {
                children.push(stem);
            }
        }
        let nodes = folders.entry(module_path(src, &dir.join("mod.rs"))).or_default();
        for child in &children {
            nodes.entry(child.clone()).or_default();
        }
        nodes.entry("mod".into()).or_default().extend(children);
    }
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, &src, &mut folders);
        }
    }
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).expect("source");
        // A file's unit tests may drive the folder from its entry points, as a user would.
        let code = text.split("\n#[cfg(test)]\nmod tests").next().unwrap_or(&text);
        let here = module_path(&src, &file);
        for target in absolute_paths(code, &here) {
            for (folder, nodes) in folders.iter_mut() {
                // The node of the folder that holds `here`, and the one `target` names.
                if !here.starts_with(folder) {
                    continue;
                }
                let from = here.get(folder.len()).cloned().unwrap_or_else(|| "mod".to_string());
                if !target.starts_with(folder) || target.len() <= folder.len() {
                    continue;
                }
                let name = &target[folder.len()];
                let to = if nodes.contains_key(name) { name.clone() } else { "mod".to_string() };
                if to != from {
                    nodes.entry(from).or_default().insert(to);
                }
            }
        }
    }
    folders.into_iter().map(|(k, v)| (k.join("/"), v)).collect()
}

#[test]
fn the_files_inside_each_folder_use_each_other_one_way_only() {
    let graphs = folder_graphs();
    assert!(graphs.contains_key("read") && graphs.contains_key("read/statement"), "src/ moved? {:?}", graphs.keys());
    let mut cycles = Vec::new();
    for (folder, graph) in &graphs {
        if let Some(cycle) = first_cycle(graph) {
            cycles.push(format!("src/{folder}: {}", cycle.join(" → ")));
        }
    }
    assert!(cycles.is_empty(), "the files of a folder form a cycle:\n{}", cycles.join("\n"));
}

#[test]
fn the_folder_paths_resolve_and_a_planted_upward_use_is_a_cycle() {
    let here: Vec<String> = ["read", "delimited", "row"].map(String::from).to_vec();
    let text = "use super::reader::Reader;\nuse crate::read::{cell::{cell, truncate}, IssueCode};\n\
                use super::super::table::Table; // a doc link: [`self::tests`]\nlet x = crate::read::Check::compare;";
    let paths: BTreeSet<String> = absolute_paths(text, &here).into_iter().map(|p| p.join("::")).collect();
    let expected = [
        "read::delimited::reader::Reader",
        "read::cell::cell",
        "read::cell::truncate",
        "read::IssueCode",
        "read::table::Table",
        "read::delimited::row::tests",
        "read::Check",
    ];
    assert_eq!(paths, expected.iter().map(|s| s.to_string()).collect());
    // A child naming its folder's own item (`crate::read::IssueCode`) uses mod.rs, which declares it:
    // that is the cycle the test above refuses.
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("mod".into()).or_default().extend(["issue".to_string(), "records".to_string()]);
    graph.entry("records".into()).or_default().insert("issue".into());
    assert_eq!(first_cycle(&graph), None);
    graph.entry("records".into()).or_default().insert("mod".into());
    assert_eq!(first_cycle(&graph).expect("planted"), ["mod", "records", "mod"]);
}
