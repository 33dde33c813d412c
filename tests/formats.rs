//! Channel files exactly as downloaded: each layout detected from content, its quirks read, its own
//! totals checked, its rows mapped onto the normalized record. Fixtures are made by the `make.py`
//! next to them (so widths, encodings and archive bytes are exact).
#![cfg(not(target_arch = "wasm32"))]

use duizhang::engine::Table;
use duizhang::{inspect, reconcile, Input, InputKind, ItemKind, Profile, Reconciliation};
use std::path::Path;
use std::process::Command;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn base_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// A run with one channel file read: its tables are `run.tables()`.
fn tables_of(path: &str, profile: Profile) -> Reconciliation {
    read_as_channel(&base_name(path), fixture(path), profile).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_as_channel(name: &str, bytes: Vec<u8>, profile: Profile) -> duizhang::Result<Reconciliation> {
    let mut run = Reconciliation::new(profile);
    run.add(Input::new(InputKind::Channel, name, bytes))?;
    Ok(run)
}

#[test]
fn every_layout_is_detected_from_content_with_its_variant_and_checks() {
    // path → per table: (format, variant, encoding, rows, skipped, checks)
    type Expected = &'static [(&'static str, &'static str, &'static str, u64, u64, usize)];
    let table: &[(&str, Expected)] = &[
        ("wechat/trade_all_bom_crlf.csv", &[("wechat_trade", "ALL", "UTF-8 (BOM)", 5, 2, 7)]),
        ("wechat/trade_all.csv.gz", &[("wechat_trade", "ALL", "UTF-8 (BOM)", 5, 2, 7)]),
        ("wechat/trade_success.csv", &[("wechat_trade", "SUCCESS", "UTF-8", 4, 2, 7)]),
        ("wechat/trade_refund.csv", &[("wechat_trade", "REFUND", "UTF-8 (BOM)", 1, 2, 7)]),
        ("wechat/trade_all_sub_mch_legacy.csv", &[("wechat_trade", "ALL/子商户号", "UTF-8 (BOM)", 5, 2, 7)]),
        ("wechat/trade_pre2018.csv", &[("wechat_trade", "ALL/pre-2018", "UTF-8 (BOM)", 5, 2, 5)]),
        ("wechat/fund_flow_bom_crlf.csv", &[("wechat_fund_flow", "", "UTF-8 (BOM)", 4, 2, 6)]),
        ("wechat/trade_attach_commas.csv", &[("wechat_trade", "ALL", "UTF-8 (BOM)", 10, 2, 7)]),
        ("wechat/fund_flow_remark_commas.csv", &[("wechat_fund_flow", "", "UTF-8 (BOM)", 4, 2, 6)]),
        ("alipay/trade_25_columns_gbk.csv", &[("alipay_trade", "25 columns", "GB18030", 7, 4, 4)]),
        ("alipay/trade_29_columns_gbk.csv", &[("alipay_trade", "29 columns", "GB18030", 7, 4, 4)]),
        ("alipay/summary_gbk.csv", &[("alipay_summary", "", "GB18030", 0, 0, 0)]),
        (
            "alipay/20886012345678900156_20260324.csv.zip",
            &[("alipay_trade", "25 columns", "GB18030", 7, 4, 4), ("alipay_summary", "", "GB18030", 0, 0, 5)],
        ),
        ("alipay/account_flow_gbk.csv", &[("alipay_account_flow", "", "GB18030", 3, 4, 5)]),
        ("unionpay/INN26032488ZM_777290058110048", &[("unionpay_zm", "", "UTF-8", 4, 0, 0)]),
        ("unionpay/777290058110048_20260324.zip", &[("unionpay_zm", "", "UTF-8", 4, 0, 0)]),
        ("bank/corporate_gbk.csv", &[("bank_statement", "debit_credit", "GB18030", 3, 1, 1)]),
        ("bank/signed_amount_utf16le.csv", &[("bank_statement", "signed_amount", "UTF-16LE", 2, 1, 1)]),
        ("sample/channel.csv", &[("generic_csv", "", "UTF-8", 16, 0, 0)]),
    ];
    for (path, expected) in table {
        let inspections = inspect(&base_name(path), fixture(path), &Profile::default()).expect(path);
        let got: Vec<_> = inspections
            .iter()
            .map(|i| (i.format.code(), i.variant.as_str(), i.encoding.code(), i.rows, i.skipped, i.checks.len()))
            .collect();
        assert_eq!(got, expected.to_vec(), "{path}");
        for inspection in &inspections {
            let failed: Vec<_> = inspection.checks.iter().filter(|c| !c.passed).collect();
            assert!(failed.is_empty(), "{path}: {failed:?}");
            assert!(!inspection.issues.iter().any(|i| i.code.code() == "summary_mismatch"), "{path}");
        }
    }
}

