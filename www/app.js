// The page's main thread: file picking, the worker's life cycle, and rendering what the engine says.
// The engine lives in worker.js (protocol documented there). Every network request of the page
// happens at load time (this script, the workers, the Wasm module); picking files and reconciling
// them only reads local files and talks to the workers.
//
// Money values are the engine's strings and are shown as they are: never converted to Number.

const PAGE_SIZE = 50;

/** Outcome codes in report order, with the Chinese names users know. */
const OUTCOMES = [
  ['matched', '对平', 'matched'],
  ['matched_within_tolerance', '容差内对平', 'matched within tolerance'],
  ['amount_mismatch', '金额不符', 'amount mismatch'],
  ['status_mismatch', '状态不符', 'status mismatch'],
  ['internal_only', '单边账(平台有、渠道无)', 'internal only'],
  ['external_only', '单边账(渠道有、平台无)', 'external only'],
  ['duplicate', '重复', 'duplicate'],
  ['pending', '未达账项', 'pending'],
];
const TOTALS = [
  ['long_total', '长款合计', 'long total (d > 0)'],
  ['short_total', '短款合计', 'short total (d < 0)'],
  ['cross_day', '跨日', 'cross-day items'],
];
const SIDES = {
  internal: ['内部订单', 'internal'],
  channel: ['渠道对账单', 'channel'],
};
const PHASES = {
  read: '读取文件 reading',
  match: '匹配中 matching',
  done: '生成报告 reporting',
};

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Creates an element; children are nodes or strings (always set as text, never as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'title' || k === 'lang' || k === 'scope') el.setAttribute(k, v);
    else el[k] = v;
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const bi = (zh, en) => [zh, ' ', h('span', { lang: 'en' }, en)];
const dash = '—';
const text = (v) => (v === null || v === undefined || v === '' ? dash : String(v));

/** Reads a field of a plain object or a Map (in case the engine hands out Maps). */
const field = (obj, key) => (obj instanceof Map ? obj.get(key) : obj?.[key]);

// ---------------------------------------------------------------------------------------------
// State

const state = {
  active: null, // {worker, ready: Promise<string>} running the current result
  spare: null, // a second, already initialised worker, so Cancel is instant and needs no fetch
  files: { internal: null, channel: null },
  profileText: null,
  summary: null,
  exceptions: { offset: 0, outcome: '', total: 0, seq: 0 },
  issues: { offset: 0, total: 0, seq: 0 },
  run: 0, // id of the current run; messages of older (cancelled) runs are ignored
  // Cancel without losing the worker: the busy worker reads this flag at every progress report.
  // Needs cross-origin isolation (scripts/serve.mjs sends COOP/COEP); otherwise Cancel falls back
  // to terminating the worker.
  cancelFlag: globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null,
};

const body = document.body;
const setStatus = (status) => {
  body.dataset.status = status;
  const busy = status === 'running';
  const ready = status === 'ready';
  $('#run').disabled = !ready || !state.files.internal || !state.files.channel;
  $('#sample').disabled = !ready;
  $('#cancel').disabled = !busy;
  $('#file-internal').disabled = !ready;
  $('#file-channel').disabled = !ready;
  $('#profile').disabled = !ready;
  $('#swap').disabled = !ready || (!state.files.internal && !state.files.channel);
  $('#results').setAttribute('aria-busy', busy ? 'true' : 'false');
};
const say = (zh, en) => $('#status').replaceChildren(...bi(zh, en));

// ---------------------------------------------------------------------------------------------
// Workers

function spawn() {
  const worker = new Worker('worker.js', { type: 'module' });
  const slot = { worker, version: null };
  slot.ready = new Promise((resolve, reject) => {
    const first = (event) => {
      const msg = event.data;
      if (msg?.type === 'ready') {
        slot.version = msg.version;
        worker.removeEventListener('message', first);
        resolve(msg.version);
      } else if (msg?.type === 'error') {
        worker.removeEventListener('message', first);
        reject(msg.error);
      }
    };
    worker.addEventListener('message', first);
    worker.addEventListener('error', (e) => {
      e.preventDefault?.();
      reject({
        code: 'worker_failed',
        message: e.message || 'the worker could not start: worker.js or pkg/duizhang.js did not load (is www/pkg built? `make wasm`)',
      });
    });
  });
  slot.ready.catch(() => {}); // reported where awaited
  worker.addEventListener('message', (event) => {
    // Before 'ready', errors belong to slot.ready (handled by activate), not to a run.
    if (state.active === slot && slot.version !== null) onWorkerMessage(event.data);
  });
  return slot;
}

