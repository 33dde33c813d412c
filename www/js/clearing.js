// The clearing section of a result (清分): one line per merchant over the run, with its fee check,
// what its payouts paid against what it was owed, and what is still owed; the 结算单 download has
// the lines per settlement date.
import { $, $$, $as, h } from './dom.js';
import { emptyRow, labelTag } from './cells.js';
import { compareMoney, dash, money, text } from './format.js';
import { requestPage } from './pages.js';
import { state } from './state.js';

/**
 * @typedef {import('./protocol.js').ClearingSummary} ClearingSummary
 * @typedef {import('./protocol.js').ClearingClass} ClearingClass
 * @typedef {import('./protocol.js').ClearingException} ClearingException
 * @typedef {import('../pkg/duizhang.js').ClearingAmounts} ClearingAmounts
 * @typedef {import('../pkg/duizhang.js').MerchantClearing} MerchantClearing
 */

/** The amounts shown, in column order. @type {(keyof ClearingAmounts)[]} */
const AMOUNTS = ['gross', 'refunds', 'fee_charged', 'fee_expected', 'commission', 'net_payable', 'credited',
  'paid_out', 'outstanding'];

/** Merchants drawn at a time: 10,000 sub-merchants stay usable. */
const MERCHANTS_SHOWN = 100;

/** The merchants table's filter (part of the merchant number), order and page. */
const view = { find: '', sort: 'merchant', offset: 0 };

/** Draws the page of merchants the filter and order give. */
function showMerchants() {
  const merchants = state.clearing?.merchants ?? [];
  const wanted = merchants.filter((m) => m.merchant.includes(view.find));
  const key = view.sort;
  /** @type {(x: MerchantClearing, y: MerchantClearing) => number} */
  const larger = key === 'exceptions' ? (x, y) => y.exceptions - x.exceptions
    : (x, y) => compareMoney(y[/** @type {keyof ClearingAmounts} */ (key)], x[/** @type {keyof ClearingAmounts} */ (key)]);
  const sorted = key === 'merchant' ? wanted : [...wanted].sort((x, y) => larger(x, y) || (x.merchant < y.merchant ? -1 : 1));
  view.offset = Math.min(view.offset, Math.max(0, sorted.length - 1 - ((sorted.length - 1) % MERCHANTS_SHOWN)));
  const shown = sorted.slice(view.offset, view.offset + MERCHANTS_SHOWN);
  $('#clearing tbody').replaceChildren(...(shown.length ? shown.map((m) =>
    h('tr', { 'data-merchant': m.merchant, class: m.exceptions > 0 ? 'break' : null, tabIndex: 0,
      title: '点击查看该商户明细 Click for the merchant\'s detail' },
      h('td', {}, h('code', {}, m.merchant)),
      h('td', {}, m.service_provider ? h('code', {}, m.service_provider) : dash),
      h('td', { class: 'num', 'data-field': 'transactions' }, text(m.transactions)),
      ...AMOUNTS.map((k) => h('td', { class: 'num', 'data-field': k }, money(m[k]))),
      h('td', { class: 'num', 'data-field': 'exceptions' }, text(m.exceptions)),
    )) : [emptyRow(13)]));
  const pager = $('#clearing-pager');
  const to = view.offset + shown.length;
  $('[data-field="range"]', pager).textContent = sorted.length === 0 ? '0 / 0' : `${view.offset + 1}–${to} / ${sorted.length}`;
  $as('[data-page="prev"]', HTMLButtonElement, pager).disabled = view.offset <= 0;
  $as('[data-page="next"]', HTMLButtonElement, pager).disabled = to >= sorted.length;
}

/** Shows a run's clearing (null: the section stays hidden). @param {ClearingSummary | null} clearing */
export function showClearing(clearing) {
  state.clearing = clearing;
  $('#clearing-results').hidden = !clearing;
  if (!clearing) return;
  const merchants = clearing.merchants;
  $('#clearing-count').textContent = `(${merchants.length} 商户 merchants · 手续费不符 fee mismatches ${clearing.fee_mismatches}`
    + ` · 代付不符 payout mismatches ${clearing.payout_mismatches}`
    + (clearing.sub_ledger_breaks > 0 ? ` · 分户账不符 sub-ledger breaks ${clearing.sub_ledger_breaks})` : ')');
  view.offset = 0;
  showMerchants();
  openMerchant('');
}

/**
 * Opens one merchant (its settlement dates; the clearing exceptions, fund flow's matches and open
 * items shown become its own), or closes it (''): the lists show every merchant's again.
 * @param {string} merchant
 */