#[test]
fn inner_files_are_named_after_their_archive_with_gbk_names_decoded() {
    let run = tables_of("alipay/20886012345678900156_20260324.csv.zip", Profile::default());
    let names: Vec<&str> = run.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "20886012345678900156_20260324.csv.zip/20886012345678900156_20260324_业务明细.csv",
            "20886012345678900156_20260324.csv.zip/20886012345678900156_20260324_业务明细(汇总).csv"
        ]
    );
}

/// (order_no, trade_no, refund_no, amount, fee, balance, kind, time) of each row.
type RowFacts = (String, String, String, String, Option<String>, Option<String>, ItemKind, Option<String>);

fn rows_of(table: &Table) -> Vec<RowFacts> {
    table
        .rows_in_file_order()
        .into_iter()
        .map(|r| {
            let view = duizhang::engine::row_view(table, r).expect("the row reads back");
            let balance = table.balances.iter().find(|(line, _, _)| *line == r.line).and_then(|(_, _, b)| *b);
            (
                view.order_no,
                view.trade_no,
                view.refund_no,
                view.amount.to_string(),
                view.fee.map(|f| f.to_string()),
                balance.map(|b| b.to_string()),
                r.kind,
                r.time().map(duizhang::format_datetime),
            )
        })
        .collect()
}

