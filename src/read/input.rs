//! Which input of a run a file is, from its first bytes: what the page's drop zone uses to put
//! every dropped file in the right place (order export, channel bills, bank statements, payouts,
//! sub-ledger, carry state) without reading whole files.
//!
//! The content decides through the same detection the readers use ([`detect`] for
//! statement layouts, the fund-flow readers' header tables for statements, payouts and
//! sub-ledgers). A plain table of orders (`generic_csv`) is an order export or a simple channel
//! bill alike: content cannot tell those two apart, and says so ([`InputDetection::OrderTable`]).

use super::container::{heads_of_files, Container};
use super::{csv, detect, encoding, spreadsheet};
use crate::codes::codes;
use crate::format::Format;
use crate::record::{normalize_header, Field, InputKind};

/// How much of a file detection needs: the header of every layout sits in its first lines. Also the
/// most each file in a container is inflated to.
pub const INPUT_HEAD_BYTES: usize = 64 * 1024;

codes! {
    /// Why a file's content does not say which input it is.
    pub enum Undecided {
        /// A spreadsheet: the page converts those only when it reads them.
        Spreadsheet = "spreadsheet",
        /// An archive whose head shows no file data.
        Container = "container",
        /// Not text in any supported encoding.
        NotText = "not_text",
        /// Text without a table header the readers know.
        NoHeader = "no_header",
    }
}

/// What a file's first bytes say about which input of a run it is (serialized as
/// [`InputDetectionView`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(into = "InputDetectionView")]
pub enum InputDetection {
    /// A file of this kind: `Channel` (a bill in a layout only channels write), `Bank`, `Payouts`,
    /// `Book` or `Carry`; never `Internal`, which only a name can tell from a plain channel bill.
    /// `format` is the layout when one claimed the file.
    Input {
        /// The kind of input.
        kind: InputKind,
        /// The layout detected, if a layout claimed the file.
        format: Option<Format>,
    },
    /// A table of orders in no layout of its own (`generic_csv`): an order export, or a plain
    /// channel bill; the content does not say which.
    OrderTable,
    /// The content does not tell.
    Unknown {
        /// Why.
        why: Undecided,
    },
}

impl InputDetection {
    /// The input the content says the file is; `None` when it does not decide.
    pub fn kind(&self) -> Option<InputKind> {
        match self {
            InputDetection::Input { kind, .. } => Some(*kind),
            InputDetection::OrderTable | InputDetection::Unknown { .. } => None,
        }
    }
}

/// What `detectInput` says a file is, as the JS API and the page take it: `input` the input it
/// belongs to (`null` when the content does not decide), `format` the layout that claimed it,
/// `order_table` true for a plain table of orders (an order export or a simple channel bill: only
/// the name can tell), `why` the reason content did not decide. [`InputDetection`] serializes as this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "InputDetection"))]
pub struct InputDetectionView {
    /// The input the content says the file is (never `internal`, which only a name can tell).
    #[cfg_attr(feature = "typescript", ts(type = "Exclude<InputKind, \"internal\"> | null"))]
    pub input: Option<InputKind>,
    /// The layout that claimed it (`generic_csv` for a plain table of orders).
    pub format: Option<Format>,
    /// A plain table of orders: an order export or a simple channel bill alike.
    pub order_table: bool,
    /// Why the content does not decide.
    pub why: Option<Undecided>,
}

impl From<InputDetection> for InputDetectionView {
    fn from(d: InputDetection) -> InputDetectionView {
        let format = match d {
            InputDetection::Input { format, .. } => format,
            InputDetection::OrderTable => Some(Format::GenericCsv),
            InputDetection::Unknown { .. } => None,
        };
        let why = match d {
            InputDetection::Unknown { why } => Some(why),
            _ => None,
        };
        InputDetectionView { input: d.kind(), format, order_table: d == InputDetection::OrderTable, why }
    }
}

/// Says which input a file is from its first bytes: the whole file or only its head (e.g. the
/// first [`INPUT_HEAD_BYTES`]). A head may end anywhere, mid-record or mid-character; only its whole
/// lines are looked at. Never panics, whatever the bytes.
pub fn detect_input(head: &[u8]) -> InputDetection {
    if spreadsheet::is_spreadsheet(head) {
        return InputDetection::Unknown { why: Undecided::Spreadsheet };
    }
    if Container::of(head) == Container::None {
        return detect_text(head);
    }
    // An archive is read file by file, skipping what no reader takes (a README next to the bill):
    // the first of its files that decides, decides.
    let found: Vec<InputDetection> =
        heads_of_files(head, INPUT_HEAD_BYTES).iter().map(|inner| detect_text(inner)).collect();
    found
        .iter()
        .find(|d| d.kind().is_some())
        .or_else(|| found.iter().find(|d| **d == InputDetection::OrderTable))
        .cloned()
        .unwrap_or(InputDetection::Unknown { why: Undecided::Container })
}

