// The fund-flow section of a result: outcome cards, the inputs with their checks, per-merchant
// totals, statement balances and running-balance breaks, the 余额调节表, and the rows of the matches
// and open-items tables.
import { $, $as, bi, h } from './dom.js';
import { checksCell, emptyRow, handlingCells, labelTag } from './cells.js';
import { dash, headerLine, money, text } from './format.js';
import { INPUT_NAMES, FUND_KINDS, FUND_OUTCOMES, fundStandingOf } from './labels.js';
import { requestPage } from './pages.js';
import { state } from './state.js';

/**
 * @typedef {import('./protocol.js').FundFlowSummary} FundFlowSummary
 * @typedef {import('./protocol.js').FundInput} FundInput
 * @typedef {import('./protocol.js').ItemView} ItemView
 * @typedef {import('./protocol.js').MatchView} MatchView
 * @typedef {import('../pkg/duizhang.js').MerchantTotals} MerchantTotals
 * @typedef {import('../pkg/duizhang.js').StatementTotals} StatementTotals
 * @typedef {import('../pkg/duizhang.js').ReconciliationStatement} ReconciliationStatement
 * @typedef {import('../pkg/duizhang.js').BalanceReport} BalanceReport
 * @typedef {import('./labels.js').FundKind} FundKind
 */

/** The merchant totals shown, in column order. @type {(keyof MerchantTotals & ('settled' | 'credited' | 'matched' | 'in_transit' | 'internal_only' | 'external_only' | 'amount_mismatch' | 'amount_mismatch_d' | 'amount_mismatch_explained' | 'amount_mismatch_unexplained'))[]} */
const MERCHANT_SUMS = ['settled', 'credited', 'matched', 'in_transit', 'internal_only', 'external_only', 'amount_mismatch',
  'amount_mismatch_d', 'amount_mismatch_explained', 'amount_mismatch_unexplained'];
/** The amounts of the 余额调节表, each in its `data-field` cell. @type {(keyof ReconciliationStatement)[]} */
const STATEMENT_AMOUNTS = ['book_balance', 'bank_balance', 'bank_received_not_booked', 'bank_paid_not_booked',
  'booked_received_not_at_bank', 'booked_paid_not_at_bank', 'adjusted_book', 'adjusted_bank', 'difference'];

/**
 * Shows a run's fund flow (null: the section stays hidden); `inputs`: what each fund file held.
 * @param {FundFlowSummary | null} fund @param {FundInput[]} inputs
 */
export function showFund(fund, inputs) {
  state.fund = fund;
  $('#fund-results').hidden = !fund;
  if (!fund) return;
  $('#fund-as-of').textContent = fund.as_of ? `截至 as of ${fund.as_of}` : '';
  const { counts } = fund;
  for (const [code] of FUND_OUTCOMES) {
    const card = $(`#fund-cards [data-fund-outcome="${code}"]`);
    $('[data-field="count"]', card).textContent = String(counts[code]);
    card.classList.toggle('zero', counts[code] === 0);
  }
  for (const [code, zh] of FUND_OUTCOMES) {
    const opt = document.querySelector(`#fund-filter option[value="${code}"]`);
    if (opt) opt.textContent = `${zh} ${code} (${counts[code]})`;
  }
  const items = fund.items ?? {};
  $('#fund-items').replaceChildren(
    `结算批次 batches ${items.batches ?? 0} · 银行流水 movements ${items.movements ?? 0} · 代付 payouts ${items.payouts ?? 0} · `,
    `匹配 matches ${fund.match_count ?? 0} · 未达/差错 open items ${fund.exception_count ?? 0}`,
    fund.carried_out ? ` · 转入明日 carried to tomorrow ${fund.carried_out}` : '',
  );

  $('#fund-inputs tbody').replaceChildren(...inputs.map(inputRow));
  $('#fund-inputs-wrap').hidden = inputs.length === 0;

  $('#merchants tbody').replaceChildren(...(fund.merchants ?? []).map((m) =>
    h('tr', { 'data-merchant': m.merchant },
      h('td', {}, h('code', {}, m.merchant)),
      h('td', { class: 'num' }, text(m.batches)),
      ...MERCHANT_SUMS.map((k) => h('td', { class: 'num', 'data-field': k }, money(m[k]))),
    ),
  ));
  if ((fund.merchants ?? []).length === 0) $('#merchants tbody').replaceChildren(emptyRow(12));

  const balance = fund.balance ?? null;
  const breaks = balance?.running_breaks ?? [];
  $('#break-count').textContent = `(${breaks.length})`;
  $('#running-breaks tbody').replaceChildren(...(breaks.length ? breaks.map((b) =>
    h('tr', {},
      h('td', {}, b.file), h('td', { class: 'num' }, text(b.line)),
      h('td', { class: 'num' }, money(b.expected)), h('td', { class: 'num' }, money(b.found)),
      h('td', { class: 'num' }, money(b.missing)),
    )) : [emptyRow(5)]));
  const continuity = balance?.continuity_breaks ?? [];
  $('#statements tbody').replaceChildren(
    ...(balance?.statements ?? []).map((st) =>
      h('tr', {},
        h('td', {}, st.file), h('td', {}, text(st.account)),
        h('td', {}, `${text(st.first_date)} – ${text(st.last_date)}`),
        h('td', { class: 'num' }, money(st.opening)), h('td', { class: 'num' }, money(st.credits)),
        h('td', { class: 'num' }, money(st.debits)), h('td', { class: 'num' }, money(st.closing)),
        h('td', { 'data-field': 'checks' }, ...statementChecks(st, breaks.filter((b) => b.file === st.file).length)),
      )),
    ...continuity.map((c) =>
      h('tr', { class: 'break' },
        h('td', { colSpan: 8 }, '✗ ', `${c.previous_file} → ${c.file}: `, `应为 expected ${money(c.expected)} · 实为 found ${money(c.found)} · 缺 missing ${money(c.missing)}`),
      )),
  );

  showStatement(balance?.statement ?? null);
  showCutoff(balance);

  // A new result shows every merchant's items: a merchant is opened from its clearing line.
  state.fund_matches.offset = 0;
  state.fund_exceptions.offset = 0;
  state.fund_matches.merchant = '';
  state.fund_exceptions.merchant = '';
  requestPage('fund_matches');
  requestPage('fund_exceptions');
}

