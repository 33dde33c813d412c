//! The built-in sample day: a realistic order export and channel bill that show every outcome.
//! Embedded so the page can run it without a single network request.

use crate::record::Side;

/// One embedded sample file.
#[derive(Clone, Copy, Debug)]
pub struct SampleFile {
    /// Side of the file.
    pub side: Side,
    /// File name.
    pub name: &'static str,
    /// Raw bytes, exactly as a merchant would download them.
    pub bytes: &'static [u8],
}

/// The sample day (2026-03-24), the same files as `tests/fixtures/sample/`.
pub const SAMPLE_DAY: [SampleFile; 2] = [
    SampleFile {
        side: Side::Internal,
        name: "orders.csv",
        bytes: include_bytes!("../tests/fixtures/sample/orders.csv"),
    },
    SampleFile {
        side: Side::Channel,
        name: "channel.csv",
        bytes: include_bytes!("../tests/fixtures/sample/channel.csv"),
    },
];

/// The sample day's profile: a tolerance of ¥0.05, so `matched_within_tolerance` shows too.
pub const SAMPLE_PROFILE: &str = include_str!("../tests/fixtures/sample/profile.json");