/// [`detect_input`] for bytes that are no container.
fn detect_text(bytes: &[u8]) -> InputDetection {
    let Ok(decoded) = encoding::decode(whole_lines(bytes).to_vec()) else {
        return InputDetection::Unknown { why: Undecided::NotText };
    };
    let text = decoded.text.as_str();
    if text.trim_start().starts_with('{') && text.contains("\"duizhang_state\"") {
        return InputDetection::Input { kind: InputKind::Carry, format: None };
    }
    if text.trim_start().starts_with('[') && text.contains("\"action\"") && text.contains("\"id\"") {
        return InputDetection::Input { kind: InputKind::Resolutions, format: None };
    }
    if let Ok(found) = detect::detect(text) {
        let kind = match found.format {
            Format::BankStatement => InputKind::Bank,
            Format::PayoutInstructions => InputKind::Payouts,
            Format::SubLedger => InputKind::SubLedger,
            _ => InputKind::Channel,
        };
        return InputDetection::Input { kind, format: Some(found.format) };
    }
    if order_table(text) {
        return InputDetection::OrderTable;
    }
    InputDetection::Unknown { why: Undecided::NoHeader }
}

/// The bytes up to the last line break, so a record or character cut at the end of a head is left
/// out (GB18030 and UTF-8 never use the byte 0x0A inside a character; UTF-16 is cut after a whole
/// line-feed unit). Bytes without a line break are kept whole.
fn whole_lines(bytes: &[u8]) -> &[u8] {
    let utf16 = match bytes {
        [0xff, 0xfe, ..] => Some(false),
        [0xfe, 0xff, ..] => Some(true),
        _ => None,
    };
    let end = match utf16 {
        Some(big_endian) => {
            let line_feed: [u8; 2] = if big_endian { [0, b'\n'] } else { [b'\n', 0] };
            bytes[2..].chunks_exact(2).rposition(|unit| unit == line_feed).map(|i| 2 + 2 * i + 2)
        }
        None => memchr::memrchr(b'\n', bytes).map(|i| i + 1),
    };
    &bytes[..end.unwrap_or(bytes.len())]
}

