//! Bad input never panics and never loses data: row issues or a coded error, natively.
//! The same files run through Wasm in `tests/node/cli_wasm_identity.test.mjs` and `tests/wasm_api.rs`.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{reconcile, Input, InputKind, Outcome, Profile, Report};
use std::path::Path;
use std::process::Command;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn against_sample(name: &str, channel: Vec<u8>) -> Result<Report, duizhang::Error> {
    reconcile(
        vec![
            Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv")),
            Input::new(InputKind::Channel, name, channel),
        ],
        Profile::default(),
        None,
    )
}

/// What each malformed channel file must give: an error code, or the issue codes (line, code).
enum Expect {
    Error(&'static str),
    Issues(&'static [(u32, &'static str)]),
}

#[test]
fn every_malformed_file_gives_issues_or_a_coded_error() {
    let table: &[(&str, Expect)] = &[
        ("empty.csv", Expect::Error("empty_file")),
        ("binary_junk.csv", Expect::Error("not_text")),
        ("header_only.csv", Expect::Error("no_data_rows")),
        ("no_known_column.csv", Expect::Error("no_known_columns")),
        ("truncated_rows.csv", Expect::Issues(&[(4, "too_few_fields")])),
        ("bad_amounts.csv", Expect::Issues(&[(3, "invalid_amount"), (4, "invalid_amount")])),
        ("unbalanced_quotes.csv", Expect::Issues(&[(3, "unbalanced_quote")])),
        ("too_many_fields.csv", Expect::Issues(&[(3, "too_many_fields")])),
        ("unknown_status.csv", Expect::Issues(&[(3, "unknown_status")])),
        ("gbk_declared_utf8.csv", Expect::Issues(&[])),
        ("prose_not_a_table.txt", Expect::Error("unknown_format")),
        ("alipay_bill_truncated.zip", Expect::Error("bad_container")),
        // A bank statement is no channel bill (tests/fund_flow.rs reads it as a statement).
        ("statement_footer_disagrees.csv", Expect::Error("no_known_columns")),
        (
            "wechat_trade_bad_row.csv",
            Expect::Issues(&[(3, "invalid_amount"), (7, "total_row_skipped"), (8, "total_row_skipped")]),
        ),
        (
            "INN26032488ZM_777290058110048_bad_lines",
            Expect::Issues(&[(2, "invalid_fixed_width_line"), (3, "invalid_amount"), (4, "unknown_status")]),
        ),
    ];
    let mut seen: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed"))
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
    seen.sort();
    let mut listed: Vec<String> = table.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(seen, listed, "every malformed fixture has an expectation");

    for (name, expect) in table {
        let result = against_sample(name, fixture(&format!("malformed/{name}")));
        match (expect, result) {
            (Expect::Error(code), Err(error)) => {
                assert_eq!(error.code().code(), *code, "{name}");
                assert_eq!(error.file(), Some(*name), "{name}: the error names the file");
            }
            (Expect::Issues(expected), Ok(report)) => {
                let got: Vec<(u32, &str)> = report
                    .issues
                    .iter()
                    .filter(|i| i.file == *name && i.line.is_some())
                    .map(|i| (i.line.unwrap_or(0), i.code.code()))
                    .collect();
                assert_eq!(got, expected.to_vec(), "{name}");
                let rows = report.summary.rows.channel;
                assert_eq!(rows.read, rows.reconciled + rows.skipped, "{name}: nothing lost");
                assert!(rows.reconciled >= 1, "{name}: the good rows are still reconciled");
            }
            (_, other) => panic!("{name}: unexpected {:?}", other.map(|r| r.summary.counts)),
        }
    }
}

#[test]
fn a_missing_row_that_was_skipped_on_the_other_side_says_so() {
    // Line 3 of the bill is S202603240002 with an amount of "12.8O": left out (invalid_amount),
    // so the order is internal_only, and its message points at the skipped line.
    let report =
        against_sample("wechat_trade_bad_row.csv", fixture("malformed/wechat_trade_bad_row.csv")).expect("runs");
    let e = report.exceptions.iter().find(|e| e.key == "S202603240002").expect("exception");
    assert_eq!(e.class, Outcome::InternalOnly);
    assert!(
        e.message.ends_with("; wechat_trade_bad_row.csv line 3 has this key but was skipped (invalid_amount)"),
        "{}",
        e.message
    );
    // The other exceptions of the run say nothing of the kind.
    assert_eq!(report.exceptions.iter().filter(|e| e.message.contains("was skipped")).count(), 1);
}

