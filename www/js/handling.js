// 差错处理 in the page: the 处理 dialog of a table row, undo, the handling summary and its downloads.
// The engine checks every resolution (an action the item's outcome does not take is refused, with
// the reason shown in the dialog); the page only supplies the time, as the engine never reads the clock.
import { $, $as, h } from './dom.js';
import { ACTIONS } from './labels.js';
import { requestPage } from './pages.js';
import { send } from './worker_client.js';

/**
 * @typedef {import('./protocol.js').ResolvedReply} ResolvedReply
 * @typedef {import('./protocol.js').HandlingReport} HandlingReport
 * @typedef {import('./protocol.js').Action} Action
 */

/** Local time as `YYYY-MM-DD HH:MM:SS`, the form the engine takes for `at`. @param {Date} d */
export function localTimestamp(d) {
  const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Opens the dialog for the item `id`, described by its table row. @param {string} id @param {HTMLTableRowElement} row */
function openDialog(id, row) {
  const dialog = $as('#resolve-dialog', HTMLDialogElement);
  $('[data-field="id"]', dialog).textContent = id;
  $('[data-field="item"]', dialog).textContent = row.querySelector('[data-field="outcome"]')?.textContent ?? '';
  dialog.dataset.id = id;
  $as('#resolve-note', HTMLTextAreaElement).value = '';
  $('#resolve-error').hidden = true;
  dialog.showModal();
}

/** Sends the dialog's resolution. */
function submit() {
  const dialog = $as('#resolve-dialog', HTMLDialogElement);
  const id = dialog.dataset.id ?? '';
  const action = /** @type {Action} */ ($as('#resolve-action', HTMLSelectElement).value);
  const note = $as('#resolve-note', HTMLTextAreaElement).value.trim();
  const by = $as('#resolve-by', HTMLInputElement).value.trim();
  send({ type: 'resolve', id, action, note, by, at: localTimestamp(new Date()) });
}

/** Shows the 差错处理 section (hidden without one). @param {HandlingReport | null} handling */
export function showHandling(handling) {
  const box = $('#handling-box');
  box.hidden = !handling;
  if (!handling) return;
  $('[data-field="open"]', box).textContent = String(handling.open);
  const resolved = ACTIONS.filter(([code]) => handling.resolved[code] > 0)
    .map(([code, zh]) => `${zh} ${handling.resolved[code]}`);
  $('[data-field="resolved"]', box).textContent = resolved.join(' · ') || '0';
  $('[data-field="log_lines"]', box).textContent = String(handling.log_lines);
}

/** The worker's answer to a resolve or undo. @param {ResolvedReply} msg */
export function onResolved(msg) {
  const dialog = $as('#resolve-dialog', HTMLDialogElement);
  if (msg.error) {
    const where = dialog.open ? $('#resolve-error') : $('#error');
    where.textContent = `${msg.error.code}: ${msg.error.message}`;
    where.hidden = false;
    return;
  }
  if (dialog.open) dialog.close();
  showHandling(msg.handling);
  // The rows show their new state: the pages shown are asked for again.
  requestPage('exceptions');
  requestPage('fund_exceptions');
}

/** Wires the dialog, the row buttons (delegated: rows come and go with pages) and the downloads. */
export function wireHandling() {
  $('#resolve-action').replaceChildren(...ACTIONS.map(([code, zh]) => h('option', { value: code }, `${zh} ${code}`)));
  $('#resolve-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  $('#resolve-cancel').addEventListener('click', () => $as('#resolve-dialog', HTMLDialogElement).close());
  for (const table of ['#exceptions', '#fund_exceptions']) {
    $(`${table} tbody`).addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target.closest('button') : null;
      const row = target?.closest('tr');
      if (!target || !row) return;
      if (target.dataset.resolve) openDialog(target.dataset.resolve, row);
      else if (target.dataset.unresolve) send({ type: 'unresolve', id: target.dataset.unresolve });
    });
  }
}