#[test]
fn refunds_signs_balances_and_keys_per_layout() {
    let s = |v: &str| v.to_string();
    let o = |v: &str| Some(v.to_string());

    let wechat = rows_of(&tables_of("wechat/trade_all_bom_crlf.csv", Profile::default()).tables()[0]);
    assert_eq!(
        wechat[4],
        (
            s("S202603230099"),
            s("4200002601202603231000000099"),
            s("R202603240001"),
            s("128.00"),
            o("-0.77"),
            None,
            ItemKind::Refund,
            o("2026-03-24 10:30:05")
        ),
        "a WeChat refund is keyed by 商户退款单号, its amount from 退款金额, its fee negative (written to the fen: -0.77000 is -0.77)"
    );
    assert_eq!(wechat[0].2, "", "the `0 in a payment row's refund-number columns means none");
    assert_eq!(wechat[0].6, ItemKind::Payment);

    // Without 商户退款单号 the refund falls back to 微信退款单号.
    let bill = String::from_utf8(fixture("wechat/trade_refund.csv")).expect("utf-8").replace("`R202603240001", "`");
    let tables = rows_of(&read_as_channel("r.csv", bill.into_bytes(), Profile::default()).expect("reads").tables()[0]);
    assert_eq!(tables[0].2, "50300000012026032400000001");

    let alipay = rows_of(&tables_of("alipay/trade_29_columns_gbk.csv", Profile::default()).tables()[0]);
    assert_eq!(
        alipay[6],
        (
            s("S202603240013"),
            s("2026032422001104520500000013"),
            s("2026032421400900000001"),
            s("-8.00"),
            o("-0.05"),
            None,
            ItemKind::Refund,
            o("2026-03-24 21:40:09")
        ),
        "an Alipay refund: 业务类型 退款, negative amount, 退款批次号 as key, TABs trimmed, 完成时间"
    );

    let flow = rows_of(&tables_of("alipay/account_flow_gbk.csv", Profile::default()).tables()[0]);
    let money: Vec<(&str, Option<&str>)> = flow.iter().map(|r| (r.3.as_str(), r.5.as_deref())).collect();
    assert_eq!(money, [("258.00", Some("10258.00")), ("-1.55", Some("10256.45")), ("-10000.00", Some("256.45"))]);
    assert_eq!(flow[2].1, "20260324300000001", "a withdrawal has no 商户订单号 and is kept by 业务流水号");

    let fund = rows_of(&tables_of("wechat/fund_flow_bom_crlf.csv", Profile::default()).tables()[0]);
    let money: Vec<(&str, Option<&str>)> = fund.iter().map(|r| (r.3.as_str(), r.5.as_deref())).collect();
    assert_eq!(
        money,
        [
            ("128.00", Some("10128.00")),
            ("-0.77", Some("10127.23")),
            ("1280.00", Some("11407.23")),
            ("-128.00", Some("11279.23"))
        ],
        "收支类型 signs the unsigned 收支金额"
    );

    let bank = rows_of(&tables_of("bank/corporate_gbk.csv", Profile::default()).tables()[0]);
    let money: Vec<(&str, &str, Option<&str>)> =
        bank.iter().map(|r| (r.1.as_str(), r.3.as_str(), r.5.as_deref())).collect();
    assert_eq!(
        money,
        [
            ("FL20260325000101", "1385.58", Some("11385.58")),
            ("FL20260325000102", "10000.00", Some("21385.58")),
            ("FL20260325000103", "-8000.00", Some("13385.58"))
        ],
        "贷方 minus 借方, thousands separators, ------- as empty, trailing TABs"
    );

    let unionpay = rows_of(&tables_of("unionpay/777290058110048_20260324.zip", Profile::default()).tables()[0]);
    assert_eq!(
        unionpay[0],
        (
            s("S202603240012"),
            s("202603240915021000001"),
            s(""),
            s("99.00"),
            o("0.54"),
            None,
            ItemKind::Payment,
            o("2026-03-24 09:15:02")
        )
    );
    assert_eq!(
        (unionpay[3].2.as_str(), unionpay[3].3.as_str(), unionpay[3].4.as_deref()),
        ("UR202603240001", "20.00", Some("-0.11"))
    );
    assert_eq!(unionpay[3].6, ItemKind::Refund);
}

