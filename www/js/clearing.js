// The clearing section of a result (清分): one line per merchant over the run, with its fee check,
// what its payouts paid against what it was owed, and what is still owed; the 结算单 download has
// the lines per settlement date.
import { $, h } from './dom.js';
import { emptyRow } from './cells.js';
import { dash, money, text } from './format.js';
import { state } from './state.js';

/**
 * @typedef {import('./protocol.js').ClearingSummary} ClearingSummary
 * @typedef {import('../pkg/duizhang.js').ClearingAmounts} ClearingAmounts
 */

/** The amounts shown, in column order. @type {(keyof ClearingAmounts)[]} */
const AMOUNTS = ['gross', 'refunds', 'fee_charged', 'fee_expected', 'commission', 'net_payable', 'credited',
  'paid_out', 'outstanding'];

/** Shows a run's clearing (null: the section stays hidden). @param {ClearingSummary | null} clearing */
export function showClearing(clearing) {
  state.clearing = clearing;
  $('#clearing-results').hidden = !clearing;
  if (!clearing) return;
  const merchants = clearing.merchants;
  $('#clearing-count').textContent = `(${merchants.length} 商户 merchants · 手续费不符 fee mismatches ${clearing.fee_mismatches}`
    + ` · 代付不符 payout mismatches ${clearing.payout_mismatches}`
    + (clearing.sub_ledger_breaks > 0 ? ` · 分户账不符 sub-ledger breaks ${clearing.sub_ledger_breaks})` : ')');
  $('#clearing tbody').replaceChildren(...(merchants.length ? merchants.map((m) =>
    h('tr', { 'data-merchant': m.merchant, class: m.exceptions > 0 ? 'break' : null },
      h('td', {}, h('code', {}, m.merchant)),
      h('td', {}, m.service_provider ? h('code', {}, m.service_provider) : dash),
      h('td', { class: 'num', 'data-field': 'transactions' }, text(m.transactions)),
      ...AMOUNTS.map((k) => h('td', { class: 'num', 'data-field': k }, money(m[k]))),
      h('td', { class: 'num', 'data-field': 'exceptions' }, text(m.exceptions)),
    )) : [emptyRow(13)]));
}
