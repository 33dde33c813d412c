// The page's entry: wires the controls and starts the engine's workers.
//
// The engine lives in worker.js (its messages are typed in protocol.js). Every network request of the
// page happens at load time (these modules, the workers, the Wasm module); picking files and
// reconciling them only reads local files and talks to the workers. The one exception: a spreadsheet
// (XLS/XLSX) makes the worker import the spreadsheet module (/sheets/duizhang_sheets.js and its .wasm,
// same origin, once per worker); users who never open a spreadsheet never download it.
//
// Modules, each by concern: dom.js and format.js (helpers), labels.js (what codes are called),
// state.js (what the page holds), status.js (status line, progress, errors), worker_client.js (the
// workers, run ids, Cancel), routing.js (where a dropped file goes: pure), files.js (picking), run.js
// (running), results.js and fund_flow.js (the result), pages.js (paged tables), downloads.js.
import { $, $$, $as } from './dom.js';
import { download, onExport } from './downloads.js';
import { onResolved, wireHandling } from './handling.js';
import { onDrop, setFiles, showFiles, showGuess, swap } from './files.js';
import { clearingExceptionRow, wireClearing } from './clearing.js';
import { fundItemRow, fundMatchRow } from './fund_flow.js';
import { INPUTS } from './labels.js';
import { requestPage, showPage, turnPage } from './pages.js';
import { buildCards, clearResults, exceptionRow, issueRow, onSummary } from './results.js';
import { cancel, onError, rerunWithFormat, run, runFundSample, runSample } from './run.js';
import { state } from './state.js';
import { body, say, setStatus, showError, showProgress } from './status.js';
import { start } from './worker_client.js';

/**
 * @typedef {import('./protocol.js').Outcome} Outcome
 * @typedef {import('./protocol.js').FundOutcome} FundOutcome
 */

/**
 * What the active worker says about the current run.
 * @param {Exclude<import('./protocol.js').Reply, import('./protocol.js').DetectedReply>} msg
 */
function onReply(msg) {
  switch (msg.type) {
    case 'progress':
      showProgress(msg);
      break;
    case 'summary':
      onSummary(msg, rerunWithFormat);
      break;
    case 'page':
      if (msg.what === 'exceptions') showPage(msg, exceptionRow, 13);
      else if (msg.what === 'issues') showPage(msg, issueRow, 5);
      else if (msg.what === 'fund_matches') showPage(msg, fundMatchRow, 5);
      else if (msg.what === 'fund_exceptions') showPage(msg, fundItemRow, 12);
      else if (msg.what === 'clearing_exceptions') showPage(msg, clearingExceptionRow, 10);
      break;
    case 'export':
      onExport(msg);
      break;
    case 'resolved':
      onResolved(msg);
      break;
    case 'error':
      onError(msg);
      break;
    default:
      break;
  }
}

