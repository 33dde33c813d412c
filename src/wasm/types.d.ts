// Generated from the Rust types by src/typescript.rs: do not edit. Regenerate with
// DUIZHANG_WRITE_TYPES=1 cargo test --features typescript --test typescript

/** Money is always a decimal string ("25728.30"), never a number. */
export type Money = string;
export type Outcome = "matched" | "matched_within_tolerance" | "amount_mismatch" | "status_mismatch" | "internal_only" | "external_only" | "duplicate" | "pending";
export type Label = "长款" | "短款";
export type FundOutcome = "matched" | "matched_within_tolerance" | "amount_mismatch" | "in_transit" | "internal_only" | "external_only" | "unexplained_movement" | "not_reconciled" | "balance_break";
export type MatchKind = "settlement" | "payout";
export type CarriedKind = "batch" | "movement" | "payout";
export type FundItemKind = "batch" | "credit" | "debit" | "payout" | "pair";
export type CauseKind = "fee_rate" | "refund_other_day" | "make_up" | "rounding";
export type Format = "unionpay_zm" | "wechat_trade" | "wechat_fund_flow" | "alipay_trade" | "alipay_summary" | "alipay_account_flow" | "bank_statement" | "payout_instructions" | "sub_ledger" | "generic_csv";
export type ClearingClass = "fee_mismatch" | "payout_mismatch" | "sub_ledger_break";
export type ClearingLevel = "transaction" | "batch" | "merchant";
export type PayoutRule = "settlement_date" | "oldest_first";
export type LedgerCheck = "credits" | "debits" | "balance";
export type Field = "order_no" | "trade_no" | "amount" | "refund_amount" | "fee" | "status" | "time" | "merchant_id" | "refund_no" | "credit" | "debit" | "balance" | "direction" | "date" | "booked_credit" | "booked_debit" | "currency" | "transaction_currency" | "counterparty" | "counterparty_account" | "counterparty_bank" | "memo" | "note" | "purpose" | "place" | "reference" | "opening" | "service_provider" | "trade_type" | "fee_rate" | "settle_date";
export type Status = "success" | "refund" | "closed" | "pending";
export type Side = "internal" | "channel";
export type InputKind = "internal" | "channel" | "bank" | "payouts" | "sub_ledger" | "carry" | "resolutions";
export type KeyChoice = "order_no" | "trade_no" | "order_no_then_trade_no";
export type Phase = "read" | "match" | "report";
export type DateSource = "input" | "inferred" | "statement_end" | "settlement_end" | "none";
export type Encoding = "UTF-8" | "UTF-8 (BOM)" | "GB18030" | "UTF-16LE" | "UTF-16BE";
export type ErrorCode = "empty_file" | "not_text" | "no_known_columns" | "no_data_rows" | "invalid_profile" | "invalid_argument" | "io" | "cancelled" | "unknown_format" | "bad_container" | "inflated_too_large" | "spreadsheet_not_converted" | "bad_spreadsheet" | "internal";
export type IssueCode = "title_row_skipped" | "comment_row_skipped" | "total_row_skipped" | "unbalanced_quote" | "too_few_fields" | "too_many_fields" | "missing_key" | "invalid_key" | "invalid_amount" | "unknown_status" | "invalid_fee" | "invalid_time" | "invalid_date" | "encoding_repaired" | "invalid_balance" | "unknown_direction" | "direction_inferred" | "invalid_fixed_width_line" | "summary_mismatch" | "inner_file_skipped" | "balance_break" | "year_unknown" | "resolution_rejected" | "ids_assigned";
export type Undecided = "spreadsheet" | "container" | "not_text" | "no_header";
export type Action = "create_order" | "refund" | "adjust" | "suspend" | "write_off" | "accept";
export type ItemState = "open" | "parked" | "accepted" | "closed";
export type Domain = "transaction" | "fund_flow" | "clearing";
export type DocumentKind = "orders" | "refunds" | "adjustments" | "suspense";
/**
 * The summary of a run with its date and files (see [`Report::summary_view`]).
 */
export type Summary = { 
/**
 * The reconciliation date.
 */
date: string | null, 
/**
 * Where it came from.
 */
date_source: DateSource, 
/**
 * End of the reconciliation day.
 */
cutoff: string | null, 
/**
 * What was read from each file.
 */
files: Array<FileInfo>, 
/**
 * Items per outcome; a pair counts once. Every code is present.
 */
counts: PerOutcome<number>, 
/**
 * Sum per outcome of the booked amount (the channel amount when the books have no row).
 */
amounts: PerOutcome<Money>, 
/**
 * Sum of d over d > 0 (长款), timing items left out.
 */
long_total: Money, 
/**
 * Sum of d over d < 0 (短款), timing items left out.
 */
short_total: Money, 
/**
 * Sum of d over timing items (pending, 未达账项): not breaks, so in neither total above.
 */
timing_total: Money, 
/**
 * Paired items whose channel time falls after the cut-off.
 */
cross_day: number, 
/**
 * Rows per side.
 */
rows: RowsPerSide, 
/**
 * Number of issues.
 */
issue_count: number, 
/**
 * Number of exceptions.
 */
exception_count: number, 
/**
 * 差错处理: items still open, parked and accepted ones included (every part of the report);
 * only when resolutions were given or carried in (`handling` has the detail).
 */
open?: number, 
/**
 * 差错处理: items per action of their last resolution; only with resolutions.
 */
resolved?: Record<Action, number>, 
/**
 * 差错处理: the 长款 of `long_total` still open; only with resolutions.
 */
open_long_total?: Money, 
/**
 * 差错处理: the 短款 of `short_total` still open; only with resolutions.
 */
open_short_total?: Money, };
/**
 * Counts and totals of a run.
 */
