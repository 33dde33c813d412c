// The page's main thread: file picking, the worker's life cycle, and rendering what the engine says.
// The engine lives in worker.js (protocol documented there). Every network request of the page
// happens at load time (this script, the workers, the Wasm module); picking files and reconciling
// them only reads local files and talks to the workers. The one exception: a spreadsheet (XLS/XLSX)
// makes the worker import the spreadsheet module (/sheets/duizhang_sheets.js and its .wasm, same
// origin, once per worker); users who never open a spreadsheet never download it.
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
/** Every input side the page takes, with its label (fund-flow sides included). */
const ALL_SIDES = {
  ...SIDES,
  bank: ['银行流水', 'bank statement'],
  payouts: ['代付指令', 'payouts'],
  book: ['分户账', 'sub-ledger'],
  carry: ['昨日状态', 'carry state'],
};
/** Statement layouts (`Format` codes) a channel file can be forced to be read as. */
const FORMATS = [
  ['generic_csv', '通用 CSV', 'generic CSV'],
  ['wechat_trade', '微信交易账单', 'WeChat trade bill'],
  ['wechat_fund_flow', '微信资金账单', 'WeChat fund flow'],
  ['alipay_trade', '支付宝业务明细', 'Alipay trade detail'],
  ['alipay_summary', '支付宝业务汇总', 'Alipay summary'],
  ['alipay_account_flow', '支付宝账务明细', 'Alipay account flow'],
  ['unionpay_zm', '银联 ZM 文件', 'UnionPay ZM'],
  ['bank_statement', '银行流水', 'bank statement'],
];
/** Fund-flow outcome codes, in report order. */
const FUND_OUTCOMES = [
  ['matched', '对平', 'matched'],
  ['matched_within_tolerance', '容差内对平', 'matched within tolerance'],
  ['in_transit', '在途 / 未达账项', 'in transit'],
  ['internal_only', '单边账(平台有、银行无)', 'internal only'],
  ['external_only', '单边账(银行有、平台无)', 'external only'],
  ['unexplained_movement', '无法识别款项', 'unexplained movement'],
  ['not_reconciled', '未核对(无代付指令)', 'not reconciled (no payouts)'],
  ['balance_break', '余额不符', 'balance break'],
];
const FUND_KINDS = {
  batch: ['结算批次', 'settlement batch'],
  credit: ['银行入账', 'bank credit'],
  debit: ['银行出账', 'bank debit'],
  payout: ['代付', 'payout'],
  settlement: ['结算', 'settlement'],
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

/** A header line number; 0 (a fixed-width file such as UnionPay ZM has no header) shows as —. */
const headerLine = (v) => (v === 0 || v === '0' ? dash : text(v));

/** Reads a field of a plain object or a Map (in case the engine hands out Maps). */
const field = (obj, key) => (obj instanceof Map ? obj.get(key) : obj?.[key]);

// ---------------------------------------------------------------------------------------------
// State

const state = {
  active: null, // {worker, ready: Promise<string>} running the current result
  spare: null, // a second, already initialised worker, so Cancel is instant and needs no fetch
  files: { internal: null, channel: [], bank: [], payouts: [], book: null, carry: null },
  formats: new Map(), // File → forced Format code (the per-file override)
  last: null, // how the shown result was produced: {kind:'run'|'sample'|'fund_sample', inputs, formats}
  profileText: null,
  summary: null,
  fund: null,
  exceptions: { offset: 0, outcome: '', total: 0, seq: 0 },
  issues: { offset: 0, total: 0, seq: 0 },
  fund_matches: { offset: 0, total: 0, seq: 0 },
  fund_exceptions: { offset: 0, outcome: '', total: 0, seq: 0 },
  run: 0, // id of the current run; messages of older (cancelled) runs are ignored
  detects: new Map(), // id → resolve of a 'detect' request to the worker (see detectSides)
  detectId: 0,
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
};
/** Orders and a bill, or a bank statement (fund flow alone). */
function canRun() {
  const f = state.files;
  return (Boolean(f.internal) && f.channel.length > 0) || f.bank.length > 0;
}
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
  // Detections the dropped worker never answered: the names decide.
  for (const resolve of state.detects.values()) resolve(null);
  state.detects.clear();
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
      onSummary(msg.summary, msg);
      break;
    case 'page':
      onPage(msg);
      break;
    case 'export':
      onExport(msg.format, msg.bytes);
      break;
    case 'detected':
      state.detects.get(msg.id)?.(msg.results);
      state.detects.delete(msg.id);
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

/** The files of a side as a list (single-file sides hold a File or null). */
const filesOf = (side) => {
  const v = state.files[side];
  return Array.isArray(v) ? v : v ? [v] : [];
};

function syncInput(side) {
  const input = $(`#file-${side}`);
  const files = filesOf(side);
  try {
    const dt = new DataTransfer();
    for (const file of files) dt.items.add(file);
    input.files = dt.files;
  } catch {
    if (files.length === 0) input.value = '';
  }
}

function showFiles() {
  for (const side of Object.keys(ALL_SIDES)) {
    const files = filesOf(side);
    const slot = $(`.slot[data-side="${side}"] [data-field="name"]`);
    const parts = files.flatMap((file, i) => [...(i > 0 ? [h('br')] : []), h('strong', {}, file.name), ` (${formatBytes(file.size)})`]);
    slot.replaceChildren(...(files.length ? parts : bi('未选择', 'none')));
  }
  setStatus(body.dataset.status);
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function setFiles(side, list) {
  const files = [...list];
  state.files[side] = Array.isArray(state.files[side]) ? files : files[0] ?? null;
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

/** Every dropped file's input, asked of the worker (the engine's detectSide on the file's head). */
function detectSides(files) {
  return new Promise((resolve) => {
    const id = ++state.detectId;
    state.detects.set(id, resolve);
    send({ type: 'detect', files, id });
  });
}

/**
 * A fallback for a file whose content does not decide and that is no plain table of orders (a
 * spreadsheet, say): its name, for the fund-flow inputs first. Null: the order/bill guess decides.
 */
const FUND_NAMES = [
  ['carry', /\.json$/i],
  ['payouts', /代付|payout/i],
  ['book', /分户账|sub-?ledger/i],
  ['bank', /银行|bank|对公|账户明细|statement/i],
];
const guessFundSide = (name) => FUND_NAMES.find(([, re]) => re.test(name))?.[0] ?? null;

/**
 * What content says of a file that is no input at all: it is left out of every input (the name does
 * not overrule it). A spreadsheet or a container whose head shows nothing stays to the name.
 */
const WHY = {
  not_text: ['不是文本', 'not text'],
  no_header: ['不是表格', 'no table header found'],
};
/** A profile may name columns the built-in aliases do not know: with one, a table without a known
 * header still goes by name or drop order, as before. */
const unusable = (why) => why === 'not_text' || (why === 'no_header' && state.profileText === null);

/** Sides a drop may fill with several files; the others take one. */
const MULTI_SIDES = new Set(['channel', 'bank', 'payouts']);

/**
 * Routes dropped files by content: the worker reads each file's first 64 KiB and the engine says
 * which input it is (a WeChat/Alipay/UnionPay bill → channel, a bank statement → bank, payouts,
 * sub-ledger, yesterday's state file). Only what content cannot tell goes by name: a plain table
 * of orders is an order export or a simple channel bill alike, so the name (or, when the names do
 * not tell either, the drop order) decides between the two, and Swap corrects it; of three or more
 * such tables one is the order export, the rest are bills. A file that is not text, or has no table
 * header content knows, goes nowhere and is listed as not used.
 */
async function onDrop(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  const detections = (await detectSides(files)) ?? files.map(() => null);
  const routes = []; // {file, side, by: 'content' | 'name' | 'order' | 'left', format?}
  const tables = []; // order tables and undecided files: internal or channel
  const unknown = []; // {file, why}: content says it is no input at all (not text, no table)
  files.forEach((file, i) => {
    const d = detections[i];
    if (d?.side) routes.push({ file, side: d.side, by: 'content', format: d.format });
    else if (d && !d.order_table && unusable(d.why)) unknown.push({ file, why: d.why });
    else if (!d?.order_table && guessFundSide(file.name)) routes.push({ file, side: guessFundSide(file.name), by: 'name' });
    else tables.push(file);
  });
  const billsByContent = routes.some((r) => r.side === 'channel');
  const tableRoutes = [];
  let ambiguous = false; // both sides guessed: offer Swap
  if (tables.length === 1) {
    const [f] = tables;
    const g = guessSide(f.name);
    // The one table left next to bills recognised by content is the order export.
    const side = g ?? (billsByContent ? 'internal' : state.files.internal && state.files.channel.length === 0 ? 'channel' : 'internal');
    tableRoutes.push({ file: f, side, by: g ? 'name' : 'left' });
  } else if (tables.length === 2) {
    const [a, b] = tables;
    const ga = guessSide(a.name);
    const gb = guessSide(b.name);
    let [internal, channel, by] = [a, b, 'order'];
    if (ga === 'internal' || gb === 'channel') [internal, channel, by] = [a, b, 'name'];
    else if (ga === 'channel' || gb === 'internal') [internal, channel, by] = [b, a, 'name'];
    tableRoutes.push({ file: internal, side: 'internal', by }, { file: channel, side: 'channel', by });
    ambiguous = true;
  } else if (tables.length > 2) {
    // One order export and several plain bills: the table whose name says orders, else the first
    // dropped whose name does not say bill, else the first dropped. It goes first, so that Swap
    // exchanges it with the next table.
    const named = tables.find((f) => guessSide(f.name) === 'internal');
    const internal = named ?? tables.find((f) => guessSide(f.name) !== 'channel') ?? tables[0];
    tableRoutes.push({ file: internal, side: 'internal', by: named ? 'name' : 'order' });
    for (const f of tables) {
      if (f !== internal) tableRoutes.push({ file: f, side: 'channel', by: guessSide(f.name) === 'channel' ? 'name' : 'order' });
    }
    ambiguous = true;
  }
  // Bills placed by name or order come first among the channel files, so Swap exchanges the guess.
  const all = [...tableRoutes, ...routes];
  const ignored = [];
  const filled = new Set();
  for (const r of all) {
    if (MULTI_SIDES.has(r.side)) {
      // A side this drop fills is replaced by the dropped files, as picking them would.
      if (!filled.has(r.side)) state.files[r.side] = [];
      state.files[r.side].push(r.file);
    } else if (filled.has(r.side)) {
      ignored.push(r);
      continue;
    } else {
      state.files[r.side] = r.file;
    }
    filled.add(r.side);
  }
  for (const side of filled) syncInput(side);
  if ([...filled].some((side) => !(side in SIDES))) $('#fund-inputs-box').open = true;
  hideError();
  showFiles();
  const BY = {
    content: ['按内容', 'by content'],
    name: ['按文件名', 'by name'],
    order: ['按拖入顺序', 'by drop order'],
    left: ['填入空缺的一侧', 'the side left open'],
  };
  const line = [];
  for (const r of all) {
    if (ignored.includes(r)) continue;
    if (line.length) line.push('; ');
    line.push(h('span', { 'data-route': r.side, 'data-by': r.by, title: r.format ?? null },
      h('strong', {}, r.file.name), ' → ', ...bi(...ALL_SIDES[r.side]), ` (${BY[r.by].join(' ')})`));
  }
  for (const r of ignored) {
    line.push('; ', h('span', { 'data-unused': r.side, 'data-by': r.by },
      h('strong', {}, r.file.name), ' ', ...bi(`未使用：${ALL_SIDES[r.side][0]}只取一个`, `not used: one ${ALL_SIDES[r.side][1]} file only`)));
  }
  for (const u of unknown) {
    if (line.length) line.push('; ');
    line.push(h('span', { 'data-unused': '', 'data-why': u.why },
      h('strong', {}, u.file.name), ' ', ...bi(`未使用：${WHY[u.why][0]}`, `not used: ${WHY[u.why][1]}`)));
  }
  if (ambiguous) line.push('. ', ...bi('不对就点“交换”', 'wrong? press Swap'));
  showGuess(line);
  // How many drops were routed: the routing waits for the worker, so tests wait for this.
  body.dataset.drops = String(Number(body.dataset.drops ?? 0) + 1);
}

function swap() {
  // Swaps the order export with the (first) channel bill.
  const [first, ...rest] = state.files.channel;
  const previous = state.files.internal;
  state.files.internal = first ?? null;
  state.files.channel = [...(previous ? [previous] : []), ...rest];
  syncInput('internal');
  syncInput('channel');
  showFiles();
  const internal = state.files.internal;
  const channel = state.files.channel[0];
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

/** The run's inputs, in reading order: orders, bills, then the fund-flow files. */
function pickedInputs() {
  const f = state.files;
  const inputs = [];
  if (f.internal) inputs.push({ side: 'internal', file: f.internal });
  for (const file of f.channel) inputs.push({ side: 'channel', file });
  for (const file of f.bank) inputs.push({ side: 'bank', file });
  for (const file of f.payouts) inputs.push({ side: 'payouts', file });
  // A typed amount wins over a sub-ledger file.
  if (f.book && !bookBalance()) inputs.push({ side: 'book', file: f.book });
  if (f.carry) inputs.push({ side: 'carry', file: f.carry });
  return inputs;
}

const bookBalance = () => $('#book-balance').value.trim();

function run() {
  if (!canRun()) return;
  startRun();
  say('读取文件…', 'reading files…');
  const inputs = pickedInputs();
  state.last = { kind: 'run', inputs };
  // The File objects themselves go to the worker, which streams them into Wasm memory: the page
  // never holds a second copy of a statement.
  const message = {
    type: 'run',
    files: inputs.map(({ side, file }) => {
      const f = { side, name: file.name, blob: file };
      const format = state.formats.get(file);
      if (format) f.format = format;
      return f;
    }),
  };
  if (bookBalance()) message.bookBalance = bookBalance();
  if (state.profileText !== null) message.profile = state.profileText;
  const date = $('#date').value;
  if (date) message.date = date;
  sendRun(message);
}

function runSample(formats = {}) {
  startRun();
  say('载入示例…', 'loading the sample day…');
  state.last = { kind: 'sample', formats };
  const message = { type: 'sample', formats };
  const date = $('#date').value;
  if (date) message.date = date;
  sendRun(message);
}

function runFundSample(formats = {}) {
  startRun();
  say('载入资金示例…', 'loading the fund-flow sample…');
  state.last = { kind: 'fund_sample', formats };
  sendRun({ type: 'fund_sample', formats });
}

/** The per-file override: runs the last run again with input `source` read as `format`. */
function rerunWithFormat(source, format) {
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

/** The format forced on input `source` of the shown result, or ''. */
function forcedFormat(source) {
  const last = state.last;
  if (!last) return '';
  if (last.kind === 'run') {
    const input = last.inputs[source];
    return (input && state.formats.get(input.file)) || '';
  }
  return last.formats?.[source] ?? '';
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
  state.fund = null;
  $('#fund-results').hidden = true;
  $('#converted').hidden = true;
  for (const id of ['#fund_matches', '#fund_exceptions', '#merchants', '#statements', '#running-breaks', '#fund-inputs']) {
    $(`${id} tbody`).replaceChildren();
  }
  $('#fund_matches').dataset.state = 'empty';
  $('#fund_exceptions').dataset.state = 'empty';
  for (const el of $$('#statement [data-field]')) el.textContent = '';
  delete $('#statement').dataset.outcome;
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
  $('#fund-cards').replaceChildren(
    ...FUND_OUTCOMES.map(([code, zh, en]) =>
      h('div', { class: 'card', 'data-fund-outcome': code },
        h('h4', {}, zh, ' ', h('span', { lang: 'en' }, en)),
        h('p', { class: 'count' }, h('span', { 'data-field': 'count' }), h('small', {}, ' 笔 items')),
      ),
    ),
  );
  $('#fund-filter').replaceChildren(
    h('option', { value: '' }, '全部 All'),
    ...FUND_OUTCOMES.filter(([code]) => !code.startsWith('matched') && code !== 'balance_break')
      .map(([code, zh]) => h('option', { value: code }, `${zh} ${code}`)),
  );
  const filter = $('#filter');
  filter.replaceChildren(
    h('option', { value: '' }, '全部 All'),
    // `matched` items are not exceptions, so they are not offered as a filter.
    ...OUTCOMES.filter(([code]) => code !== 'matched').map(([code, zh]) => h('option', { value: code }, `${zh} ${code}`)),
  );
}

function onSummary(summary, extra = {}) {
  state.summary = summary;
  setStatus('ready');
  $('#progress').value = 1;
  body.dataset.result = 'ok';
  const fund = extra.fund ?? null;
  say('完成', fund
    ? `done: ${fund.match_count} fund-flow matches, ${fund.exception_count} open items, ${field(summary, 'issue_count')} row issues`
    : `done: ${field(summary, 'exception_count')} exceptions, ${field(summary, 'issue_count')} row issues`);

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

  const sources = extra.sources ?? [];
  $('#files tbody').replaceChildren(...(field(summary, 'files') ?? []).map((f, i) => fileRow(f, sources[i])));
  const converted = extra.converted ?? [];
  $('#converted').hidden = converted.length === 0;
  $('#converted').replaceChildren(
    ...bi('电子表格已在本机转换为 CSV', 'spreadsheets converted to CSV on this machine'), ': ', converted.join(', '),
  );
  // Information flow needs both sides; a fund-flow run may have bills only, or no table at all.
  const sidesRead = new Set((field(summary, 'files') ?? []).map((f) => f.side));
  const hasInfo = sidesRead.has('internal') && sidesRead.has('channel');
  $('#info-results').hidden = !hasInfo;
  $('#issue-count').textContent = `(${field(summary, 'issue_count') ?? 0})`;

  state.exceptions.offset = 0;
  state.issues.offset = 0;
  $('#results').hidden = false;
  if (hasInfo) requestPage('exceptions');
  else $('#exceptions').dataset.state = 'loaded';
  requestPage('issues');
  showFund(fund, extra.inputs ?? []);
}

/** A check of a total the file states about itself: ✓ or ✗ with expected vs found. */
function checkItem(c) {
  return h('li', { class: c.passed ? 'check ok' : 'check bad', 'data-check': c.name, 'data-passed': String(c.passed) },
    c.passed ? '✓ ' : '✗ ', h('code', {}, c.name), ' ',
    c.passed ? text(c.found) : [h('span', {}, `应为 expected ${text(c.expected)}`), ' · ', h('span', {}, `实为 found ${text(c.found)}`)],
  );
}

/** Failed checks in full; passed ones folded under a one-line summary. */
function checksCell(checks) {
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

function fileRow(f, source) {
  const checks = f.checks ?? [];
  const forced = source === undefined ? '' : forcedFormat(source);
  let override = dash;
  if (f.side === 'channel' && source !== undefined) {
    override = h('select', { 'data-source': String(source), 'aria-label': `${f.name}: 按此格式读取 read as` },
      h('option', { value: '' }, forced ? '自动检测 auto-detect' : `自动检测 auto (${f.format})`),
      ...FORMATS.map(([code, zh, en]) => h('option', { value: code, selected: code === forced }, `${zh} ${en} · ${code}`)),
    );
    override.disabled = body.dataset.status !== 'ready';
    // The column is narrow: the chosen option's full text is the select's tooltip.
    override.title = override.selectedOptions[0]?.textContent ?? '';
    override.addEventListener('change', (e) => {
      e.target.title = e.target.selectedOptions[0]?.textContent ?? '';
      rerunWithFormat(source, e.target.value);
    });
  }
  return h('tr', { 'data-side': f.side, 'data-source': source === undefined ? null : String(source), 'data-forced': forced || null },
    h('td', {}, f.name),
    h('td', {}, ...(SIDES[f.side] ? bi(...SIDES[f.side]) : [f.side])),
    h('td', {},
      h('code', { 'data-field': 'format' }, text(f.format)),
      f.variant ? [' ', h('small', { 'data-field': 'variant' }, f.variant)] : null,
      forced ? [' ', h('span', { class: 'tag' }, '指定 forced')] : null,
    ),
    h('td', { 'data-field': 'encoding' }, text(f.encoding)),
    h('td', { class: 'num', 'data-field': 'header_line', title: (f.header ?? []).join(' | ') || null }, headerLine(f.header_line)),
    h('td', { class: 'num' }, text(f.rows)),
    h('td', { class: 'num' }, text(f.skipped)),
    h('td', {}, override),
    h('td', { 'data-field': 'checks' }, checksCell(checks)),
  );
}

// ---------------------------------------------------------------------------------------------
// Fund flow

const money = (v) => text(v);

function showFund(fund, inputs) {
  state.fund = fund;
  $('#fund-results').hidden = !fund;
  if (!fund) return;
  $('#fund-as-of').textContent = fund.as_of ? `截至 as of ${fund.as_of}` : '';
  const counts = fund.counts ?? {};
  for (const [code] of FUND_OUTCOMES) {
    const card = $(`#fund-cards [data-fund-outcome="${code}"]`);
    $('[data-field="count"]', card).textContent = String(counts[code] ?? 0);
    card.classList.toggle('zero', Number(counts[code] ?? 0) === 0); // a count, not money
  }
  for (const [code, zh] of FUND_OUTCOMES) {
    const opt = $(`#fund-filter option[value="${code}"]`);
    if (opt) opt.textContent = `${zh} ${code} (${counts[code] ?? 0})`;
  }
  const items = fund.items ?? {};
  $('#fund-items').replaceChildren(
    `结算批次 batches ${items.batches ?? 0} · 银行流水 movements ${items.movements ?? 0} · 代付 payouts ${items.payouts ?? 0} · `,
    `匹配 matches ${fund.match_count ?? 0} · 未达/差错 open items ${fund.exception_count ?? 0}`,
    fund.carried_out ? ` · 转入明日 carried to tomorrow ${fund.carried_out}` : '',
  );

  $('#fund-inputs tbody').replaceChildren(...inputs.map((i) =>
    h('tr', { 'data-side': i.side },
      h('td', {}, i.name),
      h('td', {}, ...(ALL_SIDES[i.side] ? bi(...ALL_SIDES[i.side]) : [i.side])),
      h('td', {}, text(i.encoding ?? (i.side === 'carry' ? `截至 as of ${text(i.as_of)}` : null))),
      h('td', { class: 'num', 'data-field': 'header_line', title: (i.header ?? []).join(' | ') || null }, headerLine(i.header_line)),
      h('td', { class: 'num' }, text(i.rows ?? i.items)),
      h('td', { class: 'num' }, text(i.issues)),
      h('td', { 'data-field': 'checks' }, checksCell(i.checks ?? [])),
    ),
  ));
  $('#fund-inputs-wrap').hidden = inputs.length === 0;

  $('#merchants tbody').replaceChildren(...(fund.merchants ?? []).map((m) =>
    h('tr', { 'data-merchant': m.merchant },
      h('td', {}, h('code', {}, m.merchant)),
      h('td', { class: 'num' }, text(m.batches)),
      ...['settled', 'credited', 'matched', 'in_transit', 'internal_only', 'external_only']
        .map((k) => h('td', { class: 'num', 'data-field': k }, money(m[k]))),
    ),
  ));
  if ((fund.merchants ?? []).length === 0) $('#merchants tbody').replaceChildren(emptyRow(8));

  const balance = fund.balance ?? null;
  const breaks = balance?.running_breaks ?? [];
  $('#break-count').textContent = `(${breaks.length})`;
  $('#running-breaks tbody').replaceChildren(...(breaks.length ? breaks.map((b) =>
    h('tr', {},
      h('td', {}, b.file), h('td', { class: 'num' }, text(b.line)),
      h('td', { class: 'num' }, money(b.expected)), h('td', { class: 'num' }, money(b.found)),
      h('td', { class: 'num' }, money(b.missing)),
    )) : [emptyRow(5)]));
  const continuity = balance?.continuity_breaks ?? [];
  $('#statements tbody').replaceChildren(
    ...(balance?.statements ?? []).map((st) =>
      h('tr', {},
        h('td', {}, st.file), h('td', {}, text(st.account)),
        h('td', {}, `${text(st.first_date)} – ${text(st.last_date)}`),
        h('td', { class: 'num' }, money(st.opening)), h('td', { class: 'num' }, money(st.credits)),
        h('td', { class: 'num' }, money(st.debits)), h('td', { class: 'num' }, money(st.closing)),
        h('td', { 'data-field': 'checks' }, ...statementChecks(st, breaks.filter((b) => b.file === st.file).length)),
      )),
    ...continuity.map((c) =>
      h('tr', { class: 'break' },
        h('td', { colSpan: 8 }, '✗ ', `${c.previous_file} → ${c.file}: `, `应为 expected ${money(c.expected)} · 实为 found ${money(c.found)} · 缺 missing ${money(c.missing)}`),
      )),
  );

  showStatement(balance?.statement ?? null);

  state.fund_matches.offset = 0;
  state.fund_exceptions.offset = 0;
  requestPage('fund_matches');
  requestPage('fund_exceptions');
}

/**
 * A statement's own checks: `consistent` says only that opening + credits − debits = closing; the
 * running balance is checked line by line, and its breaks are shown on the same row.
 */
function statementChecks(st, breaks) {
  const totals = st.consistent
    ? h('span', { class: 'ok', 'data-check': 'totals', 'data-passed': 'true' }, '✓ 收支相符 totals agree')
    : h('span', { class: 'bad', 'data-check': 'totals', 'data-passed': 'false' }, '✗ 收支不符 totals disagree');
  if (breaks === 0) return [totals];
  return [totals, h('br'), h('span', { class: 'bad', 'data-check': 'running', 'data-passed': 'false' },
    `✗ 余额断点 ${breaks} ${breaks === 1 ? 'break' : 'breaks'}`)];
}

const emptyRow = (cols) => h('tr', { class: 'empty' }, h('td', { colSpan: cols }, '没有记录 nothing here'));

/** The 余额调节表: book side | bank side, each cell the engine's string. */
function showStatement(st) {
  const table = $('#statement');
  $('#statement-none').hidden = Boolean(st);
  table.hidden = !st;
  $('.statement-wrap').hidden = !st;
  $('#print').disabled = !st;
  if (!st) return;
  $('#statement-date').textContent = state.fund?.as_of ? `${state.fund.as_of}` : '';
  for (const key of ['book_balance', 'bank_balance', 'bank_received_not_booked', 'bank_paid_not_booked',
    'booked_received_not_at_bank', 'booked_paid_not_at_bank', 'adjusted_book', 'adjusted_bank', 'difference']) {
    $(`[data-field="${key}"]`, table).textContent = money(st[key]);
  }
  $('[data-field="book_source"]', table).textContent = st.book_source ? `(${st.book_source})` : '';
  table.dataset.outcome = st.outcome;
  const verdict = st.outcome === 'matched'
    ? h('span', { class: 'ok' }, '✓ 平衡 balanced')
    : [h('span', { class: 'bad' }, '✗ 余额不符 balance_break'), st.label ? [' ', h('span', { class: st.label === '长款' ? 'long' : 'short' }, st.label)] : null];
  $('[data-field="outcome"]', table).replaceChildren(...[verdict].flat(2).filter(Boolean), ' ', h('code', {}, st.outcome));
}

function fundMatchRow(m) {
  return h('tr', { 'data-outcome': m.outcome, 'data-kind': m.kind },
    h('td', {}, h('span', { class: 'badge', 'data-outcome': m.outcome }, FUND_OUTCOMES.find(([c]) => c === m.outcome)?.[1] ?? m.outcome), ' ', h('code', {}, m.outcome)),
    h('td', {}, ...(FUND_KINDS[m.kind] ? bi(...FUND_KINDS[m.kind]) : [m.kind])),
    h('td', {}, h('code', {}, text(m.merchant))),
    h('td', { class: 'num' }, text(m.d), m.label ? [' ', h('span', { class: m.label === '长款' ? 'long' : 'short' }, m.label)] : null),
    h('td', { 'data-field': 'explanation' }, text(m.explanation)),
  );
}

function fundItemRow(x) {
  const zh = x.outcome_zh || FUND_OUTCOMES.find(([c]) => c === x.outcome)?.[1] || '';
  return h('tr', { 'data-outcome': x.outcome, 'data-id': x.id },
    h('td', { 'data-field': 'outcome' }, h('span', { class: 'badge', 'data-outcome': x.outcome }, zh), ' ', h('code', {}, x.outcome)),
    h('td', {}, ...(FUND_KINDS[x.kind] ? bi(...FUND_KINDS[x.kind]) : [x.kind])),
    h('td', {}, h('code', {}, text(x.merchant))),
    h('td', {}, text(x.date)),
    h('td', { class: 'num' }, money(x.amount)),
    h('td', { class: 'num' }, money(x.d)),
    h('td', {}, x.label ? h('span', { class: x.label === '长款' ? 'long' : 'short' }, x.label) : dash),
    h('td', { class: 'num', 'data-field': 'age' }, x.age_days === null || x.age_days === undefined ? dash : String(x.age_days),
      x.carried_since ? h('small', {}, ` (自 since ${x.carried_since})`) : null),
    h('td', { class: 'source' }, x.file ? `${x.file}${x.line ? `:${x.line}` : ''}` : dash),
    h('td', { class: 'memo-message' },
      h('span', { class: 'memo', 'data-field': 'memo', title: '摘要 memo' }, text(x.memo)),
      h('span', { class: 'message' }, text(x.message)),
    ),
  );
}

function requestPage(what) {
  if (!state.summary) return;
  const s = state[what];
  s.seq += 1;
  const table = $(`#${what}`);
  table.dataset.state = 'loading';
  const msg = { type: 'page', what, offset: s.offset, limit: PAGE_SIZE, id: s.seq };
  if ((what === 'exceptions' || what === 'fund_exceptions') && s.outcome) msg.outcome = s.outcome;
  send(msg);
}

function onPage({ what, page, id }) {
  const s = state[what];
  if (!s || (id !== undefined && id !== s.seq)) return; // a newer page was asked for
  s.total = page.total;
  const rows = page.rows ?? [];
  const tbody = $(`#${what} tbody`);
  const [render, cols] = {
    exceptions: [exceptionRow, 11],
    issues: [issueRow, 5],
    fund_matches: [fundMatchRow, 5],
    fund_exceptions: [fundItemRow, 10],
  }[what];
  tbody.replaceChildren(...rows.map(render));
  if (rows.length === 0) tbody.replaceChildren(emptyRow(cols));
  const pager = $(`[data-pager="${what}"]`);
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + rows.length;
  $('[data-field="range"]', pager).textContent = page.total === 0 ? '0 / 0' : `${from}–${to} / ${page.total}`;
  $('[data-page="prev"]', pager).disabled = page.offset <= 0;
  $('[data-page="next"]', pager).disabled = to >= page.total;
  const table = $(`#${what}`);
  table.dataset.filter = s.outcome ?? '';
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
  const date = field(state.summary, 'date') ?? state.fund?.as_of ?? 'undated';
  const fundDate = state.fund?.as_of ?? date;
  const [name, type] = {
    csv: [`duizhang-exceptions-${date}.csv`, 'text/csv;charset=utf-8'],
    json: [`duizhang-report-${date}.json`, 'application/json'],
    fund_csv: [`duizhang-fund-flow-${fundDate}.csv`, 'text/csv;charset=utf-8'],
    carry: [`duizhang-state-${fundDate}.json`, 'application/json'],
  }[format];
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

  for (const sideName of Object.keys(ALL_SIDES)) {
    $(`#file-${sideName}`).addEventListener('change', (e) => {
      setFiles(sideName, e.target.files);
      showGuess(null);
    });
  }
  $('#book-balance').addEventListener('input', () => setStatus(body.dataset.status));
  $('#fund-clear').addEventListener('click', () => {
    for (const side of ['bank', 'payouts']) state.files[side] = [];
    state.files.book = null;
    state.files.carry = null;
    for (const side of ['bank', 'payouts', 'book', 'carry']) $(`#file-${side}`).value = '';
    $('#book-balance').value = '';
    showFiles();
  });
  $('#fund-sample').addEventListener('click', () => runFundSample());
  $('#print').addEventListener('click', () => window.print());
  $('#download-fund-csv').addEventListener('click', () => download('fund_csv'));
  $('#download-carry').addEventListener('click', () => download('carry'));
  $('#fund-filter').addEventListener('change', (e) => {
    state.fund_exceptions.outcome = e.target.value;
    state.fund_exceptions.offset = 0;
    requestPage('fund_exceptions');
  });
  $('#swap').addEventListener('click', swap);
  $('#run').addEventListener('click', run);
  $('#sample').addEventListener('click', () => runSample());
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
  // Keyboard users: Enter/Space on the zone opens a picker of several files, routed as a drop is.
  const picker = $('#file-drop');
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      picker.click();
    }
  });
  picker.addEventListener('change', async () => {
    const files = [...picker.files];
    if (files.length === 0 || body.dataset.status !== 'ready') return;
    await onDrop(files);
    picker.value = ''; // picking the same files again routes them again
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
    if (body.dataset.status === 'ready') say('就绪', 'ready: pick or drop the files, or load a sample');
  });
