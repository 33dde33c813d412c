//! The checked-in `src/wasm/types.d.ts` (the module's TypeScript declarations, emitted by
//! wasm-bindgen into `duizhang.d.ts`) is exactly what the Rust types generate. After changing a
//! type that crosses the boundary: `DUIZHANG_WRITE_TYPES=1 cargo test --features typescript --test typescript`.
#![cfg(feature = "typescript")]

#[test]
fn the_checked_in_declarations_are_the_generated_ones() {
    let generated = duizhang::typescript_declarations().expect("every type used is declared");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/wasm/types.d.ts");
    if std::env::var_os("DUIZHANG_WRITE_TYPES").is_some() {
        std::fs::write(path, &generated).expect("write types.d.ts");
    }
    let checked_in = std::fs::read_to_string(path).expect("read types.d.ts");
    assert!(
        checked_in == generated,
        "src/wasm/types.d.ts is not what the Rust types generate; regenerate it with \
         DUIZHANG_WRITE_TYPES=1 cargo test --features typescript --test typescript"
    );
}

#[test]
fn money_is_a_string_and_codes_are_unions() {
    let generated = duizhang::typescript_declarations().expect("declared");
    assert!(generated.contains("export type Money = string;"));
    assert!(generated.contains("export type Outcome = \"matched\" | "), "{generated}");
    assert!(!generated.contains("bigint"), "counts cross as numbers");
    assert!(!generated.contains(": number, amount"), "amounts are Money");
}