export type SummaryTotals = { 
/**
 * Items per outcome; a pair counts once. Every code is present.
 */
counts: PerOutcome<number>, 
/**
 * Sum per outcome of the booked amount (the channel amount when the books have no row).
 */
amounts: PerOutcome<Money>, 
/**
 * Sum of d over d > 0 (长款), timing items left out.
 */
long_total: Money, 
/**
 * Sum of d over d < 0 (短款), timing items left out.
 */
short_total: Money, 
/**
 * Sum of d over timing items (pending, 未达账项): not breaks, so in neither total above.
 */
timing_total: Money, 
/**
 * Paired items whose channel time falls after the cut-off.
 */
cross_day: number, 
/**
 * Rows per side.
 */
rows: RowsPerSide, 
/**
 * Number of issues.
 */
issue_count: number, 
/**
 * Number of exceptions.
 */
exception_count: number, 
/**
 * 差错处理: items still open, parked and accepted ones included (every part of the report);
 * only when resolutions were given or carried in (`handling` has the detail).
 */
open?: number, 
/**
 * 差错处理: items per action of their last resolution; only with resolutions.
 */
resolved?: Record<Action, number>, 
/**
 * 差错处理: the 长款 of `long_total` still open; only with resolutions.
 */
open_long_total?: Money, 
/**
 * 差错处理: the 短款 of `short_total` still open; only with resolutions.
 */
open_short_total?: Money, };
/**
 * A count and an amount per outcome, serialized with one field per code in report order.
 */
export type PerOutcome<T> = { 
/**
 * For `matched`.
 */
matched: T, 
/**
 * For `matched_within_tolerance`.
 */
matched_within_tolerance: T, 
/**
 * For `amount_mismatch`.
 */
amount_mismatch: T, 
/**
 * For `status_mismatch`.
 */
status_mismatch: T, 
/**
 * For `internal_only`.
 */
internal_only: T, 
/**
 * For `external_only`.
 */
external_only: T, 
/**
 * For `duplicate`.
 */
duplicate: T, 
/**
 * For `pending`.
 */
pending: T, };
/**
 * Rows per side.
 */
export type RowsPerSide = { 
/**
 * The internal side.
 */
internal: RowCounts, 
/**
 * The channel side.
 */
channel: RowCounts, };
/**
 * Rows of one side: read = reconciled + skipped; nothing is lost.
 */
export type RowCounts = { 
/**
 * Records after the header (blank lines excluded).
 */
read: number, 
/**
 * Rows that ended in an outcome.
 */
reconciled: number, 
/**
 * Records skipped with an issue.
 */
skipped: number, };
/**
 * What was read from one file.
 */
export type FileInfo = { 
/**
 * `internal` or `channel`.
 */
side: Side, 
/**
 * File name.
 */
name: string, 
/**
 * Detected encoding.
 */
encoding: Encoding, 
/**
 * Detected delimiter.
 */
delimiter: string, 
/**
 * 1-based line of the header.
 */
header_line: number, 
/**
 * Header cells.
 */
header: Array<string>, 
/**
 * Which header each field was read from.
 */
columns: { [key in string]: string }, 
/**
 * Rows reconciled.
 */
rows: number, 
/**
 * Records after the header that were skipped (each has an issue).
 */
skipped: number, 
/**
 * The layout the file was read as (`generic_csv`, `wechat_trade`, …; see [`Format`]).
 */
format: Format, 
/**
 * The layout's version, e.g. `ALL`, `REFUND/子商户号`, `29 columns`; empty when it has one.
 */
variant: string, 
/**
 * The file's own totals checked against its detail: `{name, expected, found, passed}`.
 */
checks: Array<Check>, };
/**
 * A total the file states about itself, compared with what its detail adds up to.
 */
export type Check = { 
/**
 * What is compared, e.g. `总交易单数` or `#退款合计 商家实收`.
 */
name: string, 
/**
 * The file's own total, as written.
 */
expected: string, 
/**
 * The same total computed from the rows that were read.
 */
found: string, 
/**
 * Whether they agree (numerically: `1.0` equals `1.00`).
 */
passed: boolean, };
/**
 * What `duizhang inspect` and the Wasm `inspect` show about one file read on its own.
 */
export type Inspection = { 
/**
 * File name (`outer.zip/inner.csv` for a file inside an archive).
 */
name: string, 
/**
 * The layout code, e.g. `wechat_trade`.
 */
format: Format, 
/**
 * The layout's version, e.g. `ALL`; empty when it has one.
 */
variant: string, 
/**
 * Detected encoding.
 */
encoding: Encoding, 
/**
 * Rows that would be reconciled.
 */
rows: number, 
/**
 * Records after the header that were skipped (each has an issue).
 */
skipped: number, 
/**
 * Every row issue and file note.
 */
issues: Array<RowIssue>, 
/**
 * The file's own totals checked against its detail.
 */
checks: Array<Check>, };
/**
 * What `detectInput` says a file is, as the JS API and the page take it: `input` the input it
 * belongs to (`null` when the content does not decide), `format` the layout that claimed it,
 * `order_table` true for a plain table of orders (an order export or a simple channel bill: only
 * the name can tell), `why` the reason content did not decide. [`InputDetection`] serializes as this.
 */
export type InputDetection = { 
/**
 * The input the content says the file is (never `internal`, which only a name can tell).
 */
input: Exclude<InputKind, "internal"> | null, 
/**
 * The layout that claimed it (`generic_csv` for a plain table of orders).
 */
format: Format | null, 
/**
 * A plain table of orders: an order export or a simple channel bill alike.
 */
order_table: boolean, 
/**
 * Why the content does not decide.
 */
why: Undecided | null, };
/**
 * A row (or file) problem that did not stop the run: reported, never lost.
 */
export type RowIssue = { 
/**
 * File name.
 */
file: string, 
/**
 * The input the file was given as (`internal`, `channel`, `bank`, `payouts`, `sub_ledger`, `carry`, `resolutions`).
 */
input: InputKind, 
/**
 * 1-based line; `None` for a note about the whole file.
 */
line: number | null, 
/**
 * 1-based column (field number), when one field is at fault.
 */
column: number | null, 
/**
 * What is wrong, as a stable code.
 */
code: IssueCode, 
/**
 * What is wrong, for a person.
 */
message: string, };
/**
 * An item that is not `matched`.
 */
export type Exception = { 
/**
 * Stable id from the item's content (`tx:` and 16 hex digits, `#n` for the n-th identical
 * item): the same in a re-run, in any row order, and on the next day.
 */
id: string, 
/**
 * Where it stands in 差错处理.
 */
state: ItemState, 
/**
 * Its last resolution, when it has one.
 */
resolution?: ResolutionView, 
/**
 * Outcome code.
 */
class: Outcome, 
/**
 * Chinese name of the outcome.
 */
class_zh: string, 
/**
 * The key that paired (or failed to pair) it.
 */
key: string, 
/**
 * Which field the key is: `order_no`, `trade_no` or `refund_no`.
 */
key_field: Field, 
/**
 * d = E − B.
 */
d: Money, 
/**
 * 长款 (d > 0), 短款 (d < 0) or null (d = 0).
 */
label: Label | null, 
/**
 * The channel time falls after the cut-off.
 */
cross_day: boolean, 
/**
 * What is wrong, for a person.
 */
message: string, 
/**
 * The internal row.
 */
internal: RowView | null, 
/**
 * The channel row.
 */
channel: RowView | null, };
/**
 * One side of an exception, with every field for display.
 */
