// Table cells both result sections use: a file's total checks, an empty table's row, 长款/短款.
import { h } from './dom.js';
import { dash, text } from './format.js';

/** @typedef {import('../pkg/duizhang.js').Check} Check */

/** A check of a total the file states about itself: ✓ or ✗ with expected vs found. @param {Check} c */
function checkItem(c) {
  return h('li', { class: c.passed ? 'check ok' : 'check bad', 'data-check': c.name, 'data-passed': String(c.passed) },
    c.passed ? '✓ ' : '✗ ', h('code', {}, c.name), ' ',
    c.passed ? text(c.found) : [h('span', {}, `应为 expected ${text(c.expected)}`), ' · ', h('span', {}, `实为 found ${text(c.found)}`)],
  );
}

/** Failed checks in full; passed ones folded under a one-line summary. @param {Check[]} checks */
export function checksCell(checks) {
  if (checks.length === 0) return dash;
  const failed = checks.filter((c) => !c.passed);
  const passed = checks.filter((c) => c.passed);
  return [
    failed.length ? h('ul', { class: 'checks' }, failed.map(checkItem)) : null,
    passed.length
      ? h('details', { class: 'checks-ok' },
        h('summary', {}, `✓ ${passed.length} 项通过 passed`),
        h('ul', { class: 'checks' }, passed.map(checkItem)))
      : null,
  ];
}

/** The one row of a table with nothing in it. @param {number} cols */
export const emptyRow = (cols) => h('tr', { class: 'empty' }, h('td', { colSpan: cols }, '没有记录 nothing here'));

/** 长款 or 短款, coloured; null without a label. @param {'长款' | '短款' | null} label */
export const labelTag = (label) => (label ? h('span', { class: label === '长款' ? 'long' : 'short' }, label) : null);

/**
 * An item's id and its state in 差错处理 (the last resolution's action, who, when and the note as
 * the tooltip), the two last cells of the exceptions and open-items tables.
 * @param {{id: string, state: import('../pkg/duizhang.js').ItemState, resolution?: import('../pkg/duizhang.js').ResolutionView}} x
 */
export function handlingCells(x) {
  const r = x.resolution;
  // 处理 opens the dialog (handling.js); 撤销 undoes the last resolution until the log is exported.
  const act = x.state === 'closed'
    ? h('button', { type: 'button', class: 'link', 'data-unresolve': x.id }, '撤销 undo')
    : h('button', { type: 'button', class: 'link', 'data-resolve': x.id }, '处理 resolve');
  return [
    h('td', { 'data-field': 'id' }, h('code', {}, x.id)),
    h('td', { 'data-field': 'state', 'data-state': x.state, title: r ? `${r.by} ${r.at} (${r.source})${r.note ? `: ${r.note}` : ''}` : null },
      r ? `${r.action_zh} ${r.action}` : dash, ' ', act),
  ];
}