#[test]
fn unbalanced_quote_resumes_on_the_next_line() {
    let report = against_sample("q.csv", fixture("malformed/unbalanced_quotes.csv")).expect("runs");
    assert_eq!(report.summary.rows.channel.reconciled, 3, "rows 2, 4 and 5 are read");
}

#[test]
fn gbk_bytes_behind_a_utf8_bom_are_read_as_gbk_and_noted() {
    let report = against_sample("g.csv", fixture("malformed/gbk_declared_utf8.csv")).expect("runs");
    assert_eq!(report.files[1].encoding, "GB18030");
    assert!(report.issues.iter().any(|i| i.code.code() == "encoding_repaired" && i.line.is_none()));
    assert_eq!(report.summary.rows.channel.reconciled, 2);
}

#[test]
fn a_ten_megabyte_line_is_an_issue_not_a_crash() {
    let mut bill = b"order_no,amount,trade_type\nS202603240001,128.00,SUCCESS\n".to_vec();
    bill.extend(std::iter::repeat_n(b'9', 10 * 1024 * 1024));
    bill.extend(b",1.00,SUCCESS\nS202603240003,39.90,SUCCESS\n");
    let report = against_sample("long.csv", bill.clone()).expect("runs");
    let issue = report.issues.iter().find(|i| i.file == "long.csv").expect("an issue");
    assert_eq!((issue.line, issue.column, issue.code.code()), (Some(3), Some(1), "invalid_key"));
    assert_eq!(report.summary.rows.channel.reconciled, 2);
    // The same line as an amount: an invalid amount with the column.
    let mut bill = b"order_no,amount,trade_type\nS202603240001,".to_vec();
    bill.extend(std::iter::repeat_n(b'7', 10 * 1024 * 1024));
    bill.extend(b",SUCCESS\n");
    let report = against_sample("long_amount.csv", bill).expect("runs");
    let issue = report.issues.iter().find(|i| i.file == "long_amount.csv").expect("an issue");
    assert_eq!((issue.line, issue.column, issue.code.code()), (Some(2), Some(2), "invalid_amount"));
}

#[test]
fn truncated_input_at_every_byte_never_panics() {
    let bill = fixture("encodings/channel_decorated.csv");
    for cut in 0..bill.len() {
        let _ = against_sample("cut.csv", bill[..cut].to_vec());
    }
    let gbk = fixture("encodings/orders_gbk_crlf.csv");
    for cut in (0..gbk.len()).step_by(7) {
        let _ = against_sample("cut.csv", gbk[..cut].to_vec());
    }
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_duizhang"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the CLI runs")
}

#[test]
fn cli_exit_codes_and_one_line_reasons() {
    let ok = cli(&[
        "reconcile",
        "--internal",
        "tests/fixtures/sample/orders.csv",
        "--channel",
        "tests/fixtures/sample/channel.csv",
    ]);
    assert_eq!(ok.status.code(), Some(0), "discrepancies are not failures");
    let json: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("JSON on stdout");
    assert_eq!(json["summary"]["counts"]["amount_mismatch"], 3, "0.01 is outside the default tolerance of 0");

    let bad = cli(&[
        "reconcile",
        "--internal",
        "tests/fixtures/sample/orders.csv",
        "--channel",
        "tests/fixtures/malformed/empty.csv",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("duizhang: empty_file: empty.csv:"), "{stderr}");
    assert!(bad.stdout.is_empty());

    let bad_profile = cli(&[
        "reconcile",
        "--internal",
        "tests/fixtures/sample/orders.csv",
        "--channel",
        "tests/fixtures/sample/channel.csv",
        "--profile",
        "tests/fixtures/sample/orders.csv",
    ]);
    assert_eq!(bad_profile.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_profile.stderr).contains("invalid_profile"));

    let bad_date = cli(&["reconcile", "--internal", "a", "--channel", "b", "--date", "2024-13-01"]);
    assert_eq!(bad_date.status.code(), Some(1));

    let usage = cli(&["reconcile", "--internal", "tests/fixtures/sample/orders.csv"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn absurdly_large_amounts_are_issues_and_sums_never_overflow() {
    let mut bill = String::from("order_no,amount,trade_type\n");
    for n in 0..3 {
        bill.push_str(&format!("X{n},9999999999999999999999999999,SUCCESS\n"));
        bill.push_str(&format!("Y{n},999999999999999999.9999999999,SUCCESS\n"));
    }
    let report = against_sample("huge.csv", bill.into_bytes()).expect("runs");
    let codes: Vec<&str> = report.issues.iter().filter(|i| i.file == "huge.csv").map(|i| i.code.code()).collect();
    assert_eq!(codes, vec!["invalid_amount"; 3]);
    assert_eq!(report.summary.amounts.external_only.to_string(), "2999999999999999999.9999999997");
}