export type RowView = { 
/**
 * File name.
 */
file: string, 
/**
 * 1-based line.
 */
line: number, 
/**
 * Merchant order number.
 */
order_no: string, 
/**
 * Channel transaction number.
 */
trade_no: string, 
/**
 * Refund number.
 */
refund_no: string, 
/**
 * The settling merchant: the sub-merchant wherever the file names one (特约商户号, 二级商户代码,
 * 商户识别号), else 商户号 or the account the file is for.
 */
merchant_id: string, 
/**
 * The service provider the merchant's money was collected through, where the file names one
 * other than the merchant (a WeChat service-provider bill's 商户号); absent otherwise.
 */
service_provider?: string, 
/**
 * Amount as written.
 */
amount: Money, 
/**
 * Fee, when present, as what the merchant paid: a refund's returned fee is negative, whichever
 * sign the bill writes it with (Alipay writes 服务费 as money out, `-1.55`).
 */
fee: Money | null, 
/**
 * Normalized status.
 */
status: Status, 
/**
 * Status as written.
 */
status_word: string, 
/**
 * Time, `YYYY-MM-DD HH:MM:SS`.
 */
time: string | null, 
/**
 * Every cell of the row by header name, extra columns included.
 */
columns: Record<string, string>, };
/**
 * One page of a longer list: `{total, offset, rows}`.
 */
export type Page<T> = { 
/**
 * How many there are in all.
 */
total: number, 
/**
 * Where this page starts.
 */
offset: number, 
/**
 * The page.
 */
rows: Array<T>, };
/**
 * What was read from one fund-flow file (the `addFile` answer for `bank`, `payouts`, `sub_ledger`).
 */
export type FundInputInfo = { 
/**
 * `bank`, `payouts` or `sub_ledger`.
 */
input: InputKind, 
/**
 * File name.
 */
name: string, 
/**
 * Detected encoding (statements).
 */
encoding: Encoding | null, 
/**
 * 1-based line of the header (statements).
 */
header_line: number | null, 
/**
 * Header cells (statements).
 */
header: Array<string>, 
/**
 * Which header each column was read from (statements).
 */
columns: { [key in string]: string }, 
/**
 * Rows read.
 */
rows: number, 
/**
 * Rows skipped or noted.
 */
issues: number, 
/**
 * A statement's total row (合计) checked against its movements; empty for other files.
 */
checks: Array<Check>, };
/**
 * What the carry state of the previous run held (the answer to adding one).
 */
export type CarryInfo = { 
/**
 * `carry`, or `resolutions` for a resolutions file (差错处理).
 */
input: InputKind, 
/**
 * File name.
 */
name: string, 
/**
 * The reconciliation date of the run that wrote it.
 */
as_of: string | null, 
/**
 * Open items carried in, or the entries of a resolutions file.
 */
items: number, };
/**
 * The fund-flow summary without the long lists (see [`FundFlowReport::summary`]).
 */
export type FundFlowSummary = { 
/**
 * The date ages are counted to.
 */
as_of: string | null, 
/**
 * The fund-flow settings in force.
 */
settings: { [key in string]: string }, 
/**
 * Items per outcome.
 */
counts: FundCounts, 
/**
 * Settlement batches, bank movements and payout instructions considered.
 */
items: { [key in string]: number }, 
/**
 * Channel rows in no batch.
 */
unbatched_channel_rows: number, 
/**
 * How many matches there are.
 */
match_count: number, 
/**
 * How many open items there are.
 */
exception_count: number, 
/**
 * The `unexplained_movement` items.
 */
unexplained_movements: Array<ItemView>, 
/**
 * Totals per merchant.
 */
merchants: Array<MerchantTotals>, 
/**
 * Open items written to the carry state.
 */
carried_out: number, 
/**
 * d summed over the open items.
 */
totals: FundTotals, 
/**
 * The many-to-one search hit its work budget.
 */
search_budget_exhausted: boolean, 
/**
 * The balance section.
 */
balance: BalanceReport | null, };
/**
 * Items per outcome, plus the number of balance breaks.
 */
export type FundCounts = { 
/**
 * `matched` items (batches, movements, payouts).
 */
matched: number, 
/**
 * `matched_within_tolerance` items.
 */
matched_within_tolerance: number, 
/**
 * `amount_mismatch` items: credits and settlements paired with a difference (each item once).
 */
amount_mismatch: number, 
/**
 * `in_transit` items.
 */
in_transit: number, 
/**
 * `internal_only` items.
 */
internal_only: number, 
/**
 * `external_only` items.
 */
external_only: number, 
/**
 * `unexplained_movement` items.
 */
unexplained_movement: number, 
/**
 * `not_reconciled` items: bank debits without payout instructions to check them against.
 */
not_reconciled: number, 
/**
 * Running breaks, continuity breaks and a 余额调节表 that does not balance.
 */
balance_break: number, };
/**
 * d summed over a run's open fund-flow items, by what they are: real breaks (长款 d > 0, 短款 d < 0),
 * timing (in transit: what would be missing if it never came), and bank debits not reconciled.
 */
export type FundTotals = { 
/**
 * Sum of d over breaks with d > 0.
 */
long_total: Money, 
/**
 * Sum of d over breaks with d < 0.
 */
short_total: Money, 
/**
 * Sum of d over in-transit items.
 */
timing_total: Money, 
/**
 * Sum of the debits not reconciled (no payout instructions).
 */
not_reconciled_total: Money, };
/**
 * One paired group.
 */