/** What one fund-flow input held: a statement, payouts or sub-ledger (FundInputInfo) or a carry state. @param {FundInput} i */
function inputRow(i) {
  const carry = 'as_of' in i;
  return h('tr', { 'data-input': i.input },
    h('td', {}, i.name),
    h('td', {}, ...bi(...INPUT_NAMES[i.input])),
    h('td', {}, carry ? `截至 as of ${text(i.as_of)}` : text(i.encoding)),
    carry ? h('td', { class: 'num', 'data-field': 'header_line' }, dash)
      : h('td', { class: 'num', 'data-field': 'header_line', title: i.header.join(' | ') || null }, headerLine(i.header_line)),
    h('td', { class: 'num' }, text(carry ? i.items : i.rows)),
    h('td', { class: 'num' }, carry ? dash : text(i.issues)),
    h('td', { 'data-field': 'checks' }, checksCell(carry ? [] : i.checks)),
  );
}

/**
 * A statement's own checks: `consistent` says only that opening + credits − debits = closing; the
 * running balance is checked line by line, and its breaks are shown on the same row.
 * @param {StatementTotals} st @param {number} breaks the statement's running-balance breaks
 */
function statementChecks(st, breaks) {
  const totals = st.consistent
    ? h('span', { class: 'ok', 'data-check': 'totals', 'data-passed': 'true' }, '✓ 收支相符 totals agree')
    : h('span', { class: 'bad', 'data-check': 'totals', 'data-passed': 'false' }, '✗ 收支不符 totals disagree');
  const parts = [totals];
  if (breaks > 0) {
    parts.push(h('br'), h('span', { class: 'bad', 'data-check': 'running', 'data-passed': 'false' },
      `✗ 余额断点 ${breaks} ${breaks === 1 ? 'break' : 'breaks'}`));
  }
  // Downloads of one account that overlap: the movements an earlier file already had count once, there.
  if (st.repeated > 0) {
    parts.push(h('br'), h('span', { 'data-field': 'repeated' },
      `${st.repeated} 笔已在前一份流水中 ${st.repeated === 1 ? 'movement' : 'movements'} also in an earlier file (counted once)`));
  }
  return parts;
}

/** Rows of the later movements shown at most; the rest are counted (they are all in the report). */
const LATER_SHOWN = 200;

/**
 * The bank's balance at the cut-off, per account, with the movement it is the balance after; the
 * movements after the cut-off, apart.
 * @param {BalanceReport | null} balance
 */
function showCutoff(balance) {
  const accounts = balance?.bank_balances ?? [];
  $('#bank-at-cutoff').replaceChildren(...accounts.map((b) => h('li', { 'data-account': b.account ?? '' },
    `银行余额取日切 ${text(balance?.cutoff)} 时点 bank balance at the cut-off: ${b.account ? `${b.account} ` : ''}${money(b.balance)}`,
    b.file ? ` · ${b.file}:${b.line} (${text(b.date)}${b.time ? ` ${b.time}` : ''}) 之后 after` : ' · 期初 opening',
    b.later > 0 ? ` · 日切后 ${b.later} 笔 later movements apart` : '',
    b.ends_before_cutoff ? h('strong', { class: 'bad', 'data-field': 'ends_before_cutoff' }, ' · 流水止于日切前一日 the statement ends before the cut-off\'s day') : '')));
  const later = balance?.later_movements ?? [];
  $('#later-box').hidden = later.length === 0;
  $('#later-count').textContent = `(${later.length})`;
  $('#later-movements tbody').replaceChildren(...later.slice(0, LATER_SHOWN).map((m) => h('tr', { 'data-id': m.id },
    h('td', {}, m.date), h('td', {}, text(m.time)), h('td', { class: 'num' }, money(m.amount)),
    h('td', {}, text(m.counterparty)), h('td', {}, text(m.memo)), h('td', {}, `${m.file}:${m.line}`))),
    ...(later.length > LATER_SHOWN ? [h('tr', {}, h('td', { colSpan: 6 }, `… ${later.length - LATER_SHOWN} 笔未显示 more in the report`))] : []));
}

