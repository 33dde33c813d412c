// Running: a run of the picked files, the two samples, a re-run with a file's format forced, Cancel,
// and what a failed run shows.
import { $as } from './dom.js';
import { bookBalance, pickedInputs } from './files.js';
import { clearResults } from './results.js';
import { canRun, state } from './state.js';
import { body, hideError, say, setStatus, showError } from './status.js';
import { cancelRun, replace, sendRun } from './worker_client.js';

/**
 * @typedef {import('./protocol.js').Format} Format
 * @typedef {import('./protocol.js').Formats} Formats
 * @typedef {import('./protocol.js').RunFile} RunFile
 * @typedef {import('./protocol.js').RunRequest} RunRequest
 * @typedef {import('./protocol.js').SampleRequest} SampleRequest
 * @typedef {import('./protocol.js').ErrorReply} ErrorReply
 */

const progressBar = () => $as('#progress', HTMLProgressElement);
/** The date typed under the options, '' when none. */
const typedDate = () => $as('#date', HTMLInputElement).value;

function startRun() {
  hideError();
  clearResults();
  setStatus('running');
  progressBar().removeAttribute('value'); // indeterminate until the first progress message
}

/** Reconciles the picked files. */
export function run() {
  if (!canRun()) return;
  startRun();
  say('读取文件…', 'reading files…');
  const inputs = pickedInputs();
  state.last = { kind: 'run', inputs };
  // The File objects themselves go to the worker, which streams them into Wasm memory: the page
  // never holds a second copy of a statement.
  /** @type {RunRequest} */
  const message = {
    type: 'run',
    files: inputs.map(({ input, file }) => {
      /** @type {RunFile} */
      const f = { input, name: file.name, blob: file };
      const format = state.formats.get(file);
      if (format) f.format = format;
      return f;
    }),
  };
  if (bookBalance()) message.bookBalance = bookBalance();
  if (state.profileText !== null) message.profile = state.profileText;
  const date = typedDate();
  if (date) message.date = date;
  sendRun(message);
}

/** Runs the sample day embedded in the module; `formats[i]` forces the i-th file's format. @param {Formats} [formats] */
export function runSample(formats = {}) {
  startRun();
  say('载入示例…', 'loading the sample day…');
  state.last = { kind: 'sample', formats };
  /** @type {SampleRequest} */
  const message = { type: 'sample', formats };
  const date = typedDate();
  if (date) message.date = date;
  sendRun(message);
}

/** Runs the fund-flow sample embedded in the module. @param {Formats} [formats] */
export function runFundSample(formats = {}) {
  startRun();
  say('载入资金示例…', 'loading the fund-flow sample…');
  state.last = { kind: 'fund_sample', formats };
  sendRun({ type: 'fund_sample', formats });
}

/**
 * The per-file override: runs the last run again with input `source` read as `format` ('' detects).
 * @param {number} source @param {Format | ''} format
 */
export function rerunWithFormat(source, format) {
  const last = state.last;
  if (!last || body.dataset.status !== 'ready') return;
  if (last.kind === 'run') {
    const input = last.inputs[source];
    if (!input) return;
    if (format) state.formats.set(input.file, format);
    else state.formats.delete(input.file);
    run();
  } else {
    const formats = { ...last.formats };
    if (format) formats[source] = format;
    else delete formats[source];
    (last.kind === 'sample' ? runSample : runFundSample)(formats);
  }
}

export function cancel() {
  if (body.dataset.status !== 'running') return;
  progressBar().value = 0;
  say('已取消', 'cancelled');
  const replaced = cancelRun();
  if (!replaced) {
    // The worker stops at its next progress report (milliseconds) and stays loaded: no request.
    clearResults();
    setStatus('ready');
    return;
  }
  replaced.then(() => {
    if (body.dataset.status === 'ready') say('已取消', 'cancelled');
  });
}

/** A run failed (the error box says how); a fatal error replaces the worker. @param {ErrorReply} msg */
export function onError(msg) {
  showError(msg.error);
  if (msg.fatal) {
    say('引擎出错，已重启', 'the engine failed and was restarted');
    replace();
    return;
  }
  if (body.dataset.status === 'running') {
    progressBar().value = 0;
    say('失败', 'failed');
    setStatus('ready');
  }
}
