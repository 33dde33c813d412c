//! Seeded generator of a day of orders and a channel bill with known discrepancies, shared by
//! `examples/generate.rs` (benchmark data) and `tests/scale.rs` (correctness at scale); its `Rng`
//! also drives the mutation, shuffle and fund-flow property tests.
//! The layout is the peer benchmark's (`../shared/bench/gen.py`). Every order has exactly one role,
//! so the expected counts are exact.
#![allow(dead_code)]

/// xorshift64*: tiny, seeded, reproducible everywhere.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Fisher-Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i as u64 + 1) as usize);
        }
    }
}

fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn time(seconds: u64) -> String {
    let (day, s) = if seconds < 86_400 { ("2024-03-15", seconds) } else { ("2024-03-16", seconds - 86_400) };
    format!("{day} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The expected result of a generated day.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Truth {
    pub matched: u64,
    pub amount_mismatch: u64,
    pub status_mismatch: u64,
    pub internal_only: u64,
    pub external_only: u64,
    pub duplicate: u64,
    pub cross_day: u64,
}

/// Generates `rows` orders; returns (internal.csv, channel.csv, truth).
pub fn generate(rows: u64, seed: u64) -> (String, String, Truth) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);

    // Per 1,000 orders: 5 internal_only, 3 amount_mismatch, 2 status_mismatch, 1 duplicate,
    // 3 cross_day (matched); about one channel row in 200 no order claims (external_only).
    let (mut internal, mut channel) = (String::new(), String::new());
    internal.push_str("order_no,merchant_id,amount,status,created_at\n");
    channel.push_str("trade_no,order_no,merchant_id,amount,fee,trade_type,trade_time\n");
    let mut truth = Truth::default();
    let mut trade = 0u64;
    let mut bill_lines: Vec<String> = Vec::with_capacity(rows as usize + rows as usize / 100);
    let mut order_lines: Vec<String> = Vec::with_capacity(rows as usize);
    for n in 0..rows {
        let order_no = format!("O{:012}", n * 7919 % 1_000_000_000_000 + 100_000_000_000);
        let merchant = format!("M{:04}", 1 + rng.below(200));
        let cents = 1 + rng.below(5_000_000);
        let role = rng.below(1000);
        let (created, paid) = if (11..14).contains(&role) {
            let created = 86_400 - 120 + rng.below(120);
            (created, 86_400 + rng.below(120))
        } else {
            let created = rng.below(86_400 - 120);
            (created, created + 1 + rng.below(60))
        };
        // Roles 8 and 9: booked CLOSED, paid at the channel. 2% of clean orders: CLOSED and REFUND.
        let consistent_refund = role >= 14 && rng.below(50) == 0;
        let (status, trade_type) = match role {
            8 | 9 => ("CLOSED", "SUCCESS"),
            _ if consistent_refund => ("CLOSED", "REFUND"),
            _ => ("SUCCESS", "SUCCESS"),
        };
        order_lines.push(format!("{order_no},{merchant},{},{status},{}", money(cents), time(created)));
        if role < 5 {
            truth.internal_only += 1;
            continue;
        }
        let bill_cents = if (5..8).contains(&role) {
            truth.amount_mismatch += 1;
            let d = 1 + rng.below(10_000);
            if cents > d {
                cents - d
            } else {
                cents + d
            }
        } else {
            cents
        };
        trade += 1;
        let line = format!(
            "T2024031{trade:011},{order_no},{merchant},{},{},{trade_type},{}",
            money(bill_cents),
            money((bill_cents * 6 + 500) / 1000),
            time(paid)
        );
        match role {
            8 | 9 => truth.status_mismatch += 1,
            10 => {
                truth.matched += 1;
                truth.duplicate += 1;
                bill_lines.push(line.clone());
            }
            5..=7 => {}
            _ => {
                truth.matched += 1;
                if (11..14).contains(&role) {
                    truth.cross_day += 1;
                }
            }
        }
        bill_lines.push(line);
        if n % 200 == 199 {
            trade += 1;
            truth.external_only += 1;
            let cents = 1 + rng.below(5_000_000);
            bill_lines.push(format!(
                "T2024031{trade:011},X{:012},M{:04},{},{},SUCCESS,{}",
                n,
                1 + rng.below(200),
                money(cents),
                money((cents * 6 + 500) / 1000),
                time(rng.below(86_400 - 120))
            ));
        }
    }
    // Shuffle both files: the engine must not depend on row order.
    for lines in [&mut order_lines, &mut bill_lines] {
        for i in (1..lines.len()).rev() {
            lines.swap(i, rng.below(i as u64 + 1) as usize);
        }
    }
    for line in &order_lines {
        internal.push_str(line);
        internal.push('\n');
    }
    for line in &bill_lines {
        channel.push_str(line);
        channel.push('\n');
    }
    (internal, channel, truth)
}