export type MatchView = { 
/**
 * `settlement` or `payout`.
 */
kind: MatchKind, 
/**
 * `matched` or `matched_within_tolerance`.
 */
outcome: FundOutcome, 
/**
 * Merchant.
 */
merchant: string, 
/**
 * The merchant's service provider, where its settlements' bill names one (服务商 / ISV).
 */
service_provider?: string, 
/**
 * d = bank − booked.
 */
d: Money, 
/**
 * 长款 / 短款 / null.
 */
label: Label | null, 
/**
 * The credit (or debit), when the group has exactly one bank movement.
 */
credit: MovementView | null, 
/**
 * Every bank movement of the group (several for a split transfer).
 */
credits: Array<MovementView>, 
/**
 * The settlement batches.
 */
batches: Array<BatchView>, 
/**
 * The payout instructions.
 */
payouts: Array<PayoutView>, 
/**
 * Why they belong together.
 */
explanation: string, 
/**
 * Where d comes from, for a settlement group whose d is not zero (a pair, or a match within
 * tolerance).
 */
breakdown?: Breakdown, };
/**
 * What a settlement group was expected to bring and what it brought: expected = gross − refunds −
 * fees of its settlements, d = credited − expected.
 */
export type Breakdown = { 
/**
 * Sum of the settlements' payments.
 */
gross: Money, 
/**
 * Sum of their refunds (positive).
 */
refunds: Money, 
/**
 * Sum of their fees as settled (gross − refunds − net: a bill's five-decimal fees rounded to
 * the fen as the channel settles them).
 */
fees: Money, 
/**
 * Sum of their nets: what should have arrived.
 */
expected: Money, 
/**
 * What the bank credited.
 */
credited: Money, 
/**
 * credited − expected (短款 < 0, 长款 > 0).
 */
d: Money, 
/**
 * What the files suggest as causes, each with its amount (`report/causes.rs`).
 */
causes: Array<Cause>, 
/**
 * The part of d the causes marked `explains` account for.
 */
explained: Money, 
/**
 * d − explained: what no cause explains.
 */
unexplained: Money, };
/**
 * One candidate cause of a difference.
 */
export type Cause = { 
/**
 * What it is.
 */
kind: CauseKind, 
/**
 * Its Chinese name.
 */
kind_zh: string, 
/**
 * The d it accounts for (credited − expected).
 */
amount: Money, 
/**
 * Whether it is part of the explained amount.
 */
explains: boolean, 
/**
 * What in the files supports it, for a person.
 */
detail: string, };
/**
 * An item that is not matched (or a zero-net batch): what it is, its outcome, d and age.
 */
export type ItemView = { 
/**
 * Stable id (the same in the carry state).
 */
id: string, 
/**
 * `batch`, `credit`, `debit` or `payout`.
 */
kind: FundItemKind, 
/**
 * Outcome code.
 */
outcome: FundOutcome, 
/**
 * Chinese name of the outcome.
 */
outcome_zh: string, 
/**
 * Merchant, when known.
 */
merchant: string, 
/**
 * A settlement's service provider, where its bill names one (服务商 / ISV); carried with it.
 */
service_provider?: string, 
/**
 * Settlement, booking or instruction date.
 */
date: string, 
/**
 * Net, signed bank amount, or amount paid out.
 */
amount: Money, 
/**
 * d = E − B.
 */
d: Money, 
/**
 * 长款 / 短款 / null.
 */
label: Label | null, 
/**
 * Days since due.
 */
age_days: number | null, 
/**
 * First run that saw it, when carried.
 */
carried_since: string | null, 
/**
 * Source file, when it has one.
 */
file: string, 
/**
 * 1-based line, 0 for batches.
 */
line: number, 
/**
 * Bank memo (movements).
 */
memo: string, 
/**
 * Why, for a person.
 */
message: string, 
/**
 * Where it stands in 差错处理.
 */
state: ItemState, 
/**
 * Its last resolution, when it has one.
 */
resolution?: ResolutionView, 
/**
 * A pair's credit, settlements, d and explanation (kind `pair` only).
 */
pair?: MatchView, };
/**
 * What the channel settles to one merchant on one settlement date, for display.
 */
export type BatchView = { 
/**
 * Stable id.
 */
id: string, 
/**
 * The settling merchant (a service-provider bill's sub-merchant).
 */
merchant: string, 
/**
 * Its service provider, where the bill names one.
 */
service_provider?: string, 
/**
 * Settlement date.
 */
settle_date: string, 
/**
 * Earliest trade date.
 */
trade_from: string, 
/**
 * Latest trade date.
 */
trade_to: string, 
/**
 * Sum of payments.
 */
gross: Money, 
/**
 * Sum of refunds (positive).
 */
refunds: Money, 
/**
 * Sum of fees as written.
 */
fees: Money, 
/**
 * gross − refunds − fees.
 */
net: Money, 
/**
 * First run that saw the batch, when it was carried in.
 */
carried_since: string | null, };
/**
 * A bank movement, for display.
 */
export type MovementView = { 
/**
 * Stable id.
 */
id: string, 
/**
 * Statement file.
 */
file: string, 
/**
 * 1-based line.
 */
line: number, 
/**
 * Booking date.
 */
date: string, 
/**
 * Signed amount.
 */
amount: Money, 
/**
 * Merchant from the memo.
 */
merchant: string | null, 
/**
 * Counterparty name.
 */
counterparty: string, 
/**
 * Memo.
 */
memo: string, 
/**
 * The amount in the transaction's currency (a card export's 交易金额), only when it differs.
 */
transaction_amount?: Money, 
/**
 * The transaction's currency (交易币种), only when the statement has one.
 */
transaction_currency?: string, 
/**
 * First run that saw it, when carried.
 */
carried_since: string | null, };
/**
 * A payout instruction, for display: its id and file, then the instruction's own fields.
 */
export type PayoutView = { 
/**
 * Stable id.
 */
id: string, 
/**
 * File.
 */
file: string, 
/**
 * 1-based line.
 */
line: number, 
/**
 * Merchant paid.
 */
merchant: string, 
/**
 * Amount paid out.
 */
amount: Money, 
/**
 * Beneficiary account.
 */
account: string, 
/**
 * Instruction reference.
 */
reference: string, 
/**
 * Date of the instruction.
 */
date: string, };
/**
 * Totals of one merchant.
 */
export type MerchantTotals = { 
/**
 * Merchant.
 */
merchant: string, 
/**
 * Settlement batches.
 */
batches: number, 
/**
 * Sum of batch nets.
 */
settled: Money, 
/**
 * Sum of credits identified to the merchant.
 */
credited: Money, 
/**
 * Sum of nets of matched batches.
 */
matched: Money, 
/**
 * Sum of nets in transit.
 */
in_transit: Money, 
/**
 * Sum of nets never credited.
 */
internal_only: Money, 
/**
 * Sum of credits matching no settlement.
 */
external_only: Money, 
/**
 * Sum of nets of settlements paired with a credit that differs (金额不符).
 */
amount_mismatch: Money, 
/**
 * Sum of those pairs' d: what the merchant's credits were short (< 0) or long (> 0) by.
 */
amount_mismatch_d: Money, 
/**
 * The part of it the files explain (fees at another rate, refunds on another day, make-ups,
 * rounding: see `breakdown.causes`).
 */
amount_mismatch_explained: Money, 
/**
 * The part no cause explains.
 */
amount_mismatch_unexplained: Money, };
/**
 * The clearing section without the exceptions (see [`ClearingReport::summary`]).
 */
