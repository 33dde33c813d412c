
/** A side of the reconciliation: the merchant's own records, or the channel's bill. */
export type Side = "internal" | "channel";
/** What `addFile` also accepts: a bank statement, payout instructions, a merchant sub-ledger, a carry state. */
export type FundSide = "bank" | "payouts" | "book" | "carry";
/** Fund-flow outcome codes (see DOMAIN.md). */
export type FundOutcome = "matched" | "matched_within_tolerance" | "in_transit" | "internal_only"
  | "external_only" | "unexplained_movement";
export interface FundInputInfo {
  side: "bank" | "payouts" | "book"; name: string; encoding: string | null; header_line: number | null;
  header: string[]; columns: Record<string, string>; rows: number; issues: number;
  /** A statement's total row checked against its movements (empty for payouts and sub-ledgers). */
  checks: Check[];
}
export interface CarryInfo { side: "carry"; name: string; as_of: string | null; items: number }
export interface BatchView {
  id: string; merchant: string; settle_date: string; trade_from: string; trade_to: string;
  gross: Money; refunds: Money; fees: Money; net: Money; carried_since: string | null;
}
export interface MovementView {
  id: string; file: string; line: number; date: string; amount: Money; merchant: string | null;
  counterparty: string; memo: string; carried_since: string | null;
}
export interface PayoutView {
  id: string; file: string; line: number; merchant: string; amount: Money; account: string; reference: string; date: string;
}
export interface FundMatch {
  kind: "settlement" | "payout"; outcome: FundOutcome; merchant: string; d: Money; label: "长款" | "短款" | null;
  credit: MovementView | null; credits: MovementView[]; batches: BatchView[]; payouts: PayoutView[]; explanation: string;
}
export interface FundItem {
  id: string; kind: "batch" | "credit" | "debit" | "payout"; outcome: FundOutcome; outcome_zh: string;
  merchant: string; date: string; amount: Money; d: Money; label: "长款" | "短款" | null; age_days: number | null;
  carried_since: string | null; file: string; line: number; memo: string; message: string;
}
export interface MerchantTotals {
  merchant: string; batches: number; settled: Money; credited: Money; matched: Money; in_transit: Money;
  internal_only: Money; external_only: Money;
}
export interface BalanceReport {
  running_breaks: { file: string; line: number; expected: Money; found: Money; missing: Money }[];
  statements: { file: string; account: string | null; first_date: string | null; last_date: string | null; opening: Money | null;
    credits: Money; debits: Money; closing: Money | null; consistent: boolean; checks: Check[];
    days: { date: string; opening: Money | null; credits: Money; debits: Money; closing: Money | null; consistent: boolean }[] }[];
  continuity_breaks: { file: string; previous_file: string; expected: Money; found: Money; missing: Money }[];
  statement: {
    book_balance: Money; book_source: string; bank_balance: Money; bank_received_not_booked: Money;
    bank_paid_not_booked: Money; booked_received_not_at_bank: Money; booked_paid_not_at_bank: Money;
    adjusted_book: Money; adjusted_bank: Money; difference: Money; outcome: "matched" | "balance_break";
    label: "长款" | "短款" | null;
  } | null;
}
export interface FundFlowSummary {
  as_of: string | null; settings: Record<string, string>;
  counts: Record<FundOutcome | "balance_break", number>; items: { batches: number; movements: number; payouts: number };
  unbatched_channel_rows: number; match_count: number; exception_count: number;
  unexplained_movements: FundItem[]; merchants: MerchantTotals[]; carried_out: number;
  search_budget_exhausted: boolean; balance: BalanceReport | null;
}
/** Outcome codes (see DOMAIN.md). */
export type Outcome = "matched" | "matched_within_tolerance" | "amount_mismatch" | "status_mismatch"
  | "internal_only" | "external_only" | "duplicate" | "pending";
/** Money is always a decimal string, never a number. */
export type Money = string;
/** Statement layouts, detected from content or forced by the profile's `format`. */
export type Format = "generic_csv" | "wechat_trade" | "wechat_fund_flow" | "alipay_trade" | "alipay_summary"
  | "alipay_account_flow" | "unionpay_zm" | "bank_statement";
/** A total the file states about itself, checked against its detail. */
export interface Check { name: string; expected: string; found: string; passed: boolean }
export interface FileInfo {
  side: Side; name: string; encoding: string; delimiter: string; header_line: number;
  header: string[]; columns: Record<string, string>; rows: number; skipped: number;
  format: Format; variant: string; checks: Check[];
}
/** What `inspect` says about one file (one per file inside an archive). */
export interface Inspection {
  name: string; format: Format; variant: string; encoding: string; rows: number; skipped: number;
  issues: RowIssue[]; checks: Check[];
}
export interface RowCounts { read: number; reconciled: number; skipped: number }
export interface Summary {
  date: string | null; date_source: "input" | "inferred" | "none"; cutoff: string | null;
  files: FileInfo[]; counts: Record<Outcome, number>; amounts: Record<Outcome, Money>;
  long_total: Money; short_total: Money; cross_day: number;
  rows: { internal: RowCounts; channel: RowCounts }; issue_count: number; exception_count: number;
}
export interface RowView {
  file: string; line: number; order_no: string; trade_no: string; refund_no: string; merchant_id: string;
  amount: Money; fee: Money | null; status: "success" | "refund" | "closed" | "pending"; status_word: string;
  time: string | null; columns: Record<string, string>;
}
export interface Exception {
  class: Outcome; class_zh: string; key: string; key_field: "order_no" | "trade_no" | "refund_no";
  d: Money; label: "长款" | "短款" | null; cross_day: boolean; message: string;
  internal: RowView | null; channel: RowView | null;
}
export interface RowIssue {
  file: string; side: Side; line: number | null; column: number | null; code: string; message: string;
}
export interface Page<T> { total: number; offset: number; rows: T[] }
export interface SampleFile { side: Side; name: string; bytes: Uint8Array }
/** The built-in fund-flow sample: its files (give each to `addFile(side, name, bytes)`), profile and date. */
export interface FundFlowSample {
  files: { side: Side | "bank" | "payouts" | "book"; name: string; bytes: Uint8Array }[];
  profile: string; date: string;
}
/**
 * What `detectSide` says a file is, from its first bytes: `side` the input it belongs to (null when
 * the content does not decide), `format` the layout that claimed it, `order_table` true for a plain
 * table of orders (an order export or a simple channel bill: only the name can tell), `why` the
 * reason content did not decide (`spreadsheet`, `container`, `not_text`, `no_header`).
 */
export interface SideDetection {
  side: "channel" | "bank" | "payouts" | "book" | "carry" | null; format: Format | null;
  order_table: boolean; why: "spreadsheet" | "container" | "not_text" | "no_header" | null;
}
/** Every error thrown by this module is an Error with these fields. */
export interface DuizhangError extends Error { code: string; file?: string; line?: number; column?: number }