/** The 余额调节表: book side | bank side, each cell the engine's string. @param {ReconciliationStatement | null} st */
function showStatement(st) {
  const table = $('#statement');
  $('#statement-none').hidden = Boolean(st);
  table.hidden = !st;
  $('.statement-wrap').hidden = !st;
  $as('#print', HTMLButtonElement).disabled = !st;
  if (!st) return;
  $('#statement-date').textContent = state.fund?.as_of ? `${state.fund.as_of}` : '';
  for (const key of STATEMENT_AMOUNTS) {
    $(`[data-field="${key}"]`, table).textContent = money(st[key]);
  }
  $('[data-field="book_source"]', table).textContent = st.book_source ? `(${st.book_source})` : '';
  table.dataset.outcome = st.outcome;
  const tag = labelTag(st.label);
  const verdict = st.outcome === 'matched'
    ? [h('span', { class: 'ok' }, '✓ 平衡 balanced')]
    : [h('span', { class: 'bad' }, '✗ 余额不符 balance_break'), ...(tag ? [' ', tag] : [])];
  $('[data-field="outcome"]', table).replaceChildren(...verdict, ' ', h('code', {}, st.outcome));
}

/** @param {FundKind} kind */
const kindCell = (kind) => h('td', {}, ...bi(...FUND_KINDS[kind]));

/** A row of the fund-flow matches table. @param {MatchView} m */
export function fundMatchRow(m) {
  return h('tr', { 'data-outcome': m.outcome, 'data-kind': m.kind },
    h('td', {}, h('span', { class: 'badge', 'data-outcome': m.outcome }, FUND_OUTCOMES.find(([c]) => c === m.outcome)?.[1] ?? m.outcome), ' ', h('code', {}, m.outcome)),
    kindCell(m.kind),
    h('td', {}, h('code', {}, text(m.merchant))),
    h('td', { class: 'num' }, text(m.d), m.label ? [' ', labelTag(m.label)] : null),
    h('td', { 'data-field': 'explanation' }, text(m.explanation)),
  );
}

/**
 * A pair's (or a match's) expected against credited: 应到 = 交易 − 退款 − 手续费, 实到, 差额.
 * @param {NonNullable<MatchView['breakdown']>} b
 */
function breakdownLine(b) {
  const causes = b.causes.filter((c) => c.explains).map((c) => `${c.kind_zh} ${money(c.amount)}（${c.detail}）`);
  return h('span', { class: 'breakdown', 'data-field': 'breakdown' },
    `应到 expected ${money(b.expected)} = 交易 ${money(b.gross)} − 退款 ${money(b.refunds)} − 手续费 ${money(b.fees)}`,
    ` · 实到 credited ${money(b.credited)} · 差额 d ${money(b.d)}`,
    causes.length ? ` · 原因 causes: ${causes.join('; ')}` : '',
    ` · 未解释 unexplained ${money(b.unexplained)}`);
}

/** A row of the fund-flow open items table. @param {ItemView} x */
export function fundItemRow(x) {
  const zh = x.outcome_zh || FUND_OUTCOMES.find(([c]) => c === x.outcome)?.[1] || '';
  return h('tr', { 'data-outcome': x.outcome, 'data-id': x.id, 'data-state': x.state, class: fundStandingOf(x.outcome) },
    h('td', { 'data-field': 'outcome' }, h('span', { class: 'badge', 'data-outcome': x.outcome }, zh), ' ', h('code', {}, x.outcome)),
    kindCell(x.kind),
    h('td', {}, h('code', {}, text(x.merchant))),
    h('td', {}, text(x.date)),
    h('td', { class: 'num' }, money(x.amount)),
    h('td', { class: 'num' }, money(x.d)),
    h('td', {}, labelTag(x.label) ?? dash),
    h('td', { class: 'num', 'data-field': 'age' }, x.age_days === null || x.age_days === undefined ? dash : String(x.age_days),
      x.carried_since ? h('small', {}, ` (自 since ${x.carried_since})`) : null),
    h('td', { class: 'source' }, x.file ? `${x.file}${x.line ? `:${x.line}` : ''}` : dash),
    h('td', { class: 'memo-message' },
      h('span', { class: 'memo', 'data-field': 'memo', title: '摘要 memo' }, text(x.memo)),
      h('span', { class: 'message' }, text(x.message)),
      x.pair?.breakdown ? breakdownLine(x.pair.breakdown) : null,
    ),
    ...handlingCells(x),
  );
}