export type ClearingSummary = { 
/**
 * The clearing settings in force.
 */
settings: { [key in string]: string }, 
/**
 * The money over every merchant.
 */
totals: ClearingAmounts, 
/**
 * Per merchant.
 */
merchants: Array<MerchantClearing>, 
/**
 * How many exceptions there are.
 */
exception_count: number, 
/**
 * How many of them are `fee_mismatch`.
 */
fee_mismatches: number, 
/**
 * How many of them are `payout_mismatch`.
 */
payout_mismatches: number, 
/**
 * How many of them are `sub_ledger_break`.
 */
sub_ledger_breaks: number, };
/**
 * The `clearing` section of the report.
 */
export type ClearingReport = { 
/**
 * The clearing settings in force.
 */
settings: { [key in string]: string }, 
/**
 * The money over every merchant.
 */
totals: ClearingAmounts, 
/**
 * Per merchant, by merchant number.
 */
merchants: Array<MerchantClearing>, 
/**
 * Every exception, by merchant, settlement date, date and key.
 */
exceptions: Array<ClearingException>, };
/**
 * The money of one clearing line (a merchant's settlement date, a merchant, or the run).
 */
export type ClearingAmounts = { 
/**
 * Payments.
 */
gross: Money, 
/**
 * Refunds (positive).
 */
refunds: Money, 
/**
 * The fee the channel charged (refunds' returned fees netted).
 */
fee_charged: Money, 
/**
 * The fee the contracted rates imply (a transaction no rate covers counts at its charged fee).
 */
fee_expected: Money, 
/**
 * The platform's commission (分润).
 */
commission: Money, 
/**
 * gross − refunds − fee charged − commission: what the platform owes the merchant.
 */
net_payable: Money, 
/**
 * What the bank credits matched to the settlements brought.
 */
credited: Money, 
/**
 * What the payout instructions paid the merchant.
 */
paid_out: Money, 
/**
 * net payable − paid out: still owed (negative: paid too much).
 */
outstanding: Money, };
/**
 * One merchant's clearing over the run.
 */
export type MerchantClearing = { 
/**
 * The settling merchant.
 */
merchant: string, 
/**
 * Its service provider, where the bills name one.
 */
service_provider: string | null, 
/**
 * Transactions.
 */
transactions: number, 
/**
 * Transactions no contracted rate covers.
 */
unrated: number, 
/**
 * Clearing exceptions.
 */
exceptions: number, 
/**
 * Per settlement date, in date order.
 */
days: Array<ClearingDay>, 
/**
 * Payments.
 */
gross: Money, 
/**
 * Refunds (positive).
 */
refunds: Money, 
/**
 * The fee the channel charged (refunds' returned fees netted).
 */
fee_charged: Money, 
/**
 * The fee the contracted rates imply (a transaction no rate covers counts at its charged fee).
 */
fee_expected: Money, 
/**
 * The platform's commission (分润).
 */
commission: Money, 
/**
 * gross − refunds − fee charged − commission: what the platform owes the merchant.
 */
net_payable: Money, 
/**
 * What the bank credits matched to the settlements brought.
 */
credited: Money, 
/**
 * What the payout instructions paid the merchant.
 */
paid_out: Money, 
/**
 * net payable − paid out: still owed (negative: paid too much).
 */
outstanding: Money, };
/**
 * One merchant's settlement date.
 */
export type ClearingDay = { 
/**
 * Settlement date.
 */
settle_date: string, 
/**
 * Earliest trade date.
 */
trade_from: string, 
/**
 * Latest trade date.
 */
trade_to: string, 
/**
 * Transactions.
 */
transactions: number, 
/**
 * Transactions no contracted rate covers (their charged fee counts as expected).
 */
unrated: number, 
/**
 * Clearing exceptions of the day.
 */
exceptions: number, 
/**
 * The settlement was carried in from an earlier run (only its totals are known).
 */
carried: boolean, 
/**
 * How the payouts were set against it; none when no payout reached it.
 */
payout_rule: PayoutRule | null, 
/**
 * Payments.
 */
gross: Money, 
/**
 * Refunds (positive).
 */
refunds: Money, 
/**
 * The fee the channel charged (refunds' returned fees netted).
 */
fee_charged: Money, 
/**
 * The fee the contracted rates imply (a transaction no rate covers counts at its charged fee).
 */
fee_expected: Money, 
/**
 * The platform's commission (分润).
 */
commission: Money, 
/**
 * gross − refunds − fee charged − commission: what the platform owes the merchant.
 */
net_payable: Money, 
/**
 * What the bank credits matched to the settlements brought.
 */
credited: Money, 
/**
 * What the payout instructions paid the merchant.
 */
paid_out: Money, 
/**
 * net payable − paid out: still owed (negative: paid too much).
 */
outstanding: Money, };
/**
 * A clearing exception: a fee that is not the contracted rate's (`fee_mismatch`), or what the
 * payouts paid for a settlement date that is not what was owed (`payout_mismatch`).
 */