async function activate(slot) {
  state.active = slot;
  setStatus('loading');
  try {
    const v = await slot.ready;
    if (state.active !== slot) return;
    $('#version').textContent = v;
    setStatus('ready');
  } catch (err) {
    if (state.active !== slot) return;
    showError(err);
    say('引擎加载失败', 'the engine failed to load');
    setStatus('broken');
  }
}

/** Drops the active worker (cancel or trap) and continues with the spare. */
function replaceActive() {
  state.active?.worker.terminate();
  const next = state.spare ?? spawn();
  // Replacing the spare fetches worker.js and the module again, from this origin only.
  state.spare = spawn();
  clearResults();
  return activate(next);
}

function send(message, transfer) {
  state.active.worker.postMessage(message, transfer ?? []);
}

/** Sends a run or sample message under a new run id, with the cancel flag cleared. */
function sendRun(message, transfer) {
  state.run += 1;
  message.run = state.run;
  if (state.cancelFlag) {
    Atomics.store(state.cancelFlag, 0, 0);
    message.cancel = state.cancelFlag;
  }
  send(message, transfer);
}

function onWorkerMessage(msg) {
  if (msg?.run !== undefined && msg.run !== state.run) {
    // A cancelled run: its worker acknowledges by failing with 'cancelled' and is free again.
    if (msg.type === 'error' && msg.error?.code === 'cancelled') body.dataset.cancelled = String(msg.run);
    return;
  }
  switch (msg?.type) {
    case 'progress':
      showProgress(msg);
      break;
    case 'summary':
      onSummary(msg.summary);
      break;
    case 'page':
      onPage(msg);
      break;
    case 'export':
      onExport(msg.format, msg.bytes);
      break;
    case 'error':
      onError(msg);
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Picking files

const INTERNAL_NAME = /order|订单|internal|内部|平台|platform|ledger|台账|book/i;
const CHANNEL_NAME = /bill|账单|channel|渠道|wechat|weixin|wxpay|alipay|微信|支付宝|unionpay|银联|网联|statement|流水|settle|结算|trade/i;

/** 'internal', 'channel' or null when the name does not tell. */
export function guessSide(name) {
  const i = INTERNAL_NAME.test(name);
  const c = CHANNEL_NAME.test(name);
  if (i && !c) return 'internal';
  if (c && !i) return 'channel';
  return null;
}

function syncInput(side) {
  const input = $(`#file-${side}`);
  const file = state.files[side];
  try {
    const dt = new DataTransfer();
    if (file) dt.items.add(file);
    input.files = dt.files;
  } catch {
    if (!file) input.value = '';
  }
}

function showFiles() {
  for (const side of Object.keys(SIDES)) {
    const file = state.files[side];
    const slot = $(`.slot[data-side="${side}"] [data-field="name"]`);
    slot.replaceChildren(...(file ? [h('strong', {}, file.name), ` (${formatBytes(file.size)})`] : bi('未选择', 'none')));
  }
  setStatus(body.dataset.status);
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function setFile(side, file) {
  state.files[side] = file;
  hideError();
  showFiles();
}

function showGuess(lines) {
  const el = $('#guess');
  if (!lines) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.hidden = false;
  el.replaceChildren(...lines);
}

function onDrop(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  if (files.length > 2) {
    showError({ code: 'too_many_files', message: `拖入了 ${files.length} 个文件；请拖入两个 (one internal file and one channel bill)` });
    return;
  }
  let internal;
  let channel;
  let how;
  if (files.length === 1) {
    const [f] = files;
    const g = guessSide(f.name) ?? (state.files.internal && !state.files.channel ? 'channel' : 'internal');
    setFile(g, f);
    showGuess([...bi('按文件名推测', 'guessed from the name'), ': ', h('strong', {}, f.name), ' → ', ...bi(...SIDES[g])]);
    return;
  }
  const [a, b] = files;
  const ga = guessSide(a.name);
  const gb = guessSide(b.name);
  if (ga === 'internal' || gb === 'channel') [internal, channel, how] = [a, b, 'name'];
  else if (ga === 'channel' || gb === 'internal') [internal, channel, how] = [b, a, 'name'];
  else [internal, channel, how] = [a, b, 'order'];
  state.files.internal = internal;
  state.files.channel = channel;
  syncInput('internal');
  syncInput('channel');
  hideError();
  showFiles();
  showGuess([
    ...(how === 'name' ? bi('按文件名推测', 'guessed from the names') : bi('文件名无法判断，按拖入顺序', 'names do not tell; in drop order')),
    ': ',
    h('strong', {}, internal.name), ' → ', ...bi(...SIDES.internal), '; ',
    h('strong', {}, channel.name), ' → ', ...bi(...SIDES.channel), '. ',
    ...bi('不对就点“交换”', 'wrong? press Swap'),
  ]);
}

function swap() {
  [state.files.internal, state.files.channel] = [state.files.channel, state.files.internal];
  syncInput('internal');
  syncInput('channel');
  showFiles();
  const { internal, channel } = state.files;
  showGuess([
    ...bi('已交换', 'swapped'), ': ',
    h('strong', {}, internal?.name ?? dash), ' → ', ...bi(...SIDES.internal), '; ',
    h('strong', {}, channel?.name ?? dash), ' → ', ...bi(...SIDES.channel),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Running

function startRun() {
  hideError();
  clearResults();
  setStatus('running');
  $('#progress').removeAttribute('value'); // indeterminate until the first progress message
}

function run() {
  const { internal, channel } = state.files;
  if (!internal || !channel) return;
  startRun();
  say('读取文件…', 'reading files…');
  // The File objects themselves go to the worker, which streams them into Wasm memory: the page
  // never holds a second copy of a statement.
  const message = {
    type: 'run',
    files: [
      { side: 'internal', name: internal.name, blob: internal },
      { side: 'channel', name: channel.name, blob: channel },
    ],
  };
  if (state.profileText !== null) message.profile = state.profileText;
  const date = $('#date').value;
  if (date) message.date = date;
  sendRun(message);
}

function runSample() {
  startRun();
  say('载入示例…', 'loading the sample day…');
  const date = $('#date').value;
  sendRun(date ? { type: 'sample', date } : { type: 'sample' });
}

function cancel() {
  if (body.dataset.status !== 'running') return;
  $('#progress').value = 0;
  say('已取消', 'cancelled');
  if (state.cancelFlag) {
    // The worker stops at its next progress report (milliseconds) and stays loaded: no request.
    Atomics.store(state.cancelFlag, 0, 1);
    state.run += 1; // whatever the cancelled run still says is ignored
    clearResults();
    setStatus('ready');
    return;
  }
  replaceActive().then(() => {
    if (body.dataset.status === 'ready') say('已取消', 'cancelled');
  });
}

function showProgress({ phase, done, total, file }) {
  const bar = $('#progress');
  const frac = total > 0 ? done / total : phase === 'done' ? 1 : 0;
  bar.max = 1;
  bar.value = Math.min(1, frac);
  const pct = `${Math.round(frac * 100)}%`;
  const [zh, en] = (PHASES[phase] ?? phase).split(' ');
  say(`${zh} ${pct}`, `${en ?? ''}${file ? ` ${file}` : ''}`);
}

function onError(msg) {
  showError(msg.error ?? {});
  if (msg.fatal) {
    say('引擎出错，已重启', 'the engine failed and was restarted');
    replaceActive();
    return;
  }
  if (body.dataset.status === 'running') {
    $('#progress').value = 0;
    say('失败', 'failed');
    setStatus('ready');
  }
}

function showError(err) {
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

function hideError() {
  $('#error').hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Results

function clearResults() {
  state.summary = null;
  $('#results').hidden = true;
  delete body.dataset.result;
  $('#result-date').textContent = '';
  for (const el of $$('#cards [data-field], #totals [data-field]')) el.textContent = '';
  $('#files tbody').replaceChildren();
  $('#exceptions tbody').replaceChildren();
  $('#issues tbody').replaceChildren();
  $('#exceptions').dataset.state = 'empty';
  $('#issues').dataset.state = 'empty';
}

function buildCards() {
  $('#cards').replaceChildren(
    ...OUTCOMES.map(([code, zh, en]) =>
      h('div', { class: 'card', 'data-outcome': code },
        h('h4', {}, zh, ' ', h('span', { lang: 'en' }, en)),
        h('p', { class: 'count' }, h('span', { 'data-field': 'count' }), h('small', {}, ' 笔 items')),
        h('p', { class: 'amount' }, h('small', {}, '金额 amount '), h('span', { 'data-field': 'amount' })),
      ),
    ),
  );
  $('#totals').replaceChildren(
    ...TOTALS.map(([key, zh, en]) =>
      h('div', { class: 'card total', 'data-total': key },
        h('h4', {}, zh, ' ', h('span', { lang: 'en' }, en)),
        h('p', { class: 'amount' }, h('span', { 'data-field': 'value' })),
      ),
    ),
  );
  const filter = $('#filter');
  filter.replaceChildren(
    h('option', { value: '' }, '全部 All'),
    // `matched` items are not exceptions, so they are not offered as a filter.
    ...OUTCOMES.filter(([code]) => code !== 'matched').map(([code, zh]) => h('option', { value: code }, `${zh} ${code}`)),
  );
}

function onSummary(summary) {
  state.summary = summary;
  setStatus('ready');
  $('#progress').value = 1;
  body.dataset.result = 'ok';
  say('完成', `done: ${field(summary, 'exception_count')} exceptions, ${field(summary, 'issue_count')} row issues`);

  const date = field(summary, 'date');
  const source = field(summary, 'date_source');
  $('#result-date').textContent = date ? `${date} (${source === 'input' ? '指定 given' : source === 'inferred' ? '推断 inferred' : source})` : '无日期 no date';

  const counts = field(summary, 'counts');
  const amounts = field(summary, 'amounts');
  for (const [code] of OUTCOMES) {
    const card = $(`#cards [data-outcome="${code}"]`);
    $('[data-field="count"]', card).textContent = String(field(counts, code) ?? '');
    $('[data-field="amount"]', card).textContent = String(field(amounts, code) ?? '');
    card.classList.toggle('zero', Number(field(counts, code) ?? 0) === 0); // a count, not money
  }
  for (const [key] of TOTALS) {
    $(`#totals [data-total="${key}"] [data-field="value"]`).textContent = String(field(summary, key) ?? '');
  }
  for (const [code, zh] of OUTCOMES) {
    const opt = $(`#filter option[value="${code}"]`);
    if (opt) opt.textContent = `${zh} ${code} (${field(counts, code) ?? 0})`;
  }

  $('#files tbody').replaceChildren(
    ...(field(summary, 'files') ?? []).map((f) =>
      h('tr', { 'data-side': f.side },
        h('td', {}, f.name),
        h('td', {}, ...(SIDES[f.side] ? bi(...SIDES[f.side]) : [f.side])),
        h('td', {}, text(f.encoding)),
        h('td', { class: 'num', title: (f.header ?? []).join(' | ') }, text(f.header_line)),
        h('td', { class: 'num' }, text(f.rows)),
        h('td', { class: 'num' }, text(f.skipped)),
      ),
    ),
  );
  $('#issue-count').textContent = `(${field(summary, 'issue_count') ?? 0})`;

  state.exceptions.offset = 0;
  state.issues.offset = 0;
  $('#results').hidden = false;
  requestPage('exceptions');
  requestPage('issues');
}

function requestPage(what) {
  if (!state.summary) return;
  const s = state[what];
  s.seq += 1;
  const table = $(`#${what}`);
  table.dataset.state = 'loading';
  const msg = { type: 'page', what, offset: s.offset, limit: PAGE_SIZE, id: s.seq };
  if (what === 'exceptions' && s.outcome) msg.outcome = s.outcome;
  send(msg);
}

function onPage({ what, page, id }) {
  const s = state[what];
  if (!s || (id !== undefined && id !== s.seq)) return; // a newer page was asked for
  s.total = page.total;
  const rows = page.rows ?? [];
  const tbody = $(`#${what} tbody`);
  if (what === 'exceptions') tbody.replaceChildren(...rows.map(exceptionRow));
  else tbody.replaceChildren(...rows.map(issueRow));
  if (rows.length === 0) {
    const cols = what === 'exceptions' ? 11 : 5;
    tbody.replaceChildren(h('tr', { class: 'empty' }, h('td', { colSpan: cols }, '没有记录 nothing here')));
  }
  const pager = $(`[data-pager="${what}"]`);
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + rows.length;
  $('[data-field="range"]', pager).textContent = `${from}–${to} / ${page.total}`;
  $('[data-page="prev"]', pager).disabled = page.offset <= 0;
  $('[data-page="next"]', pager).disabled = to >= page.total;
  const table = $(`#${what}`);
  table.dataset.filter = what === 'exceptions' ? s.outcome : '';
  table.dataset.state = 'loaded';
}

function side(view) {
  if (!view) return [h('td', { class: 'num' }, dash), h('td', {}, dash), h('td', {}, dash)];
  return [
    h('td', { class: 'num', title: view.fee ? `手续费 fee ${view.fee}` : null }, text(view.amount)),
    h('td', { title: view.status }, text(view.status_word || view.status)),
    h('td', {}, text(view.time)),
  ];
}

function exceptionRow(x) {
  const zh = x.class_zh ?? OUTCOMES.find(([c]) => c === x.class)?.[1] ?? '';
  return h('tr', { 'data-outcome': x.class },
    h('td', { 'data-field': 'outcome' }, h('span', { class: 'badge', 'data-outcome': x.class }, zh), ' ', h('code', {}, x.class)),
    h('td', { title: x.key_field }, h('code', {}, text(x.key))),
    h('td', { class: 'num' }, text(x.d)),
    h('td', {}, x.label ? h('span', { class: x.label === '长款' ? 'long' : 'short' }, x.label) : dash),
    ...side(x.internal),
    ...side(x.channel),
    h('td', {}, x.cross_day ? h('span', { class: 'tag' }, '跨日 cross-day') : null, x.cross_day ? ' ' : null, text(x.message)),
  );
}

function issueRow(i) {
  return h('tr', { 'data-code': i.code },
    h('td', {}, text(i.file)),
    h('td', { class: 'num' }, text(i.line)),
    h('td', { class: 'num' }, text(i.column)),
    h('td', {}, h('code', {}, text(i.code))),
    h('td', {}, text(i.message)),
  );
}

function turnPage(what, dir) {
  const s = state[what];
  const next = s.offset + dir * PAGE_SIZE;
  if (next < 0 || next >= s.total) return;
  s.offset = next;
  requestPage(what);
}

// ---------------------------------------------------------------------------------------------
// Downloads

function download(format) {
  if (!state.summary) return;
  send({ type: 'export', format });
}

function onExport(format, bytes) {
  const date = field(state.summary, 'date') ?? 'undated';
  const [name, type] =
    format === 'csv'
      ? [`duizhang-exceptions-${date}.csv`, 'text/csv;charset=utf-8']
      : [`duizhang-report-${date}.json`, 'application/json'];
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can abort the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wire() {
  buildCards();
  clearResults();

  for (const sideName of Object.keys(SIDES)) {
    $(`#file-${sideName}`).addEventListener('change', (e) => {
      setFile(sideName, e.target.files[0] ?? null);
      showGuess(null);
    });
  }
  $('#swap').addEventListener('click', swap);
  $('#run').addEventListener('click', run);
  $('#sample').addEventListener('click', runSample);
  $('#cancel').addEventListener('click', cancel);
  $('#download-csv').addEventListener('click', () => download('csv'));
  $('#download-json').addEventListener('click', () => download('json'));
  $('#filter').addEventListener('change', (e) => {
    state.exceptions.outcome = e.target.value;
    state.exceptions.offset = 0;
    requestPage('exceptions');
  });
  for (const pager of $$('[data-pager]')) {
    const what = pager.dataset.pager;
    $('[data-page="prev"]', pager).addEventListener('click', () => turnPage(what, -1));
    $('[data-page="next"]', pager).addEventListener('click', () => turnPage(what, +1));
  }

  $('#profile').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    state.profileText = file ? await file.text() : null;
    $('#profile-clear').hidden = !file;
  });
  $('#profile-clear').addEventListener('click', () => {
    state.profileText = null;
    $('#profile').value = '';
    $('#profile-clear').hidden = true;
  });

  const zone = $('#dropzone');
  const stop = (e) => {
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
  // Keyboard users: Enter/Space on the zone opens the internal file picker.
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      $(state.files.internal ? '#file-channel' : '#file-internal').click();
    }
  });
}

wire();
// Load both workers now and call the page ready only when both are: every request the page makes
// happens before any file can be picked.
const first = spawn();
state.spare = spawn();
Promise.allSettled([first.ready, state.spare.ready])
  .then(() => activate(first))
  .then(() => {
    if (body.dataset.status === 'ready') say('就绪', 'ready: pick or drop two files, or load the sample day');
  });
