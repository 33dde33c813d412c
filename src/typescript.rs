//! The TypeScript declarations of everything that crosses the Wasm boundary, generated from the
//! Rust types (ts-rs for the structs, `typescript_union` for the code enums), so the `.d.ts` can
//! never drift from what the module returns. `tests/typescript.rs` compares the checked-in
//! `src/wasm/types.d.ts` with this text (and rewrites it with `DUIZHANG_WRITE_TYPES=1`).

use crate::codes::{typescript_union, Code};
use ts_rs::{Config, TS};

/// What the generated part cannot say: the JavaScript-only shapes around the Rust values.
const HANDWRITTEN: &str = include_str!("wasm/types.handwritten.d.ts");

struct Declarations {
    config: Config,
    text: String,
    names: Vec<String>,
    dependencies: Vec<(String, String)>,
}

impl Declarations {
    fn code<C: Code>(&mut self) -> &mut Self {
        self.names.push(C::NAME.to_string());
        self.text.push_str(&typescript_union::<C>());
        self.text.push('\n');
        self
    }

    fn declare<T: TS + 'static>(&mut self) -> &mut Self {
        let name = T::ident(&self.config);
        if let Some(docs) = T::docs() {
            self.text.push_str(&docs);
        }
        self.text.push_str("export ");
        self.text.push_str(&T::decl(&self.config));
        self.text.push('\n');
        for dependency in T::dependencies(&self.config) {
            self.dependencies.push((name.clone(), dependency.ts_name));
        }
        self.names.push(name);
        self
    }
}

/// The generated declarations; an error names a type that is used but not declared.
pub fn declarations() -> Result<String, String> {
    use crate::clearing::{ClearingAmounts, ClearingDay, ClearingException, ClearingReport, MerchantClearing};
    use crate::fund_flow::balance::{
        BalanceReport, BankBalance, ContinuityBreak, LaterMovement, ReconciliationStatement,
    };
    use crate::read::{DayTotals, RunningBreak, StatementTotals};
    use crate::report::fund_flow::{FundCounts, FundFlowReport, FundFlowSummary, FundTotals, MerchantTotals};
    use crate::report::{BatchView, Breakdown, ItemView, MatchView, MovementView, PayoutView};
    use crate::report::{CarryInfo, Exception, FileInfo, InputInfo, Inspection, Page, RowCounts, RowView, RowsPerSide};
    use crate::report::{ClearingSummary, Report, Summary, SummaryView};
    use crate::{classify, error, format, fund_flow, handling, profile, read, record, report, run, vocabulary};

    let mut d = Declarations {
        config: Config::new().with_large_int("number"),
        text: String::from(
            "// Generated from the Rust types by src/typescript.rs: do not edit. Regenerate with\n\
             // DUIZHANG_WRITE_TYPES=1 cargo test --features typescript --test typescript\n\n\
             /** Money is always a decimal string (\"25728.30\"), never a number. */\n\
             export type Money = string;\n",
        ),
        names: vec!["Money".into()],
        dependencies: Vec::new(),
    };
    d.code::<classify::Outcome>()
        .code::<classify::Label>()
        .code::<fund_flow::FundOutcome>()
        .code::<fund_flow::MatchKind>()
        .code::<fund_flow::carry::CarriedKind>()
        .code::<report::FundItemKind>()
        .code::<report::CauseKind>()
        .code::<format::Format>()
        .code::<crate::clearing::ClearingClass>()
        .code::<crate::clearing::ClearingLevel>()
        .code::<crate::clearing::PayoutRule>()
        .code::<crate::clearing::LedgerCheck>()
        .code::<record::Field>()
        .code::<record::Status>()
        .code::<record::Side>()
        .code::<record::InputKind>()
        .code::<profile::KeyChoice>()
        .code::<run::Phase>()
        .code::<report::DateSource>()
        .code::<read::Encoding>()
        .code::<error::ErrorCode>()
        .code::<read::IssueCode>()
        .code::<read::input::Undecided>()
        .code::<handling::Action>()
        .code::<handling::ItemState>()
        .code::<handling::Domain>()
        .code::<report::DocumentKind>();
    d.declare::<SummaryView>()
        .declare::<Summary>()
        .declare::<classify::PerOutcome<u64>>()
        .declare::<RowsPerSide>()
        .declare::<RowCounts>()
        .declare::<FileInfo>()
        .declare::<read::Check>()
        .declare::<Inspection>()
        .declare::<read::input::InputDetectionView>()
        .declare::<read::RowIssue>()
        .declare::<Exception>()
        .declare::<RowView>()
        .declare::<Page<u8>>()
        .declare::<InputInfo>()
        .declare::<CarryInfo>()
        .declare::<FundFlowSummary>()
        .declare::<FundCounts>()
        .declare::<FundTotals>()
        .declare::<MatchView>()
        .declare::<Breakdown>()
        .declare::<crate::report::Cause>()
        .declare::<ItemView>()
        .declare::<BatchView>()
        .declare::<MovementView>()
        .declare::<PayoutView>()
        .declare::<MerchantTotals>()
        .declare::<ClearingSummary>()
        .declare::<ClearingReport>()
        .declare::<ClearingAmounts>()
        .declare::<MerchantClearing>()
        .declare::<ClearingDay>()
        .declare::<ClearingException>()
        .declare::<BalanceReport>()
        .declare::<ReconciliationStatement>()
        .declare::<ContinuityBreak>()
        .declare::<BankBalance>()
        .declare::<LaterMovement>()
        .declare::<RunningBreak>()
        .declare::<StatementTotals>()
        .declare::<DayTotals>()
        .declare::<Report>()
        .declare::<FundFlowReport>()
        .declare::<vocabulary::Vocabulary>()
        .declare::<vocabulary::Term>()
        .declare::<handling::ResolutionView>()
        .declare::<handling::Resolution>()
        .declare::<handling::HandlingReport>()
        .declare::<handling::OpenItem>()
        .declare::<handling::AuditEntry>()
        .declare::<report::DocumentLine>()
        .declare::<report::Documents>();
    for (user, used) in &d.dependencies {
        if !d.names.contains(used) {
            return Err(format!("{user} uses {used}, which src/typescript.rs does not declare"));
        }
    }
    d.text.push('\n');
    d.text.push_str(HANDWRITTEN);
    Ok(d.text)
}
