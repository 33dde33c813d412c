//! Properties of reconciliation over generated days (proptest; a failure is shrunk to a small day):
//! every row ends in exactly one outcome and the amounts per outcome are those of its rows; d sums
//! to the long, short and timing totals; shuffling the rows changes nothing but line numbers; and
//! reading a file in chunks of any size gives what reading it whole gives.
//! The days are small with few keys and amounts, so duplicates, pairs and every outcome are common.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fuzz_entry.rs"]
mod fuzz_entry;

use duizhang::{FileInfo, Input, InputKind, Profile, Reconciliation, Report, SharedBytes, Source};
use proptest::prelude::*;

/// One row of either file.
#[derive(Clone, Debug)]
struct Row {
    key: u8,
    cents: u32,
    status: &'static str,
    /// Minutes after 2024-03-15 00:00; past 1440 is the next day (cross-day, the cut-off window).
    minute: u32,
    /// A refund row's own number, making it its own item.
    refund: Option<u8>,
    /// A cell the reader must unquote: a comma, doubled quotes, a line break, Chinese text.
    note: &'static str,
    /// An amount no reader accepts: the row is skipped, and still counted as read.
    bad_amount: bool,
}

const STATUSES: &[&str] = &["SUCCESS", "SUCCESS", "SUCCESS", "CLOSED", "REFUND", "NOTPAY", "支付成功", "WHATEVER"];
const NOTES: &[&str] = &["", "plain", "\"a, comma\"", "\"two\r\nlines\"", "\"say \"\"hi\"\"\"", "商户 留言"];
/// Few amounts, so equal amounts (exact pairs) and near ones (tolerance) are common.
const CENTS: &[u32] = &[100, 101, 1000, 1005, 99_999, 0, 12_345_678];

fn row() -> impl Strategy<Value = Row> {
    (
        0u8..12,
        prop::sample::select(CENTS),
        prop::sample::select(STATUSES),
        0u32..1500,
        prop::option::weighted(0.15, 0u8..4),
        prop::sample::select(NOTES),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(key, cents, status, minute, refund, note, bad_amount)| Row {
            key,
            cents,
            status,
            minute,
            refund: refund.filter(|_| status == "REFUND"),
            note,
            bad_amount,
        })
}

fn day() -> impl Strategy<Value = (Vec<Row>, Vec<Row>)> {
    (prop::collection::vec(row(), 1..40), prop::collection::vec(row(), 1..40))
}

/// A file of `rows` with a header; `crlf` and a byte-order mark as exports often have.
fn csv(rows: &[Row], header: &str, crlf: bool, bom: bool) -> Vec<u8> {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(header);
    out.push_str(end);
    for r in rows {
        let amount =
            if r.bad_amount { "12.3.4".to_string() } else { format!("{}.{:02}", r.cents / 100, r.cents % 100) };
        let (day, minute) = if r.minute < 1440 { (15, r.minute) } else { (16, r.minute - 1440) };
        let refund = r.refund.map(|n| format!("R{n}")).unwrap_or_default();
        let time = format!("2024-03-{day} {:02}:{:02}:07", minute / 60, minute % 60);
        out.push_str(&format!("K{:03},{amount},{},{time},{refund},{}{end}", r.key, r.status, r.note));
    }
    out.into_bytes()
}

fn orders_csv(rows: &[Row]) -> Vec<u8> {
    csv(rows, "order_no,amount,status,created_at,refund_no,note", false, true)
}

fn bill_csv(rows: &[Row]) -> Vec<u8> {
    csv(rows, "order_no,amount,trade_type,trade_time,refund_no,note", true, false)
}

fn profile() -> Profile {
    Profile::from_json(r#"{"tolerance": "0.05"}"#).expect("a valid profile")
}

fn reconciled(orders: Vec<u8>, bill: Vec<u8>) -> Reconciliation {
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(InputKind::Internal, "orders.csv", orders)).expect("orders read");
    run.add(Input::new(InputKind::Channel, "bill.csv", bill)).expect("the bill reads");
    run.run(duizhang::parse_date("2024-03-15").ok()).expect("the run completes");
    run
}

/// An exception's outcome, key, d and each side's amount and status.
type ExceptionFacts = (String, String, String, String, String);

