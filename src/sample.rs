//! The built-in sample day: a realistic order export and channel bill that show every outcome.
//! Embedded so the page can run it without a single network request.

use crate::record::InputKind;

/// One embedded sample file.
#[derive(Clone, Copy, Debug)]
pub struct SampleFile {
    /// The input the file is.
    pub input: InputKind,
    /// File name.
    pub name: &'static str,
    /// Raw bytes, exactly as a merchant would download them.
    pub bytes: &'static [u8],
}

/// The sample day (2026-03-24), the same files as `tests/fixtures/sample/`.
pub const SAMPLE_DAY: [SampleFile; 2] = [
    SampleFile {
        input: InputKind::Internal,
        name: "orders.csv",
        bytes: include_bytes!("../tests/fixtures/sample/orders.csv"),
    },
    SampleFile {
        input: InputKind::Channel,
        name: "channel.csv",
        bytes: include_bytes!("../tests/fixtures/sample/channel.csv"),
    },
];

/// The sample day's profile: a tolerance of ¥0.05, so `matched_within_tolerance` shows too.
pub const SAMPLE_PROFILE: &str = include_str!("../tests/fixtures/sample/profile.json");

/// The built-in fund-flow sample, the same files as `tests/fixtures/bank/` (day one, 2026-03-25): a
/// WeChat-style channel bill, the corporate account's statement, payout instructions and the
/// merchants' sub-ledger. It shows a credit covering several settlement days, a settlement split
/// over two credits, a payout, a batch in transit, unexplained movements and a 余额调节表 that balances.
pub const SAMPLE_FUND_FLOW: [SampleFile; 4] = [
    SampleFile {
        input: InputKind::Channel,
        name: "channel.csv",
        bytes: include_bytes!("../tests/fixtures/bank/channel.csv"),
    },
    SampleFile {
        input: InputKind::Bank,
        name: "statement_corporate.csv",
        bytes: include_bytes!("../tests/fixtures/bank/statement_corporate.csv"),
    },
    SampleFile {
        input: InputKind::Payouts,
        name: "payouts.csv",
        bytes: include_bytes!("../tests/fixtures/bank/payouts.csv"),
    },
    SampleFile {
        input: InputKind::SubLedger,
        name: "ledger.csv",
        bytes: include_bytes!("../tests/fixtures/bank/ledger.csv"),
    },
];

/// The fund-flow sample's profile: T+1 on business days, a window of 3 days.
pub const SAMPLE_FUND_FLOW_PROFILE: &str = include_str!("../tests/fixtures/bank/profile.json");

/// The fund-flow sample's reconciliation date.
pub const SAMPLE_FUND_FLOW_DATE: &str = "2026-03-25";