export type ClearingException = { 
/**
 * Stable id from the item's content (`fee:` and 16 hex digits, `#n` for the n-th identical
 * item): class, level, merchant, key, dates, amount and the fee charged.
 */
id: string, 
/**
 * Where it stands in 差错处理.
 */
state: ItemState, 
/**
 * Its last resolution, when it has one.
 */
resolution?: ResolutionView, 
/**
 * What it is.
 */
class: ClearingClass, 
/**
 * Its name in Chinese.
 */
class_zh: string, 
/**
 * One transaction, or a settlement's total.
 */
level: ClearingLevel, 
/**
 * The settling merchant.
 */
merchant: string, 
/**
 * Its service provider, where the bill names one (服务商 / ISV).
 */
service_provider?: string, 
/**
 * The transaction's order number (商户订单号, else the channel's number), or the batch id.
 */
key: string, 
/**
 * Trade date (the settlement date for a batch line).
 */
date: string, 
/**
 * Settlement date.
 */
settle_date: string, 
/**
 * The transaction's amount (a refund's is negative), the batch's gross − refunds, or (a
 * payout mismatch) what was owed.
 */
amount: Money, 
/**
 * The fee the channel charged (a fee mismatch).
 */
fee_charged?: Money, 
/**
 * The fee the contracted rate implies (a fee mismatch).
 */
fee_expected?: Money, 
/**
 * A payout mismatch: the settlement date's net payable.
 */
owed?: Money, 
/**
 * A payout mismatch: what the payouts paid for it.
 */
paid?: Money, 
/**
 * A payout mismatch: how the payouts were set against the settlement dates.
 */
rule?: PayoutRule, 
/**
 * A sub-ledger break: what it checks.
 */
check?: LedgerCheck, 
/**
 * A sub-ledger break: what clearing, the payouts or the line's own figures say it should be.
 */
expected?: Money, 
/**
 * A sub-ledger break: what the ledger books.
 */
booked?: Money, 
/**
 * A payout mismatch: the ids of the payouts that paid it.
 */
payouts?: Array<string>, 
/**
 * d = expected − charged (a fee: an overcharge is d < 0, 短款), owed − paid (a payout: an
 * overpayment is d < 0, 短款 of the platform's money; an underpayment d > 0, 长款), or
 * expected − booked (a sub-ledger line).
 */
d: Money, 
/**
 * 长款 / 短款.
 */
label: Label | null, 
/**
 * The contracted rate, as the profile writes it (empty for a payout mismatch).
 */
rate: string, 
/**
 * The rate the bill itself shows (WeChat's 费率), when it has one.
 */
bill_rate: string | null, 
/**
 * File of the transaction (empty for a batch line).
 */
file: string, 
/**
 * 1-based line (0 for a batch line).
 */
line: number, };
/**
 * The `balance` section of the report.
 */
export type BalanceReport = { 
/**
 * Rows whose balance does not follow from the previous row.
 */
running_breaks: Array<RunningBreak>, 
/**
 * Totals per statement, oldest first.
 */
statements: Array<StatementTotals>, 
/**
 * Statements that do not continue the previous one.
 */
continuity_breaks: Array<ContinuityBreak>, 
/**
 * Movements found in more than one statement file of their account (downloads that
 * overlap), each counted once.
 */
repeated_movements: number, 
/**
 * The cut-off instant (日切) the bank's balance is taken at, `YYYY-MM-DD HH:MM:SS`.
 */
cutoff: string | null, 
/**
 * Each account's balance at the cut-off, and the movement it is the balance after.
 */
bank_balances: Array<BankBalance>, 
/**
 * Movements at or after the cut-off: the next day's, not in today's reconciliation.
 */
later_movements: Array<LaterMovement>, 
/**
 * The 余额调节表, when a book balance was given and the statements have balances.
 */
statement: ReconciliationStatement | null, };
/**
 * The bank reconciliation statement (余额调节表).
 */
export type ReconciliationStatement = { 
/**
 * The platform's book balance (given, or the sum of the sub-ledger).
 */
book_balance: Money, 
/**
 * `input` or the sub-ledger file name.
 */
book_source: string, 
/**
 * The bank's closing balance (latest statement).
 */
bank_balance: Money, 
/**
 * Credits at the bank the books do not have (external_only and unexplained credits).
 */
bank_received_not_booked: Money, 
/**
 * Debits at the bank the books do not have (unexplained debits).
 */
bank_paid_not_booked: Money, 
/**
 * Settlements booked but not at the bank (in_transit and internal_only batches).
 */
booked_received_not_at_bank: Money, 
/**
 * Payouts booked but not at the bank (in_transit and internal_only payouts).
 */
booked_paid_not_at_bank: Money, 
/**
 * book + bank_received_not_booked − bank_paid_not_booked.
 */
adjusted_book: Money, 
/**
 * bank + booked_received_not_at_bank − booked_paid_not_at_bank.
 */
adjusted_bank: Money, 
/**
 * adjusted_bank − adjusted_book (d = E − B): zero when the books agree with the bank.
 */
difference: Money, 
/**
 * `matched` or `balance_break`.
 */
outcome: FundOutcome, 
/**
 * 长款 / 短款 / null.
 */
label: Label | null, };
/**
 * One statement's opening balance does not continue the previous statement's closing balance.
 */
export type ContinuityBreak = { 
/**
 * The later statement.
 */
file: string, 
/**
 * The earlier statement.
 */
previous_file: string, 
/**
 * The earlier statement's closing balance.
 */
expected: Money, 
/**
 * The later statement's opening balance.
 */
found: Money, 
/**
 * found − expected.
 */
missing: Money, };
/**
 * An account's balance at the cut-off (时点余额): the running balance after its last movement
 * before the cut-off, in its merged statements, oldest first.
 */
export type BankBalance = { 
/**
 * The account, when the statements name it.
 */
account: string | null, 
/**
 * The balance; the first statement's opening when no movement is before the cut-off.
 */
balance: Money | null, 
/**
 * The statement of the movement it is the balance after.
 */
file: string | null, 
/**
 * Its 1-based line.
 */
line: number | null, 
/**
 * Its booking date.
 */
date: string | null, 
/**
 * Its time, when the statement has one.
 */
time: string | null, 
/**
 * Movements at or after the cut-off: the next day's (`later_movements`).
 */
later: number, 
/**
 * The statements end on a day before the reconciliation date: the balance is an earlier day's.
 */
ends_before_cutoff: boolean, };
/**
 * A movement at or after the cut-off: the next day's, apart from today's reconciliation and
 * carried to the next run.
 */
export type LaterMovement = { 
/**
 * Stable id.
 */
id: string, 
/**
 * Statement file.
 */
file: string, 
/**
 * 1-based line.
 */
line: number, 
/**
 * Booking date.
 */
date: string, 
/**
 * Time, when the statement has one.
 */
time: string | null, 
/**
 * Signed amount: credit +, debit −.
 */
amount: Money, 
/**
 * Counterparty name.
 */
counterparty: string, 
/**
 * Memo.
 */
memo: string, };
/**
 * A statement row whose balance does not follow from the previous one (a missing or altered row).
 */
export type RunningBreak = { 
/**
 * Statement file.
 */
file: string, 
/**
 * 1-based line of the row whose balance is off.
 */
line: number, 
/**
 * Previous balance + this row's amount.
 */
expected: Money, 
/**
 * The balance the row shows.
 */
found: Money, 
/**
 * found − expected: the amount of the movements missing between the two rows.
 */
missing: Money, };
/**
 * One statement's totals.
 */
