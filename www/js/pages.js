// The paged tables (exceptions, row issues, fund-flow matches and open items): the worker keeps the
// result and answers one page at a time.
import { $, $as } from './dom.js';
import { emptyRow } from './cells.js';
import { state } from './state.js';
import { send } from './worker_client.js';

/**
 * @typedef {import('./protocol.js').PageKind} PageKind
 * @typedef {import('./protocol.js').PageRequest} PageRequest
 */
/**
 * @template T
 * @typedef {import('./protocol.js').Page<T>} Page
 */

export const PAGE_SIZE = 50;

/** Asks the worker for the current page of table `what` (its id, and its key in `state`). @param {PageKind} what */
export function requestPage(what) {
  if (!state.summary) return;
  const s = state[what];
  s.seq += 1;
  const table = $(`#${what}`);
  table.dataset.state = 'loading';
  const base = { type: /** @type {const} */ ('page'), offset: s.offset, limit: PAGE_SIZE, id: s.seq };
  const merchant = (/** @type {string} */ m) => (m ? { merchant: m } : {});
  /** @type {PageRequest} */
  const msg = what === 'exceptions' ? { ...base, what, ...(state.exceptions.outcome ? { outcome: state.exceptions.outcome } : {}) }
    : what === 'fund_exceptions' ? { ...base, what, ...(state.fund_exceptions.outcome ? { outcome: state.fund_exceptions.outcome } : {}),
      ...merchant(state.fund_exceptions.merchant) }
      : what === 'fund_matches' ? { ...base, what, ...merchant(state.fund_matches.merchant) }
        : what === 'clearing_exceptions' ? { ...base, what, ...(state.clearing_exceptions.class ? { class: state.clearing_exceptions.class } : {}),
          ...merchant(state.clearing_exceptions.merchant) }
          : { ...base, what };
  send(msg);
}

/**
 * Shows a page the worker answered, each row made by `render`; `cols` columns for the empty row.
 * @template T
 * @param {{what: PageKind, page: Page<T>, id?: number}} reply
 * @param {(row: T) => HTMLElement} render
 * @param {number} cols
 */
export function showPage({ what, page, id }, render, cols) {
  const s = state[what];
  if (!s || (id !== undefined && id !== s.seq)) return; // a newer page was asked for
  s.total = page.total;
  const rows = page.rows ?? [];
  const tbody = $(`#${what} tbody`);
  tbody.replaceChildren(...rows.map(render));
  if (rows.length === 0) tbody.replaceChildren(emptyRow(cols));
  const pager = $(`[data-pager="${what}"]`);
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + rows.length;
  $('[data-field="range"]', pager).textContent = page.total === 0 ? '0 / 0' : `${from}–${to} / ${page.total}`;
  $as('[data-page="prev"]', HTMLButtonElement, pager).disabled = page.offset <= 0;
  $as('[data-page="next"]', HTMLButtonElement, pager).disabled = to >= page.total;
  const table = $(`#${what}`);
  table.dataset.filter = 'outcome' in s ? s.outcome : 'class' in s ? s.class : '';
  table.dataset.state = 'loaded';
}

/** The previous (-1) or next (+1) page of table `what`. @param {PageKind} what @param {-1 | 1} dir */
export function turnPage(what, dir) {
  const s = state[what];
  const next = s.offset + dir * PAGE_SIZE;
  if (next < 0 || next >= s.total) return;
  s.offset = next;
  requestPage(what);
}
