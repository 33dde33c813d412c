//! The fuzzers' corpora and crashers, replayed on the stable toolchain without libFuzzer: every file
//! of `fuzz/corpus/<target>/` and `fuzz/crashers/<target>/` goes through the same entry point as
//! under `cargo fuzz run <target>` (`tests/support/fuzz_entry.rs`) and must give a report or a coded
//! error, never a panic. A crasher stays here after its bug is fixed, so the bug cannot come back.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fuzz_entry.rs"]
mod fuzz_entry;

use std::path::{Path, PathBuf};

fn files_of(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("a folder entry").path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

#[test]
fn every_corpus_and_crasher_file_reads_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for folder in ["corpus", "crashers"] {
        // fuzz/crashers/ exists once a fuzzer has found a bug.
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else { continue };
        for entry in entries {
            let target_dir = entry.expect("a folder entry").path();
            let target = target_dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let Some(&(_, feed)) = fuzz_entry::TARGETS.iter().find(|(name, _)| *name == target) else {
                panic!("{} is no fuzz target's folder", target_dir.display());
            };
            for file in files_of(&target_dir) {
                let bytes = std::fs::read(&file).expect("a corpus file");
                if std::panic::catch_unwind(|| feed(&bytes)).is_err() {
                    failures.push(file.display().to_string());
                }
                replayed += 1;
            }
        }
    }
    // Every target has a corpus: a folder emptied by mistake would replay nothing for it.
    for (target, _) in fuzz_entry::TARGETS {
        assert!(!files_of(&root.join("corpus").join(target)).is_empty(), "fuzz/corpus/{target} is empty");
    }
    println!("{replayed} files replayed");
    assert!(failures.is_empty(), "panicked on {} files:\n{}", failures.len(), failures.join("\n"));
}