export type StatementTotals = { 
/**
 * Statement file.
 */
file: string, 
/**
 * The account, when the statement's title names it.
 */
account: string | null, 
/**
 * First booking date.
 */
first_date: string | null, 
/**
 * Last booking date.
 */
last_date: string | null, 
/**
 * Balance before the first movement.
 */
opening: Money | null, 
/**
 * Sum of credits.
 */
credits: Money, 
/**
 * Sum of debits (positive).
 */
debits: Money, 
/**
 * Balance after the last movement.
 */
closing: Money | null, 
/**
 * opening + credits − debits = closing.
 */
consistent: boolean, 
/**
 * Movements an earlier statement of the same account already had (downloads that overlap):
 * counted once, there.
 */
repeated: number, 
/**
 * The statement's own total row (合计) and running balance checked against its movements.
 */
checks: Array<Check>, 
/**
 * The same, day by day.
 */
days: Array<DayTotals>, };
/**
 * One day of a statement: opening + credits − debits = closing.
 */
export type DayTotals = { 
/**
 * Booking date.
 */
date: string, 
/**
 * Balance before the day's first movement, when known.
 */
opening: Money | null, 
/**
 * Sum of the day's credits.
 */
credits: Money, 
/**
 * Sum of the day's debits (positive).
 */
debits: Money, 
/**
 * Balance after the day's last movement, when known.
 */
closing: Money | null, 
/**
 * opening + credits − debits = closing (true when a balance is unknown).
 */
consistent: boolean, };
/**
 * The whole result of a run. Field order is the JSON order.
 */
export type Report = { 
/**
 * Version of duizhang that made the report.
 */
duizhang: string, 
/**
 * The reconciliation date, `YYYY-MM-DD`.
 */
date: string | null, 
/**
 * `input` (given by the caller), `inferred` (the most common order date) or `none`.
 */
date_source: DateSource, 
/**
 * End of the reconciliation day (日切), `YYYY-MM-DD HH:MM:SS`.
 */
cutoff: string | null, 
/**
 * The settings in force.
 */
settings: { [key in string]: string }, 
/**
 * What was read from each file.
 */
files: Array<FileInfo>, 
/**
 * Counts and totals.
 */
summary: SummaryTotals, 
/**
 * Every row skipped or repaired, with file, line, column and reason.
 */
issues: Array<RowIssue>, 
/**
 * Every item that is not `matched`, sorted by outcome, key and line.
 */
exceptions: Array<Exception>, 
/**
 * Fund flow (资金对账): only when a bank statement was given.
 */
fund_flow?: FundFlowReport, 
/**
 * Book against actual (账实核对): only when a bank statement was given.
 */
balance?: BalanceReport, 
/**
 * Clearing per merchant (清分): when the profile has a `clearing` section or a bank, payout or
 * carry input was given.
 */
clearing: ClearingReport | null, 
/**
 * 差错处理: only when resolutions were given or carried in.
 */
handling?: HandlingReport, };
/**
 * The `fund_flow` section of the report.
 */
export type FundFlowReport = { 
/**
 * The date ages are counted to (the reconciliation date, or the last bank date).
 */
as_of: string | null, 
/**
 * The fund-flow settings in force.
 */
settings: { [key in string]: string }, 
/**
 * Items per outcome.
 */
counts: FundCounts, 
/**
 * Settlement batches, bank movements and payout instructions considered.
 */
items: { [key in string]: number }, 
/**
 * Channel rows in no batch: no time to date them, or an amount beyond 10^15.
 */
unbatched_channel_rows: number, 
/**
 * The groups that are matched (a pair that differs, `amount_mismatch`, is open: it is in
 * `exceptions`, once, as kind `pair`).
 */
matches: Array<MatchView>, 
/**
 * Every item not matched, by outcome, date and id; a pair is one item.
 */
exceptions: Array<ItemView>, 
/**
 * The `unexplained_movement` items again, for the page's own list.
 */
unexplained_movements: Array<ItemView>, 
/**
 * Totals per merchant, by merchant.
 */
merchants: Array<MerchantTotals>, 
/**
 * Open items written to the carry state.
 */
carried_out: number, 
/**
 * d summed over the open items: breaks (长款, 短款), timing, and debits not reconciled.
 */
totals: FundTotals, 
/**
 * The many-to-one search hit its hard work budget: some combinations were not tried.
 */
search_budget_exhausted: boolean, };
/**
 * The codes of every code enum, each list in report order.
 */
export type Vocabulary = { 
/**
 * Transaction outcomes.
 */
outcomes: Array<Term>, 
/**
 * Fund-flow outcomes.
 */
fund_outcomes: Array<Term>, 
/**
 * Kinds of open fund-flow items.
 */
fund_item_kinds: Array<Term>, 
/**
 * Kinds of fund-flow matches.
 */
match_kinds: Array<Term>, 
/**
 * File layouts.
 */
formats: Array<Term>, 
/**
 * Kinds of input.
 */
input_kinds: Array<Term>, 
/**
 * Row issue codes, with their meanings.
 */
issue_codes: Array<Term>, 
/**
 * Error codes.
 */
error_codes: Array<Term>, 
/**
 * Normalized statuses.
 */
statuses: Array<Term>, 
/**
 * Logical columns.
 */
fields: Array<Term>, 
/**
 * Progress phases.
 */
phases: Array<Term>, 
/**
 * Actions of 差错处理.
 */
actions: Array<Term>, 
/**
 * Where an item stands in 差错处理.
 */
item_states: Array<Term>, 
/**
 * The documents of 差错处理.
 */
document_kinds: Array<Term>, 
/**
 * The labels of d.
 */
labels: Array<string>, 
/**
 * The transaction outcomes that are timing, not breaks (未达账项): shown apart from the breaks.
 */
timing_outcomes: Array<Outcome>, 
/**
 * The transaction outcomes that are breaks (差错).
 */
break_outcomes: Array<Outcome>, 
/**
 * The fund-flow outcomes that are timing (in transit), not breaks.
 */
timing_fund_outcomes: Array<FundOutcome>, 
/**
 * The fund-flow outcomes that are breaks (差错); `not_reconciled` is neither.
 */
break_fund_outcomes: Array<FundOutcome>, };
/**
 * One code: `{code, zh}`, and what it means where the code has a sentence for it.
 */