/// What a reader of the report checks, without line numbers: they change when rows move.
/// Exceptions are sorted by outcome, key and line, so the list is compared as a sorted multiset.
fn line_free(report: &Report) -> (String, Vec<ExceptionFacts>) {
    let s = &report.summary;
    let summary = format!(
        "{:?} {:?} {} {} {} {} {:?}",
        s.counts, s.amounts, s.long_total, s.short_total, s.timing_total, s.cross_day, s.rows
    );
    let side = |v: &Option<duizhang::RowView>| v.as_ref().map(|v| format!("{} {:?}", v.amount, v.status));
    let mut exceptions: Vec<_> = report
        .exceptions
        .iter()
        .map(|e| {
            let (internal, channel) = (side(&e.internal).unwrap_or_default(), side(&e.channel).unwrap_or_default());
            (e.class.code().to_string(), e.key.clone(), e.d.to_string(), internal, channel)
        })
        .collect();
    exceptions.sort();
    (summary, exceptions)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Counts per outcome sum to the rows read (a pair is two rows), each outcome's amount is the
    /// sum of its rows' (booked, else channel), and d sums to the long, short and timing totals.
    #[test]
    fn every_row_ends_in_one_outcome_and_amounts_are_conserved((orders, bill) in day()) {
        let run = reconciled(orders_csv(&orders), bill_csv(&bill));
        fuzz_entry::check_run(&run);
        let report = run.report().expect("a report");
        let rows = &report.summary.rows;
        prop_assert_eq!(rows.internal.read, orders.len() as u64);
        prop_assert_eq!(rows.channel.read, bill.len() as u64);
        let skipped = |rows: &[Row]| rows.iter().filter(|r| r.bad_amount).count() as u64;
        prop_assert!(rows.internal.skipped >= skipped(&orders) && rows.channel.skipped >= skipped(&bill));
        let d: duizhang::Money = report.exceptions.iter().map(|e| e.d).sum();
        let s = &report.summary;
        prop_assert_eq!(d.decimal(), (s.long_total + s.short_total + s.timing_total).decimal());
    }

    /// Shuffled rows on both sides give the same report but for line numbers.
    #[test]
    fn row_order_does_not_change_the_report(
        (orders, bill) in day(),
        order_seed in any::<u64>(),
        bill_seed in any::<u64>(),
    ) {
        let baseline = reconciled(orders_csv(&orders), bill_csv(&bill));
        let (mut orders2, mut bill2) = (orders.clone(), bill.clone());
        shuffle(&mut orders2, order_seed);
        shuffle(&mut bill2, bill_seed);
        let shuffled = reconciled(orders_csv(&orders2), bill_csv(&bill2));
        let (a, b) = (baseline.report().expect("a report"), shuffled.report().expect("a report"));
        prop_assert_eq!(line_free(a), line_free(b));
    }

    /// Any chunk and window size (as a browser `Blob` is read) gives the whole read's tables,
    /// issues, rows and report, byte for byte.
    #[test]
    fn reading_in_chunks_is_reading_whole(
        (orders, bill) in day(),
        chunk in 1usize..300,
        window in 1usize..100,
    ) {
        let (orders, bill) = (orders_csv(&orders), bill_csv(&bill));
        for (kind, bytes) in [(InputKind::Internal, &orders), (InputKind::Channel, &bill)] {
            let whole = read_facts(kind, Source::Owned(bytes.clone()));
            let chunked = read_facts(kind, external(bytes, chunk, window));
            prop_assert_eq!(chunked, whole);
        }
        let report = |source: &dyn Fn(&[u8]) -> Source| {
            let mut run = Reconciliation::new(profile());
            run.add(Input::new(InputKind::Internal, "orders.csv", source(&orders))).expect("orders read");
            run.add(Input::new(InputKind::Channel, "bill.csv", source(&bill))).expect("the bill reads");
            run.run(duizhang::parse_date("2024-03-15").ok()).expect("runs").to_json()
        };
        let whole = report(&|b| Source::Owned(b.to_vec()));
        prop_assert_eq!(report(&|b| external(b, chunk, window)), whole);
    }
}

/// Fisher-Yates from a seed proptest chose (`prop_shuffle` would shrink the order, not the day).
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        items.swap(i, ((seed >> 33) % (i as u64 + 1)) as usize);
    }
}

fn external(bytes: &[u8], chunk: usize, window: usize) -> Source {
    Source::External(Box::new(SharedBytes::new(bytes.to_vec(), chunk, window)))
}

/// The file infos, issues and every row's view of one read.
fn read_facts(kind: InputKind, source: Source) -> String {
    let mut run = Reconciliation::new(profile());
    run.add(Input::new(kind, "file.csv", source)).expect("a generated file reads");
    let mut out = String::new();
    for table in run.tables() {
        out.push_str(&serde_json::to_string(&FileInfo::of(table)).expect("file info"));
        out.push_str(&serde_json::to_string(&table.issues).expect("issues"));
        for row in table.rows_in_file_order() {
            out.push_str(&serde_json::to_string(&duizhang::engine::row_view(table, row).expect("a row")).expect("row"));
            out.push('\n');
        }
    }
    out
}
