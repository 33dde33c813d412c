//! A spreadsheet export becomes the CSV text duizhang reads.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn an_xlsx_channel_export_becomes_csv() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/sheets/channel.xlsx")).expect("fixture");
    assert!(duizhang_sheets::is_spreadsheet(&bytes));
    let csv = String::from_utf8(duizhang_sheets::sheet_to_csv(&bytes).expect("converts")).expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "交易时间,微信订单号,商户订单号,交易状态,订单金额,手续费");
    assert_eq!(lines[1], "2026-03-24 08:12:09,4200002601202603241000000001,S202603240001,SUCCESS,128.00,0.77");
    assert_eq!(lines[3], "2026-03-24 10:05:25,4200002601202603241000000003,S202603240003,SUCCESS,39.90,0.24");
    assert_eq!(lines.len(), 5);
}
