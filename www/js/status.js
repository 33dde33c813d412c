// The page's status: what can be pressed, the status line, progress and the error box.
import { $, $$, $as, bi } from './dom.js';
import { text } from './format.js';
import { PHASES } from './labels.js';
import { canRun, state } from './state.js';

/**
 * What the error box shows: the engine's error as it crossed (WireError), or why a worker did not start.
 * @typedef {{code?: string, message?: string, file?: string | null, line?: number | null, column?: number | null}} ShownError
 */

export const body = document.body;

/** What can be used now. @param {string | undefined} status 'loading' | 'ready' | 'running' | 'broken' */
export function setStatus(status) {
  body.dataset.status = status;
  const busy = status === 'running';
  const ready = status === 'ready';
  $as('#run', HTMLButtonElement).disabled = !ready || !canRun();
  $as('#sample', HTMLButtonElement).disabled = !ready;
  $as('#fund-sample', HTMLButtonElement).disabled = !ready;
  $as('#cancel', HTMLButtonElement).disabled = !busy;
  for (const id of ['#file-drop', '#file-internal', '#file-channel', '#file-bank', '#file-payouts', '#file-sub_ledger', '#file-carry', '#file-resolutions', '#book-balance']) {
    $as(id, HTMLInputElement).disabled = !ready;
  }
  $as('#profile', HTMLInputElement).disabled = !ready;
  $as('#swap', HTMLButtonElement).disabled = !ready || (!state.files.internal && state.files.channel.length === 0);
  for (const sel of $$('#files select', HTMLSelectElement)) sel.disabled = !ready;
  $('#results').setAttribute('aria-busy', busy ? 'true' : 'false');
}

/** Sets the status line. @param {string} zh @param {string} en */
export const say = (zh, en) => $('#status').replaceChildren(...bi(zh, en));

/** @param {import('./protocol.js').ProgressReply} progress */
export function showProgress({ phase, done, total, file }) {
  const bar = $as('#progress', HTMLProgressElement);
  const frac = total > 0 ? done / total : phase === 'done' ? 1 : 0;
  bar.max = 1;
  bar.value = Math.min(1, frac);
  const pct = `${Math.round(frac * 100)}%`;
  const [zh, en] = (PHASES[phase] ?? phase).split(' ');
  say(`${zh} ${pct}`, `${en ?? ''}${file ? ` ${file}` : ''}`);
}

/** Sets the progress bar (0 to 1). @param {number} value */
export const setProgress = (value) => {
  $as('#progress', HTMLProgressElement).value = value;
};

/** The error box: code, file, line, column and message of the engine's error. @param {ShownError} err */
export function showError(err) {
  const box = $('#error');
  const set = (/** @type {string} */ name, /** @type {unknown} */ v) => {
    $(`[data-field="${name}"]`, box).textContent = text(v);
  };
  set('code', err.code);
  set('file', err.file);
  set('line', err.line);
  set('column', err.column);
  set('message', err.message);
  box.dataset.code = err.code ?? '';
  box.hidden = false;
}

export function hideError() {
  $('#error').hidden = true;
}