function wire() {
  buildCards();
  clearResults();

  for (const kind of INPUTS) {
    const input = $as(`#file-${kind}`, HTMLInputElement);
    input.addEventListener('change', () => {
      setFiles(kind, input.files ?? []);
      showGuess(null);
    });
  }
  $('#book-balance').addEventListener('input', () => setStatus(body.dataset.status));
  $('#fund-clear').addEventListener('click', () => {
    state.files.bank = [];
    state.files.payouts = [];
    state.files.sub_ledger = null;
    state.files.carry = null;
    state.files.resolutions = [];
    for (const kind of ['bank', 'payouts', 'sub_ledger', 'carry', 'resolutions']) $as(`#file-${kind}`, HTMLInputElement).value = '';
    $as('#book-balance', HTMLInputElement).value = '';
    showFiles();
  });
  $('#fund-sample').addEventListener('click', () => runFundSample());
  $('#print').addEventListener('click', () => window.print());
  $('#download-fund-csv').addEventListener('click', () => download('fund_csv'));
  $('#download-clearing-csv').addEventListener('click', () => download('clearing_csv'));
  $('#download-merchant-csv').addEventListener('click', () => download('merchant_csv', state.clearing_exceptions.merchant));
  wireClearing();
  $('#download-carry').addEventListener('click', () => download('carry'));
  $('#download-audit').addEventListener('click', () => download('audit'));
  $('#download-documents').addEventListener('click', () => download('documents'));
  wireHandling();
  const fundFilter = $as('#fund-filter', HTMLSelectElement);
  fundFilter.addEventListener('change', () => {
    // The options are '' and FUND_OUTCOMES codes (results.js buildCards).
    state.fund_exceptions.outcome = /** @type {FundOutcome | ''} */ (fundFilter.value);
    state.fund_exceptions.offset = 0;
    requestPage('fund_exceptions');
  });
  $('#swap').addEventListener('click', swap);
  $('#run').addEventListener('click', run);
  $('#sample').addEventListener('click', () => runSample());
  $('#cancel').addEventListener('click', cancel);
  $('#download-csv').addEventListener('click', () => download('csv'));
  $('#download-json').addEventListener('click', () => download('json'));
  const filter = $as('#filter', HTMLSelectElement);
  filter.addEventListener('change', () => {
    // The options are '' and OUTCOMES codes (results.js buildCards).
    state.exceptions.outcome = /** @type {Outcome | ''} */ (filter.value);
    state.exceptions.offset = 0;
    requestPage('exceptions');
  });
  for (const pager of $$('[data-pager]')) {
    // The pagers of index.html name the four paged tables.
    const what = /** @type {import('./protocol.js').PageKind} */ (pager.dataset.pager);
    $('[data-page="prev"]', pager).addEventListener('click', () => turnPage(what, -1));
    $('[data-page="next"]', pager).addEventListener('click', () => turnPage(what, +1));
  }

  const profile = $as('#profile', HTMLInputElement);
  profile.addEventListener('change', async () => {
    const file = profile.files?.[0];
    state.profileText = file ? await file.text() : null;
    $('#profile-clear').hidden = !file;
  });
  $('#profile-clear').addEventListener('click', () => {
    state.profileText = null;
    profile.value = '';
    $('#profile-clear').hidden = true;
  });

  const zone = $('#dropzone');
  const stop = (/** @type {Event} */ e) => {
    e.preventDefault();
    e.stopPropagation();
  };
  zone.addEventListener('dragenter', (e) => {
    stop(e);
    zone.classList.add('over');
  });
  zone.addEventListener('dragover', (e) => {
    stop(e);
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', (e) => {
    stop(e);
    zone.classList.remove('over');
  });
  zone.addEventListener('drop', (e) => {
    stop(e);
    zone.classList.remove('over');
    if (body.dataset.status !== 'ready') return;
    onDrop(e.dataTransfer?.files ?? []);
  });
  // A file dropped next to the zone must not make the browser navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  // Keyboard users: Enter/Space on the zone opens a picker of several files, routed as a drop is.
  const picker = $as('#file-drop', HTMLInputElement);
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      picker.click();
    }
  });
  picker.addEventListener('change', async () => {
    const files = [...(picker.files ?? [])];
    if (files.length === 0 || body.dataset.status !== 'ready') return;
    await onDrop(files);
    picker.value = ''; // picking the same files again routes them again
  });
}

wire();
// Both workers load now and the page is ready only when both are: every request the page makes
// happens before any file can be picked.
start({
  onReply,
  onLoading: () => setStatus('loading'),
  onReady: (version) => {
    $('#version').textContent = version;
    setStatus('ready');
  },
  onFailed: (err) => {
    showError(err);
    say('引擎加载失败', 'the engine failed to load');
    setStatus('broken');
  },
  onReplaced: clearResults,
  onCancelled: (run) => {
    body.dataset.cancelled = String(run);
  },
}).then(() => {
  if (body.dataset.status === 'ready') say('就绪', 'ready: pick or drop the files, or load a sample');
});