#[test]
fn unionpay_year_comes_from_the_name_or_the_profile() {
    let bytes = fixture("unionpay/INN26032488ZM_777290058110048");
    let run = read_as_channel("zm.txt", bytes.clone(), Profile::default()).expect("reads");
    let table = &run.tables()[0];
    assert!(table.rows().all(|r| r.time().is_none()));
    assert!(table.issues.iter().any(|i| i.code.code() == "year_unknown" && i.line.is_none()));
    let profile = Profile::from_json(r#"{"bill_date": "2025-03-24"}"#).expect("valid");
    let run = read_as_channel("zm.txt", bytes, profile).expect("reads");
    let first = run.tables()[0].rows_in_file_order()[0].time().map(duizhang::format_datetime);
    assert_eq!(first.as_deref(), Some("2025-03-24 09:15:02"));
}

#[test]
fn malformed_variants_give_failed_checks_row_issues_or_coded_errors() {
    enum Expect {
        /// Failed check names, and (line, code) of row issues.
        Read(&'static [&'static str], &'static [(u32, &'static str)]),
        Error(&'static str),
    }
    let table: &[(&str, Expect)] = &[
        (
            "malformed/wechat_trade_bad_row.csv",
            Expect::Read(
                &["总交易单数", "应结订单总金额", "手续费总金额", "订单总金额"],
                &[(3, "invalid_amount"), (7, "total_row_skipped"), (8, "total_row_skipped")],
            ),
        ),
        (
            "alipay/trade_malformed_gbk.csv",
            Expect::Read(&["交易合计 笔数", "交易合计 商家实收（元）"], &[(8, "too_few_fields")]),
        ),
        ("alipay/bill_summary_disagrees.zip", Expect::Read(&["汇总 合计 交易订单总笔数"], &[])),
        (
            "malformed/INN26032488ZM_777290058110048_bad_lines",
            Expect::Read(&[], &[(2, "invalid_fixed_width_line"), (3, "invalid_amount"), (4, "unknown_status")]),
        ),
        ("bank/signed_amount_utf16le.csv", Expect::Read(&[], &[(4, "invalid_amount")])),
        (
            "bank/corporate_balance_break_gbk.csv",
            Expect::Read(&[], &[(7, "total_row_skipped"), (5, "balance_break"), (6, "balance_break")]),
        ),
        (
            "wechat/fund_flow_bad_direction.csv",
            Expect::Read(
                &["资金流水总笔数", "支出笔数", "支出金额", "余额 (opening + movements = closing)"],
                &[(3, "unknown_direction"), (6, "total_row_skipped"), (7, "total_row_skipped"), (4, "balance_break")],
            ),
        ),
        (
            "alipay/account_flow_malformed_gbk.csv",
            Expect::Read(&["支出合计 笔数", "支出合计 支出金额（-元）"], &[(7, "invalid_balance")]),
        ),
        ("malformed/alipay_bill_truncated.zip", Expect::Error("bad_container")),
        ("malformed/prose_not_a_table.txt", Expect::Error("unknown_format")),
    ];
    for (path, expect) in table {
        let result = inspect(&base_name(path), fixture(path), &Profile::default());
        match (expect, result) {
            (Expect::Read(failed, issues), Ok(inspections)) => {
                let got_failed: Vec<&str> =
                    inspections.iter().flat_map(|i| &i.checks).filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
                assert_eq!(got_failed, failed.to_vec(), "{path}");
                let mismatches =
                    inspections.iter().flat_map(|i| &i.issues).filter(|i| i.code.code() == "summary_mismatch");
                assert_eq!(mismatches.count(), failed.len(), "{path}: each failed check is a file-level issue");
                let got: Vec<(u32, &str)> = inspections
                    .iter()
                    .flat_map(|i| &i.issues)
                    .filter(|i| {
                        i.line.is_some() && !i.code.code().ends_with("row_skipped")
                            || i.code.code() == "total_row_skipped"
                    })
                    .map(|i| (i.line.unwrap_or(0), i.code.code()))
                    .collect();
                assert_eq!(got, issues.to_vec(), "{path}");
            }
            (Expect::Error(code), Err(error)) => {
                assert_eq!(error.code().code(), *code, "{path}");
                assert_eq!(error.file(), Some(base_name(path).as_str()), "{path}");
            }
            (_, other) => panic!("{path}: unexpected {:?}", other.map(|i| i.len())),
        }
    }
}