export type Term = { 
/**
 * The stable code.
 */
code: string, 
/**
 * The name users know, in Chinese.
 */
zh: string, 
/**
 * What it means, for row issue codes (absent for the others).
 */
meaning?: string, };
/**
 * An item's resolution as views show it.
 */
export type ResolutionView = { 
/**
 * What was done.
 */
action: Action, 
/**
 * Its Chinese name.
 */
action_zh: string, 
/**
 * Why.
 */
note: string, 
/**
 * Who.
 */
by: string, 
/**
 * When.
 */
at: string, 
/**
 * Where it came from: the resolutions file's name, or `api` (`resolve()`).
 */
source: string, 
/**
 * Its line in the audit log (1-based).
 */
seq: number, };
/**
 * One resolution as given.
 */
export type Resolution = { 
/**
 * The item's id.
 */
id: string, 
/**
 * What was done.
 */
action: Action, 
/**
 * Why; required for `write_off`.
 */
note: string, 
/**
 * Who did it (a name the user gives).
 */
by: string, 
/**
 * When: RFC 3339 or `YYYY-MM-DD HH:MM:SS`, supplied by the caller (the core never reads the clock).
 */
at: string, };
/**
 * The 差错处理 section of a report: present when resolutions were given or carried in.
 */
export type HandlingReport = { 
/**
 * Items still open, parked and accepted ones included.
 */
open: number, 
/**
 * Items per action of their last resolution (every action present).
 */
resolved: Record<Action, number>, 
/**
 * The transaction 长款 still open.
 */
open_long_total: Money, 
/**
 * The transaction 短款 still open.
 */
open_short_total: Money, 
/**
 * Lines in the audit log.
 */
log_lines: number, 
/**
 * Resolutions rejected (each is an issue `resolution_rejected`).
 */
rejected: number, 
/**
 * Parked or accepted items of earlier days that today's files do not hold: still open.
 */
carried_open: Array<OpenItem>, 
/**
 * Parked or accepted fund-flow items that matched since (a late credit): closed, their
 * resolutions kept in the log.
 */
closed_by_matching: Array<string>, 
/**
 * Every parked item (挂账) with its age.
 */
suspense: Array<OpenItem>, };
/**
 * An item still open after handling (parked or accepted), as the suspense list and the carried
 * list show it.
 */
export type OpenItem = { 
/**
 * The item's id.
 */
id: string, 
/**
 * Which part of the report.
 */
domain: Domain, 
/**
 * Outcome code.
 */
outcome: string, 
/**
 * d = E − B.
 */
d: Money, 
/**
 * 长款 / 短款.
 */
label: Label | null, 
/**
 * Merchant.
 */
merchant: string, 
/**
 * Key.
 */
key: string, 
/**
 * The item's date.
 */
date: string | null, 
/**
 * Days from its date to the run's date.
 */
age_days: number | null, 
/**
 * `parked` or `accepted`.
 */
state: ItemState, 
/**
 * Its last resolution.
 */
resolution: ResolutionView, };
/**
 * One line of the audit log. Field order is the canonical JSON's order.
 */
export type AuditEntry = { 
/**
 * 1-based line number.
 */
seq: number, 
/**
 * The item's id.
 */
id: string, 
/**
 * Which part of the report.
 */
domain: Domain, 
/**
 * Its outcome code when resolved.
 */
outcome: string, 
/**
 * d = E − B.
 */
d: Money, 
/**
 * 长款 / 短款.
 */
label: Label | null, 
/**
 * Merchant.
 */
merchant: string, 
/**
 * Which field the key is (transactions).
 */
key_field: string, 
/**
 * The key.
 */
key: string, 
/**
 * The item's date (`YYYY-MM-DD`, chrono's own form both ways).
 */
date: string | null, 
/**
 * What was done.
 */
action: Action, 
/**
 * Why.
 */
note: string, 
/**
 * Who.
 */
by: string, 
/**
 * When (as the caller gave it).
 */
at: string, 
/**
 * The resolutions file it came from, or `api`.
 */
source: string, 
/**
 * `hash` of the line before (64 zeros for the first).
 */
prev: string, 
/**
 * SHA-256 of this line's canonical JSON with `hash` empty.
 */
hash: string, };
/**
 * One line of a document.
 */
export type DocumentLine = { 
/**
 * The item's id.
 */
id: string, 
/**
 * Which part of the report.
 */
domain: Domain, 
/**
 * Its outcome code.
 */
outcome: string, 
/**
 * Merchant.
 */
merchant: string, 
/**
 * Which field `key` is.
 */
key_field: string, 
/**
 * Order number, trade number, batch id or bank serial.
 */
key: string, 
/**
 * The item's date.
 */
date: string | null, 
/**
 * Days from its date to the run's date (suspense).
 */
age_days: number | null, 
/**
 * Account debited (adjustments).
 */
debit: string, 
/**
 * Account credited (adjustments).
 */
credit: string, 
/**
 * The amount: |d| (what to create, refund or adjust).
 */
amount: Money, 
/**
 * 长款 / 短款.
 */
label: Label | null, 
/**
 * The note.
 */
note: string, 
/**
 * Who.
 */
by: string, 
/**
 * When.
 */
at: string, 
/**
 * The audit log line.
 */
seq: number, };
/**
 * Every document, for the JSON export.
 */
export type Documents = { 
/**
 * 补单.
 */
orders: Array<DocumentLine>, 
/**
 * 退款.
 */
refunds: Array<DocumentLine>, 
/**
 * 调账分录.
 */
adjustments: Array<DocumentLine>, 
/**
 * 挂账.
 */
suspense: Array<DocumentLine>, };

// Hand-written: the shapes JavaScript adds around the generated Rust values.

/**
 * What `addFile` returns: for an order export or a bill the `FileInfo` of its first table (`files()`
 * lists every table an archive gave), for a fund-flow input its info, for a carry state what it held.
 */
export type Added = FileInfo | FundInputInfo | CarryInfo;
/** One file of a built-in sample, to give to `addFile(input, name, bytes)`. */
export interface SampleFile { input: InputKind; name: string; bytes: Uint8Array }
/** The built-in fund-flow sample: its files, profile JSON and date. */
export interface FundFlowSample { files: SampleFile[]; profile: string; date: string }
/** Every error thrown by this module is an Error with these fields. */
export interface DuizhangError extends Error { code: ErrorCode; file?: string; line?: number; column?: number }