export function openMerchant(merchant) {
  const m = state.clearing?.merchants.find((x) => x.merchant === merchant);
  $('#merchant-detail').hidden = !m;
  $('[data-field="merchant"]', $('#merchant-detail')).textContent = m ? m.merchant : '';
  $('#merchant-days tbody').replaceChildren(...(m ? m.days.map((d) =>
    h('tr', { 'data-date': d.settle_date, class: d.exceptions > 0 ? 'break' : null },
      h('td', {}, d.settle_date), h('td', {}, `${d.trade_from} – ${d.trade_to}`),
      h('td', { class: 'num' }, text(d.transactions)), h('td', { class: 'num' }, money(d.gross)),
      h('td', { class: 'num' }, money(d.fee_charged)), h('td', { class: 'num' }, money(d.net_payable)),
      h('td', { class: 'num' }, money(d.credited)), h('td', { class: 'num' }, money(d.paid_out)),
      h('td', { class: 'num', 'data-field': 'outstanding' }, money(d.outstanding)),
      h('td', { 'data-field': 'payout_rule' }, text(d.payout_rule)),
      h('td', { class: 'num' }, text(d.exceptions)))) : []));
  // The clearing exceptions, fund flow's matches and its open items narrow to the merchant.
  const scope = m ? m.merchant : '';
  const changed = state.fund_matches.merchant !== scope;
  for (const what of /** @type {const} */ (['clearing_exceptions', 'fund_matches', 'fund_exceptions'])) {
    state[what].merchant = scope;
    state[what].offset = 0;
    $(`#${what}`).dataset.merchant = scope;
  }
  for (const note of $$('[data-field="merchant-scope"]')) {
    note.textContent = scope ? `仅商户 ${scope} only (清分表中关闭 close it in the clearing table)` : '';
  }
  if (state.clearing) requestPage('clearing_exceptions');
  if (state.fund && changed) {
    requestPage('fund_matches');
    requestPage('fund_exceptions');
  }
}

/** One clearing exception: what it should be and what it is, whatever its class. @param {ClearingException} e */
export function clearingExceptionRow(e) {
  const [expected, actual, detail] = e.class === 'fee_mismatch'
    ? [e.fee_expected, e.fee_charged, `费率 rate ${e.rate}${e.bill_rate ? ` · 账单 bill ${e.bill_rate}` : ''}`]
    : e.class === 'payout_mismatch'
      ? [e.owed, e.paid, `${text(e.rule)} · ${(e.payouts ?? []).length} 笔代付 payouts`]
      : [e.expected, e.booked, text(e.check)];
  return h('tr', { 'data-id': e.id, 'data-class': e.class },
    h('td', {}, e.class_zh), h('td', {}, h('code', {}, e.merchant)), h('td', {}, e.settle_date),
    h('td', {}, h('code', {}, e.key)),
    h('td', { class: 'num', 'data-field': 'expected' }, money(expected)),
    h('td', { class: 'num', 'data-field': 'actual' }, money(actual)),
    h('td', { class: 'num', 'data-field': 'd' }, money(e.d)), h('td', {}, labelTag(e.label) ?? dash),
    h('td', { 'data-field': 'detail' }, detail),
    h('td', {}, e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : dash));
}

/** The merchant rows open their detail; filter, order and pager redraw them; the class filter pages the exceptions again. */
export function wireClearing() {
  const open = (/** @type {Event} */ ev) => {
    const row = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (ev.target).closest('tr[data-merchant]'));
    if (row?.dataset.merchant) openMerchant(row.dataset.merchant);
  };
  $('#clearing tbody').addEventListener('click', open);
  $('#clearing tbody').addEventListener('keydown', (ev) => {
    if (/** @type {KeyboardEvent} */ (ev).key === 'Enter') open(ev);
  });
  $('#merchant-close').addEventListener('click', () => openMerchant(''));
  const find = $as('#clearing-find', HTMLInputElement);
  find.addEventListener('input', () => {
    view.find = find.value.trim();
    view.offset = 0;
    showMerchants();
  });
  const sort = $as('#clearing-sort', HTMLSelectElement);
  sort.addEventListener('change', () => {
    view.sort = sort.value;
    view.offset = 0;
    showMerchants();
  });
  const pager = $('#clearing-pager');
  $('[data-page="prev"]', pager).addEventListener('click', () => {
    view.offset = Math.max(0, view.offset - MERCHANTS_SHOWN);
    showMerchants();
  });
  $('[data-page="next"]', pager).addEventListener('click', () => {
    view.offset += MERCHANTS_SHOWN;
    showMerchants();
  });
  const filter = $as('#clearing-filter', HTMLSelectElement);
  filter.addEventListener('change', () => {
    // The options are '' and ClearingClass codes (index.html).
    state.clearing_exceptions.class = /** @type {ClearingClass | ''} */ (filter.value);
    state.clearing_exceptions.offset = 0;
    requestPage('clearing_exceptions');
  });
}