/// Whether one of the first lines is a header naming an order or transaction number and an
/// amount, as the generic reader needs.
fn order_table(text: &str) -> bool {
    let delimiter = char::from(csv::detect_delimiter(text));
    let names = |fields: &[Field]| -> Vec<String> {
        fields.iter().flat_map(|f| f.default_aliases().iter().map(|a| normalize_header(a))).collect()
    };
    let keys = names(&[Field::OrderNo, Field::TradeNo]);
    let amounts = names(&[Field::Amount]);
    text.lines().take(64).any(|line| {
        let cells: Vec<String> = line.split(delimiter).map(|c| normalize_header(c.trim().trim_matches('"'))).collect();
        cells.iter().any(|c| keys.contains(c)) && cells.iter().any(|c| amounts.contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixture(path: &str) -> Vec<u8> {
        let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
        std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    fn input(kind: InputKind, format: Option<Format>) -> InputDetection {
        InputDetection::Input { kind, format }
    }

    /// Every checked-in fixture that is a real input, with the input it is.
    fn fixtures() -> Vec<(&'static str, InputDetection)> {
        use Format::*;
        vec![
            ("sample/orders.csv", InputDetection::OrderTable),
            ("encodings/orders_gbk_crlf.csv", InputDetection::OrderTable),
            // A plain channel bill (no 公众账号ID): a table of orders like the export; the name decides.
            ("sample/channel.csv", InputDetection::OrderTable),
            ("bank/channel.csv", InputDetection::OrderTable),
            ("wechat/trade_all_bom_crlf.csv", input(InputKind::Channel, Some(WechatTrade))),
            ("wechat/trade_refund.csv", input(InputKind::Channel, Some(WechatTrade))),
            ("wechat/trade_all.csv.gz", input(InputKind::Channel, Some(WechatTrade))),
            ("wechat/fund_flow_bom_crlf.csv", input(InputKind::Channel, Some(WechatFundFlow))),
            ("alipay/trade_25_columns_gbk.csv", input(InputKind::Channel, Some(AlipayTrade))),
            ("alipay/trade_29_columns_gbk.csv", input(InputKind::Channel, Some(AlipayTrade))),
            ("alipay/account_flow_gbk.csv", input(InputKind::Channel, Some(AlipayAccountFlow))),
            ("alipay/20886012345678900156_20260324.csv.zip", input(InputKind::Channel, Some(AlipayTrade))),
            ("unionpay/INN26032488ZM_777290058110048", input(InputKind::Channel, Some(UnionpayZm))),
            ("unionpay/777290058110048_20260324.zip", input(InputKind::Channel, Some(UnionpayZm))),
            // A README.txt first, then the ZM file.
            ("unionpay/777290058110048_20260324_with_other_files.zip", input(InputKind::Channel, Some(UnionpayZm))),
            ("bank/statement_corporate.csv", input(InputKind::Bank, Some(BankStatement))),
            ("bank/corporate_gbk.csv", input(InputKind::Bank, Some(BankStatement))),
            ("bank/statement_gbk_newest_first.csv", input(InputKind::Bank, Some(BankStatement))),
            ("bank/signed_amount_utf16le.csv", input(InputKind::Bank, Some(BankStatement))),
            ("bank/payouts.csv", input(InputKind::Payouts, Some(PayoutInstructions))),
            ("bank/ledger.csv", input(InputKind::SubLedger, Some(SubLedger))),
            ("sheets/statement.xlsx", InputDetection::Unknown { why: Undecided::Spreadsheet }),
            ("malformed/prose_not_a_table.txt", InputDetection::Unknown { why: Undecided::NoHeader }),
            ("malformed/binary_junk.csv", InputDetection::Unknown { why: Undecided::NotText }),
            ("malformed/empty.csv", InputDetection::Unknown { why: Undecided::NotText }),
        ]
    }

    #[test]
    fn every_fixture_goes_to_its_input() {
        for (path, expected) in fixtures() {
            assert_eq!(detect_input(&fixture(path)), expected, "{path}");
        }
    }

    /// What detection says is what the readers of that input then read without an error.
    #[test]
    fn the_input_detected_is_one_that_reads_the_file() {
        use crate::read::{Purpose, Read, ReadOptions};
        use crate::record::Side;
        let profile = crate::profile::Profile::default();
        let read_as = |purpose| ReadOptions::new(purpose, &profile);
        for (path, detected) in fixtures() {
            let bytes = fixture(path);
            let name = path.rsplit('/').next().unwrap_or(path);
            let read = match detected {
                InputDetection::Input { kind: InputKind::Channel, .. } | InputDetection::OrderTable => {
                    super::super::read(name, bytes.into(), &mut read_as(Purpose::Match(Side::Channel))).map(|r| r.len())
                }
                InputDetection::Input { kind: InputKind::Bank, .. } => {
                    super::super::read(name, bytes.into(), &mut read_as(Purpose::Fund(InputKind::Bank))).map(
                        |r| match r.as_slice() {
                            [Read::Statement(s)] => s.entries.len(),
                            _ => 0,
                        },
                    )
                }
                InputDetection::Input { kind: InputKind::Payouts, .. } => {
                    super::super::read(name, bytes.into(), &mut read_as(Purpose::Fund(InputKind::Payouts))).map(|r| {
                        match r.as_slice() {
                            [Read::Payouts(p)] => p.payouts.len(),
                            _ => 0,
                        }
                    })
                }
                InputDetection::Input { kind: InputKind::SubLedger, .. } => {
                    super::super::read(name, bytes.into(), &mut read_as(Purpose::Fund(InputKind::SubLedger))).map(|r| {
                        match r.as_slice() {
                            [Read::SubLedger(l)] => l.lines.len(),
                            _ => 0,
                        }
                    })
                }
                _ => continue,
            };
            assert!(read.as_ref().is_ok_and(|&n| n > 0), "{path} as {detected:?}: {read:?}");
        }
    }

    #[test]
    fn a_carry_state_is_recognized_and_other_json_is_not() {
        // What a run writes (tests/fund_flow.rs checks a real one).
        let state = b"{\n  \"duizhang_state\": 1,\n  \"as_of\": null,\n  \"items\": []\n}";
        assert_eq!(detect_input(state), input(InputKind::Carry, None));
        assert_eq!(
            detect_input(b"{\"format\": \"wechat_trade\"}\n"),
            InputDetection::Unknown { why: Undecided::NoHeader }
        );
    }

    #[test]
    fn a_bank_statement_is_never_an_order_table_and_an_order_export_never_a_statement() {
        // Without a balance column: the debit and credit columns make it a statement.
        let statement = "交易日期,借方发生额,贷方发生额,对方户名,摘要\n2026-03-25,,1.00,财付通,结算\n";
        assert_eq!(detect_input(statement.as_bytes()), input(InputKind::Bank, Some(Format::BankStatement)));
        // An order export with a stored-value balance and a date: an order number makes it orders.
        let orders = "订单号,交易日期,金额,余额,状态\nA1,2026-03-25,1.00,9.00,已支付\n";
        assert_eq!(detect_input(orders.as_bytes()), InputDetection::OrderTable);
    }

    /// A head cut anywhere (mid-record, mid-character, mid-deflate-stream) never panics, and a
    /// head holding the header decides as the whole file does.
    #[test]
    fn truncated_heads_never_panic_and_decide_like_the_whole_file() {
        for (path, expected) in fixtures() {
            let bytes = fixture(path);
            for cut in 0..bytes.len() {
                let _ = detect_input(&bytes[..cut]);
            }
            // Cut inside the last record: 1 to 4 bytes before the end (a GB18030 or UTF-8
            // character, or a UTF-16 unit, is split by some of these).
            if matches!(path.rsplit('.').next(), Some("csv" | "txt")) && !path.starts_with("malformed/") {
                for back in 2..=5 {
                    let cut = bytes.len() - back;
                    assert_eq!(detect_input(&bytes[..cut]), expected, "{path} cut {back} bytes before the end");
                }
            }
        }
    }

    #[test]
    fn the_first_64_kib_of_a_large_file_are_enough() {
        // A GB18030 statement of 3,000 movements, cut at INPUT_HEAD_BYTES (mid-row, maybe mid-character).
        let mut text = String::from("账户明细查询\n交易日期,交易时间,摘要,借方发生额,贷方发生额,余额,对方户名\n");
        for i in 0..3000 {
            text.push_str(&format!(
                "2026-03-25,1015{:02},财付通结算,,{i}.58,{i}1385.58,财付通支付科技有限公司\n",
                i % 60
            ));
        }
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        assert!(gbk.len() > INPUT_HEAD_BYTES);
        assert_eq!(detect_input(&gbk[..INPUT_HEAD_BYTES]), input(InputKind::Bank, Some(Format::BankStatement)));

        // A gzip'd WeChat bill whose compressed head holds far more than the header: inflated only
        // up to INPUT_HEAD_BYTES, from the first 4 KiB of the archive.
        let bill = String::from_utf8(fixture("wechat/trade_all_bom_crlf.csv")).expect("UTF-8");
        let (header, rows) = bill.split_once('\n').expect("a header");
        let row = rows.lines().next().expect("a row");
        let mut big = format!("{header}\n");
        for i in 0u64.. {
            if big.len() > 4 * INPUT_HEAD_BYTES {
                break;
            }
            // Rows that differ, so the archive is not mostly back-references.
            big.push_str(&format!("{row}{}\n", i.wrapping_mul(2_654_435_761) % 1_000_000_007));
        }
        let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        gz.extend(miniz_oxide::deflate::compress_to_vec(big.as_bytes(), 6));
        assert!(gz.len() > 4096);
        assert_eq!(detect_input(&gz[..4096]), input(InputKind::Channel, Some(Format::WechatTrade)));
    }

    #[test]
    fn the_json_for_the_page() {
        let json = |d: InputDetection| serde_json::to_value(d).expect("JSON");
        let bank = json(input(InputKind::Bank, Some(Format::BankStatement)));
        assert_eq!(
            bank,
            serde_json::json!({"input": "bank", "format": "bank_statement", "order_table": false, "why": null})
        );
        let orders = json(InputDetection::OrderTable);
        assert_eq!(
            orders,
            serde_json::json!({"input": null, "format": "generic_csv", "order_table": true, "why": null})
        );
        assert_eq!(json(input(InputKind::Carry, None))["input"], "carry");
        assert_eq!(json(InputDetection::Unknown { why: Undecided::Spreadsheet })["why"], "spreadsheet");
    }
}
