// The page's status: what can be pressed, the status line, progress and the error box.
import { $, $$, bi } from './dom.js';
import { text } from './format.js';
import { PHASES } from './labels.js';
import { canRun, state } from './state.js';

export const body = document.body;

/** 'loading' | 'ready' | 'running' | 'broken': enables what can be used now. */
export function setStatus(status) {
  body.dataset.status = status;
  const busy = status === 'running';
  const ready = status === 'ready';
  $('#run').disabled = !ready || !canRun();
  $('#sample').disabled = !ready;
  $('#fund-sample').disabled = !ready;
  $('#cancel').disabled = !busy;
  for (const id of ['#file-drop', '#file-internal', '#file-channel', '#file-bank', '#file-payouts', '#file-book', '#file-carry', '#book-balance']) {
    $(id).disabled = !ready;
  }
  $('#profile').disabled = !ready;
  $('#swap').disabled = !ready || (!state.files.internal && state.files.channel.length === 0);
  for (const sel of $$('#files select')) sel.disabled = !ready;
  $('#results').setAttribute('aria-busy', busy ? 'true' : 'false');
}

/** Sets the status line. */
export const say = (zh, en) => $('#status').replaceChildren(...bi(zh, en));

export function showProgress({ phase, done, total, file }) {
  const bar = $('#progress');
  const frac = total > 0 ? done / total : phase === 'done' ? 1 : 0;
  bar.max = 1;
  bar.value = Math.min(1, frac);
  const pct = `${Math.round(frac * 100)}%`;
  const [zh, en] = (PHASES[phase] ?? phase).split(' ');
  say(`${zh} ${pct}`, `${en ?? ''}${file ? ` ${file}` : ''}`);
}

/** The error box: code, file, line, column and message of the engine's error. */
export function showError(err) {
  const box = $('#error');
  const set = (name, v) => {
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