#[test]
fn a_forced_layout_wins_and_a_wrong_one_says_so() {
    let bill = fixture("wechat/trade_all_bom_crlf.csv");
    let forced = Profile::from_json(r#"{"format": "alipay_trade"}"#).expect("valid");
    let error = inspect("bill.csv", bill.clone(), &forced).expect_err("no Alipay header");
    assert_eq!(error.code().code(), "no_known_columns");
    assert!(error.message().contains("read as alipay_trade, forced by the profile"), "{}", error.message());
    let generic = Profile::from_json(r#"{"format": "generic_csv"}"#).expect("valid");
    let read = inspect("bill.csv", bill, &generic).expect("the alias table reads it too");
    assert_eq!((read[0].format.code(), read[0].rows), ("generic_csv", 5));
    assert!(read[0].checks.is_empty(), "no layout, no layout checks");
    let error = Profile::from_json(r#"{"format": "excel"}"#).expect_err("unknown");
    assert_eq!(error.code().code(), "invalid_profile");
}

#[test]
fn cut_archives_and_fixed_width_files_never_panic() {
    for path in [
        "wechat/trade_all.csv.gz",
        "alipay/20886012345678900156_20260324.csv.zip",
        "unionpay/777290058110048_20260324.zip",
        "unionpay/INN26032488ZM_777290058110048",
    ] {
        let bytes = fixture(path);
        for cut in (0..bytes.len()).step_by(3) {
            let _ = inspect("cut", bytes[..cut].to_vec(), &Profile::default());
        }
        let mut flipped = bytes.clone();
        for at in (0..flipped.len()).step_by(11) {
            flipped[at] ^= 0x5a;
        }
        let _ = inspect("flipped", flipped, &Profile::default());
    }
}

#[test]
fn wechat_and_alipay_bills_together_against_one_order_export() {
    let report = reconcile(
        vec![
            Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv")),
            Input::new(InputKind::Channel, "trade_all.csv.gz", fixture("wechat/trade_all.csv.gz")),
            Input::new(
                InputKind::Channel,
                "20886012345678900156_20260324.csv.zip",
                fixture("alipay/20886012345678900156_20260324.csv.zip"),
            ),
        ],
        Profile::default(),
        None,
    )
    .expect("runs");
    let formats: Vec<&str> = report.files.iter().map(|f| f.format.code()).collect();
    assert_eq!(formats, ["generic_csv", "wechat_trade", "alipay_trade", "alipay_summary"]);
    let rows = report.summary.rows.channel;
    assert_eq!((rows.reconciled, rows.read), (12, 12 + rows.skipped));
    let exceptions: Vec<(&str, &str, String)> =
        report.exceptions.iter().map(|e| (e.class.code(), e.key.as_str(), e.d.to_string())).collect();
    // Both bills pair with the one export: WeChat 0001–0004 and the refund, Alipay 0005–0008,
    // 0010 and 0013; the rest of the export is unpaid or not in either bill.
    assert_eq!(report.summary.counts.matched, 11, "{exceptions:?}");
    assert!(exceptions.contains(&("external_only", "2026032421400900000001", "-8.00".to_string())), "{exceptions:?}");
    assert!(!exceptions.iter().any(|(_, key, _)| ["S202603240001", "S202603240005", "R202603240001"].contains(key)));
    assert!(report.files.iter().flat_map(|f| &f.checks).all(|c| c.passed));
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_duizhang"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
        .output()
        .expect("the CLI runs")
}

#[test]
fn cli_inspect_prints_one_object_or_an_array() {
    let one = cli(&["inspect", "wechat/trade_all_bom_crlf.csv"]);
    assert_eq!(one.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).expect("JSON");
    assert_eq!(json["format"], "wechat_trade");
    assert_eq!(json["variant"], "ALL");
    assert_eq!(json["rows"], 5);
    assert_eq!(json["checks"][0]["name"], "总交易单数");
    let keys: Vec<&str> = json.as_object().expect("object").keys().map(String::as_str).collect();
    let mut expected = ["name", "format", "variant", "encoding", "rows", "skipped", "issues", "checks"];
    expected.sort();
    assert_eq!(keys, expected);

    let several = cli(&["inspect", "alipay/20886012345678900156_20260324.csv.zip", "malformed/prose_not_a_table.txt"]);
    assert_eq!(several.status.code(), Some(1), "one file was unusable");
    let json: serde_json::Value = serde_json::from_slice(&several.stdout).expect("JSON");
    let formats: Vec<&str> =
        json.as_array().expect("array").iter().map(|e| e["format"].as_str().unwrap_or("")).collect();
    assert_eq!(formats, ["alipay_trade", "alipay_summary", ""]);
    assert_eq!(json[2]["error"]["code"], "unknown_format");

    let forced = cli(&["inspect", "--format", "generic_csv", "wechat/trade_all_bom_crlf.csv"]);
    let json: serde_json::Value = serde_json::from_slice(&forced.stdout).expect("JSON");
    assert_eq!(json["format"], "generic_csv");
    assert_eq!(cli(&["inspect"]).status.code(), Some(2));
    assert_eq!(cli(&["inspect", "--format", "xls", "a.csv"]).status.code(), Some(2));
}

#[test]
fn running_balances_are_followed_oldest_or_newest_first() {
    let header = "交易日期,借方发生额,贷方发生额,余额,流水号\n";
    let table: &[(&str, &[u32])] = &[
        ("2026-03-25,,100.00,1100.00,A1\n2026-03-25,30.00,,1070.00,A2\n2026-03-25,,5.00,1075.00,A3\n", &[]),
        ("2026-03-25,,5.00,1075.00,A3\n2026-03-25,30.00,,1070.00,A2\n2026-03-25,,100.00,1100.00,A1\n", &[]),
        ("2026-03-25,,100.00,1100.00,A1\n2026-03-25,30.00,,1080.00,A2\n2026-03-25,,5.00,1085.00,A3\n", &[3]),
    ];
    for (rows, breaks) in table {
        let text = format!("{header}{rows}");
        let run = read_as_channel("b.csv", text.into_bytes(), Profile::default()).expect("reads");
        let tables = run.tables();
        let got: Vec<u32> =
            tables[0].issues.iter().filter(|i| i.code.code() == "balance_break").filter_map(|i| i.line).collect();
        assert_eq!(got, breaks.to_vec(), "{rows}");
        assert_eq!(tables[0].checks.len(), 1);
    }
}

#[test]
fn cli_reconcile_takes_a_gzipped_wechat_bill_and_an_alipay_zip_as_two_channels() {
    let out = cli(&[
        "reconcile",
        "--internal",
        "sample/orders.csv",
        "--channel",
        "wechat/trade_all.csv.gz",
        "--channel",
        "alipay/20886012345678900156_20260324.csv.zip",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files: Vec<(&str, &str)> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| (f["name"].as_str().unwrap_or(""), f["format"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        files,
        [
            ("orders.csv", "generic_csv"),
            ("trade_all.csv.gz", "wechat_trade"),
            ("20886012345678900156_20260324.csv.zip/20886012345678900156_20260324_业务明细.csv", "alipay_trade"),
            (
                "20886012345678900156_20260324.csv.zip/20886012345678900156_20260324_业务明细(汇总).csv",
                "alipay_summary"
            ),
        ]
    );
    assert_eq!(json["summary"]["counts"]["matched"], 11);
    assert_eq!(json["files"][1]["checks"].as_array().map(Vec::len), Some(7));
}

#[test]
fn a_spreadsheet_is_converted_or_a_coded_error() {
    let result = inspect("channel.xlsx", fixture("sheets/channel.xlsx"), &Profile::default());
    if cfg!(feature = "sheets") {
        let read = result.expect("converted by the sheets crate");
        assert_eq!((read[0].format.code(), read[0].rows), ("generic_csv", 4));
    } else {
        assert_eq!(result.expect_err("no spreadsheet reader").code(), "spreadsheet_not_converted");
    }
}

#[test]
fn a_forced_layout_applies_to_channel_files_not_to_the_books() {
    let profile = Profile::from_json(r#"{"format": "wechat_trade"}"#).expect("valid");
    let report = reconcile(
        vec![
            Input::new(InputKind::Internal, "orders.csv", fixture("sample/orders.csv")),
            Input::new(InputKind::Channel, "bill.csv", fixture("wechat/trade_all_bom_crlf.csv")),
        ],
        profile,
        None,
    )
    .expect("runs");
    let formats: Vec<&str> = report.files.iter().map(|f| f.format.code()).collect();
    assert_eq!(formats, ["generic_csv", "wechat_trade"]);
}

#[test]
fn amounts_too_large_to_be_money_are_row_issues_not_a_panic() {
    // 28 digits exceed the amount cap (18 before the point), so no total can ever overflow.
    let mut text = "交易日期,借方发生额,贷方发生额,余额,流水号\n".to_string();
    for n in 0..10 {
        text.push_str(&format!("2026-03-25,,{0},{0},A{n}\n", "9".repeat(28)));
    }
    let read = inspect("huge.csv", text.into_bytes(), &Profile::default()).expect("reads");
    assert_eq!(read[0].rows, 0);
    let lines: Vec<u32> =
        read[0].issues.iter().filter(|i| i.code.code() == "invalid_amount").filter_map(|i| i.line).collect();
    assert_eq!(lines, (2..=11).collect::<Vec<u32>>());
}

#[test]
fn an_archive_file_no_reader_knows_is_noted_and_the_rest_is_read() {
    let path = "unionpay/777290058110048_20260324_with_other_files.zip";
    let read = inspect(&base_name(path), fixture(path), &Profile::default()).expect("the ZM file is read");
    assert_eq!(read.len(), 1);
    assert_eq!((read[0].format.code(), read[0].rows), ("unionpay_zm", 4));
    let note = read[0].issues.iter().find(|i| i.code.code() == "inner_file_skipped").expect("the README is noted");
    assert!(note.message.contains("README.txt"), "{}", note.message);
    assert_eq!(note.line, None);
}

#[test]
fn every_issue_code_the_readers_give_is_documented() {
    let documented: Vec<&str> = duizhang::IssueCode::ALL.iter().map(|c| c.code()).collect();
    let unique: std::collections::BTreeSet<&str> = documented.iter().copied().collect();
    assert_eq!(unique.len(), documented.len(), "a code is documented twice: {documented:?}");
    let mut seen = std::collections::BTreeSet::new();
    for folder in ["wechat", "alipay", "unionpay", "bank", "malformed"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(folder);
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "py") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("file");
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if let Ok(inspections) = inspect(&name, bytes, &Profile::default()) {
                seen.extend(inspections.iter().flat_map(|i| i.issues.iter().map(|issue| issue.code.code())));
            }
        }
    }
    for code in &seen {
        assert!(documented.contains(code), "{code} is not an IssueCode");
    }
    for code in
        ["summary_mismatch", "balance_break", "unknown_direction", "invalid_fixed_width_line", "inner_file_skipped"]
    {
        assert!(seen.contains(code), "no fixture shows {code}");
    }
}

#[test]
fn a_bank_statement_xlsx_is_named_and_reads_like_its_csv() {
    let read = inspect("statement.xlsx", fixture("sheets/statement.xlsx"), &Profile::default()).expect("reads");
    assert_eq!((read[0].format.code(), read[0].variant.as_str(), read[0].rows), ("bank_statement", "debit_credit", 7));
    // Same issues as the CSV, line for line: the sheet's 余额 cells are formula results one unit in
    // the last place off (12733.500000000002), and must read as the 12733.5 the sheet shows.
    let csv = inspect("statement_corporate.csv", fixture("bank/statement_corporate.csv"), &Profile::default())
        .expect("reads");
    let issues =
        |i: &duizhang::Inspection| i.issues.iter().map(|i| (i.line, i.column, i.code.code())).collect::<Vec<_>>();
    assert_eq!(issues(&read[0]), issues(&csv[0]));
    // The same 合计 checks, passed: the sheet's 5012.5 is the CSV's "5,012.50".
    let checks = |i: &duizhang::Inspection| i.checks.iter().map(|c| (c.name.clone(), c.passed)).collect::<Vec<_>>();
    let passed = |name: &str| (name.to_string(), true);
    assert_eq!(
        checks(&read[0]),
        [passed("合计 借方"), passed("合计 贷方"), passed("余额 (opening + movements = closing)")]
    );
    assert_eq!(checks(&read[0]), checks(&csv[0]));
    let fund_flow_of = |name: &str, bytes: Vec<u8>| {
        let profile = Profile::from_json(&String::from_utf8(fixture("bank/profile.json")).expect("utf-8")).expect("p");
        let mut run = duizhang::Reconciliation::new(profile);
        run.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("bill");
        run.add(Input::new(InputKind::Bank, name, bytes)).expect("statement");
        let report = run.run(None).expect("runs");
        let flow = serde_json::to_value(report.fund_flow.as_ref().expect("fund flow")).expect("json");
        // The explanations too: a spreadsheet cell holds 2435.3 where the CSV says 2435.30, and the
        // merchant must read the same sentence either way.
        let explanations: Vec<_> =
            flow["matches"].as_array().expect("matches").iter().map(|m| m["explanation"].clone()).collect();
        // And the statement's balances to the fen: the sheet stores 88.00 as 88 and 10298.20 as a
        // formula's 10298.200000000003.
        let balance = serde_json::to_value(report.balance.as_ref().expect("balance")).expect("json");
        let mut balances = balance["statements"][0].clone();
        balances["file"] = serde_json::Value::Null;
        // The footer's totals as written differ ("5,012.50" in the CSV, the number 5012.5 in the
        // sheet); what they are checked against must not.
        for check in balances["checks"].as_array_mut().into_iter().flatten() {
            check["expected"] = serde_json::Value::Null;
        }
        (flow["counts"].clone(), explanations, balances)
    };
    assert_eq!(
        fund_flow_of("statement.xlsx", fixture("sheets/statement.xlsx")),
        fund_flow_of("statement_corporate.csv", fixture("bank/statement_corporate.csv"))
    );
}

#[test]
fn a_statement_read_as_a_table_gets_the_total_checks_it_gets_for_fund_flow() {
    // 余额 and 流水号: the statement layout with a key, so it is read as a table, not a statement.
    let text = "交易日期,借方发生额,贷方发生额,余额,流水号\n2026-03-25,,10.00,10.00,A1\n2026-03-25,1.00,,9.00,A2\n合计,1.00,11.00,,\n";
    let read = inspect("s.csv", text.as_bytes().to_vec(), &Profile::default()).expect("reads");
    assert_eq!((read[0].format.code(), read[0].rows), ("bank_statement", 2));
    let checks: Vec<(&str, bool)> = read[0].checks.iter().map(|c| (c.name.as_str(), c.passed)).collect();
    assert_eq!(checks, [("合计 借方", true), ("合计 贷方", false), ("余额 (opening + movements = closing)", true)]);
    let mismatch: Vec<&str> =
        read[0].issues.iter().filter(|i| i.code.code() == "summary_mismatch").map(|i| i.message.as_str()).collect();
    assert_eq!(mismatch, ["合计 贷方: the file says 11.00, its detail adds up to 10.00"]);
    let mut run = Reconciliation::new(Profile::default());
    let info = run.add(Input::new(InputKind::Bank, "s.csv", text.as_bytes().to_vec())).expect("reads");
    let [info] = info.funds() else { panic!("one statement: {info:?}") };
    // One statement reader: fund flow sees exactly the checks inspect shows.
    assert_eq!(info.checks, read[0].checks);
}

#[test]
fn wechat_values_with_commas_and_quotes_stay_whole() {
    // The previous build read 1 row of these 10 and lost the rest as too_many_fields / invalid_amount.
    let run = tables_of("wechat/trade_attach_commas.csv", Profile::default());
    let table = &run.tables()[0];
    assert_eq!(table.row_count(), 10);
    let rows = table.rows_in_file_order();
    let view = |n: usize| duizhang::engine::row_view(table, rows[n]).expect("reads back");
    let cell = |n: usize, column: &str| view(n).columns.iter().find(|(k, _)| *k == column).map(|(_, v)| v.to_string());
    assert_eq!(cell(0, "商品名称").as_deref(), Some("咖啡豆 500g, 深烘"));
    assert_eq!(cell(0, "商户数据包").as_deref(), Some("{\"shop\":\"A1\",\"n\":2}"));
    assert_eq!(cell(2, "商品名称").as_deref(), Some("拿铁杯 \"限量版\""), "a quote inside a value is plain text");
    assert_eq!(view(3).amount.to_string(), "47.11", "the amount after a value with two commas is the amount");
    // A value that holds the boundary itself (a comma and a backtick) shifts the row: reported as
    // too many fields, never read as a wrong amount.
    let bill =
        String::from_utf8(fixture("wechat/trade_attach_commas.csv")).expect("utf-8").replacen("x,y,z", "x,`y", 1);
    let run = read_as_channel("bill.csv", bill.into_bytes(), Profile::default()).expect("reads");
    let codes: Vec<(&str, Option<u32>)> = run.tables()[0].issues.iter().map(|i| (i.code.code(), i.line)).collect();
    assert_eq!(codes[0], ("too_many_fields", Some(9)));
    assert!(codes.iter().all(|(c, _)| *c != "invalid_amount"), "{codes:?}");
}
