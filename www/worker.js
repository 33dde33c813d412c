// The reconciliation worker: owns the Wasm module and the one Reconciliation of the page, so the
// main thread never blocks. Cancel sets a shared flag the engine reads at every progress report (or,
// without cross-origin isolation, terminates this worker). Created by js/worker_client.js as a module
// worker.
//
// The messages it takes and answers are typed in js/protocol.js (Request, Reply): run, sample and
// fund_sample reconcile and answer progress, then summary or error; page and export read the last
// result; detect says which input each file is, from its head.
//
// Requests
// --------
// Everything this worker needs (pkg/duizhang.js and its .wasm) is fetched by init(), before the page
// is ready. The ONE exception: the spreadsheet module. When the engine rejects a file with
// `spreadsheet_not_converted` (an XLS/XLSX), or a fund-flow file looks like a spreadsheet, this worker
// imports ./sheets/duizhang_sheets.js and its ./sheets/duizhang_sheets_bg.wasm (same origin, once per
// worker), converts the file to CSV with sheetToCsv() and reads the CSV under the same name. Users who
// never open a spreadsheet never download it.
//
// Money values stay strings end to end; nothing here converts them to Number.
import init, { version, sampleDay, sampleProfile, sampleFundFlow, detectInput, inputHeadBytes, isSpreadsheet, Reconciliation } from './pkg/duizhang.js';

/**
 * @typedef {import('./js/protocol.js').Request} Request
 * @typedef {import('./js/protocol.js').Reply} Reply
 * @typedef {import('./js/protocol.js').RunFile} RunFile
 * @typedef {import('./js/protocol.js').Formats} Formats
 * @typedef {import('./js/protocol.js').FundInput} FundInput
 * @typedef {import('./js/protocol.js').PageRequest} PageRequest
 * @typedef {import('./js/protocol.js').PageReply} PageReply
 * @typedef {import('./js/protocol.js').ExportFormat} ExportFormat
 * @typedef {import('./js/protocol.js').WireError} WireError
 * @typedef {import('./js/protocol.js').ResolveRequest} ResolveRequest
 * @typedef {import('./js/protocol.js').WorkerScope} WorkerScope
 * @typedef {import('./pkg/duizhang.js').CarryInfo} CarryInfo
 * @typedef {import('./pkg/duizhang.js').FundInputInfo} FundInputInfo
 */

const scope = /** @type {WorkerScope} */ (/** @type {unknown} */ (self));

/** The result of the last successful run; pages and exports read from it. @type {Reconciliation | null} */
let current = null;
let fatal = false;

/** @param {Reply} message @param {Transferable[]} [transfer] */
const post = (message, transfer = []) => scope.postMessage(message, transfer);

/** A property of a thrown value, whatever was thrown. @param {unknown} e @param {string} key @returns {unknown} */
const prop = (e, key) => (e !== null && typeof e === 'object' && key in e ? /** @type {Record<string, unknown>} */ (e)[key] : undefined);

/** What a thrown value says. @param {unknown} e */
const messageOf = (e) => String(prop(e, 'message') ?? e);

/** An Error with a stable code (and the file it is about). @param {string} message @param {string} code @param {string} [file] */
const coded = (message, code, file) => Object.assign(new Error(message), file === undefined ? { code } : { code, file });

/** @param {unknown} e @returns {{error: WireError, fatal: boolean}} */
function toError(e) {
  // A Wasm trap (e.g. a panic compiled to `unreachable`) leaves the instance unusable.
  const trap = typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
  const code = prop(e, 'code');
  // The engine's errors carry file, line and column (DuizhangError); anything else thrown has none.
  const at = (/** @type {string} */ key) => /** @type {string | number | null} */ (prop(e, key) ?? null);
  return {
    error: {
      code: typeof code === 'string' ? code : trap ? 'wasm_trap' : 'internal',
      message: messageOf(e ?? {}),
      file: /** @type {string | null} */ (at('file')),
      line: /** @type {number | null} */ (at('line')),
      column: /** @type {number | null} */ (at('column')),
    },
    fatal: trap,
  };
}

/** @param {unknown} e @param {number} [run] */
function fail(e, run) {
  const { error, fatal: isFatal } = toError(e);
  if (isFatal) fatal = true;
  /** @type {Reply} */
  const message = isFatal ? { type: 'error', error, fatal: true } : { type: 'error', error };
  if (run !== undefined) message.run = run;
  post(message);
}

const ready = init().then(
  () => post({ type: 'ready', version: version() }),
  (e) => {
    fatal = true;
    post({ type: 'error', error: toError(e).error, fatal: true });
  },
);

/** @param {ArrayBuffer | ArrayBufferView} b */
function asBytes(b) {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  throw coded('file bytes must be an ArrayBuffer or Uint8Array', 'bad_message');
}

// Reading is most of the work; matching the rest. Progress is reported in thousandths of the run.
const READ_SHARE = 0.85;
const PROGRESS_INTERVAL_MS = 50;

/** The spreadsheet module, imported on first need (the one request after the page is ready). @type {Promise<typeof import('./sheets/duizhang_sheets.js')> | null} */
let sheets = null;

/** @param {Uint8Array} bytes @param {string} name */
async function sheetToCsv(bytes, name) {
  if (!sheets) {
    sheets = (async () => {
      const mod = await import('./sheets/duizhang_sheets.js');
      await mod.default();
      return mod;
    })();
    sheets.catch(() => {
      sheets = null;
    });
  }
  let mod;
  try {
    mod = await sheets;
  } catch (e) {
    throw coded(`the spreadsheet module could not be loaded: ${messageOf(e)}`, 'sheets_unavailable', name);
  }
  try {
    return mod.sheetToCsv(bytes);
  } catch (e) {
    if (e && typeof e === 'object' && !prop(e, 'file')) Object.assign(e, { file: name });
    throw e;
  }
}

// Read whole, not in chunks: fund-flow files, the state file and resolutions are small.
const FUND_INPUTS = new Set(['bank', 'payouts', 'sub_ledger', 'carry', 'resolutions']);
/** JSON inputs: never a spreadsheet. */
const JSON_INPUTS = new Set(['carry', 'resolutions']);


const CHUNK_BYTES = 8 * 1024 * 1024;
/** The share of a File's progress that copying it into the worker's buffer takes. */
const COPY_SHARE = 0.1;

/**
 * A File's bytes in one buffer, read in chunks; `onChunk(bytesSoFar)` after each (it may throw to cancel).
 * @param {{blob: Blob, name: string}} f @param {(done: number) => void} onChunk
 */
async function fileBytes(f, onChunk) {
  const size = f.blob.size;
  const bytes = new Uint8Array(size);
  try {
    for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
      const chunk = new Uint8Array(await f.blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      bytes.set(chunk, offset);
      onChunk(offset + chunk.byteLength);
    }
  } catch (e) {
    if (prop(e, 'code') === 'cancelled') throw e;
    // e.g. the file was moved or changed on disk after it was picked.
    throw coded(`the file could not be read: ${messageOf(e)}`, 'io', f.name);
  }
  return bytes;
}

/** @param {RunFile} f */
async function wholeFile(f) {
  if (!('blob' in f)) return asBytes(f.bytes);
  try {
    return new Uint8Array(await f.blob.arrayBuffer());
  } catch (e) {
    throw coded(`the file could not be read: ${messageOf(e)}`, 'io', f.name);
  }
}

/**
 * Reads every file, runs, and answers the summary; keeps the result for pages and exports.
 * @param {RunFile[]} files @param {string | null | undefined} profile @param {string | undefined} date
 * @param {Int32Array | undefined} cancel @param {number | undefined} run @param {string} [bookBalance]
 */
async function reconcile(files, profile, date, cancel, run, bookBalance) {
  if (current) {
    current.free();
    current = null;
  }
  const sizeOf = (/** @type {RunFile} */ f) => ('blob' in f ? f.blob.size : asBytes(f.bytes).byteLength);
  const total = files.reduce((n, f) => n + sizeOf(f), 0) || 1;
  let before = 0; // bytes of the files already read
  /** @type {string | null} */
  let file = null;
  let currentSize = 0; // bytes of the file being read
  let copied = 0; // the share of its progress already taken by copying it (see COPY_SHARE)
  let lastPost = -Infinity;
  /** @param {'read' | 'match' | 'done'} phase @param {number} fraction */
  const report = (phase, fraction, force = false) => {
    const now = performance.now();
    if (!force && now - lastPost < PROGRESS_INTERVAL_MS) return;
    lastPost = now;
    post({ type: 'progress', phase, done: Math.round(fraction * 1000), total: 1000, file, run });
  };
  // The page sets cancel[0] = 1 (a SharedArrayBuffer): this busy thread cannot receive messages,
  // but it reads the flag at every progress report, and the engine stops within milliseconds.
  const cancelled = () => cancel instanceof Int32Array && Atomics.load(cancel, 0) === 1;
  const stopIfCancelled = () => {
    if (cancelled()) throw coded('the run was cancelled', 'cancelled');
  };
  stopIfCancelled();
  const rec = new Reconciliation(profile ?? null);
  // Called from inside the synchronous addFile()/run(): postMessage still reaches the page.
  rec.setProgress((phase, done, of) => {
    const part = of > 0 ? done / of : 0;
    if (phase === 'read') report('read', (READ_SHARE * (before + (copied + (1 - copied) * part) * currentSize)) / total);
    else if (phase === 'match') report('match', READ_SHARE + (1 - READ_SHARE) * 0.9 * part);
    else report('match', READ_SHARE + (1 - READ_SHARE) * (0.9 + 0.1 * part));
    return !cancelled();
  });
  /** @type {number[]} */
  const sources = []; // sources[i] = index of the input that produced table i
  /** @type {FundInput[]} */
  const inputs = []; // fund inputs: what addFile() said
  let fundsSeen = 0; // statements, payouts and sub-ledgers listed in `inputs` so far
  /** @type {string[]} */
  const converted = [];
  const noteTables = (/** @type {number} */ index) => {
    const n = rec.files().length;
    while (sources.length < n) sources.push(index);
  };
  try {
    for (const [index, f] of files.entries()) {
      file = f.name;
      currentSize = sizeOf(f);
      const format = f.format || undefined;
      report('read', (READ_SHARE * before) / total, true);
      stopIfCancelled();
      if (FUND_INPUTS.has(f.input)) {
        // Statements, payouts, sub-ledgers and state files are small: read whole.
        let bytes = await wholeFile(f);
        if (!JSON_INPUTS.has(f.input) && isSpreadsheet(bytes)) {
          bytes = await sheetToCsv(bytes, f.name);
          converted.push(f.name);
        }
        stopIfCancelled();
        // A fund-flow input: the engine answers what the file held, not a table. A zip of statements
        // holds several: fundInputs() lists every one read, so the new ones are those past the last count.
        const info = /** @type {FundInputInfo | CarryInfo} */ (rec.addFile(f.input, f.name, bytes));
        if (JSON_INPUTS.has(f.input)) {
          inputs.push({ ...info, source: index });
        } else {
          const all = /** @type {FundInputInfo[]} */ (rec.fundInputs());
          for (const read of all.slice(fundsSeen)) inputs.push({ ...read, source: index });
          fundsSeen = all.length;
        }
      } else {
        try {
          // The engine keeps the bytes where they are (here, in this worker's memory) and reads them
          // in chunks: they are never copied whole into Wasm memory, and the few records an
          // exception shows are read from them again. A File is read into one buffer first, in
          // chunks, so progress and Cancel keep going; handing the File itself to addFile() would
          // keep even that copy out of memory, but FileReaderSync reads about 4x slower.
          // Copying counts as a tenth of the file's share of the run, reading it as the rest.
          copied = 'blob' in f ? COPY_SHARE : 0;
          const onChunk = (/** @type {number} */ done) => {
            report('read', (READ_SHARE * (before + COPY_SHARE * done)) / total);
            stopIfCancelled();
          };
          const bytes = 'blob' in f ? await fileBytes(f, onChunk) : asBytes(f.bytes);
          rec.addFile(f.input, f.name, bytes, format);
        } catch (e) {
          if (prop(e, 'code') !== 'spreadsheet_not_converted') throw e;
          // An XLS/XLSX: convert it with the spreadsheet module (fetched now, once) and read the CSV.
          const csv = await sheetToCsv(await wholeFile(f), f.name);
          converted.push(f.name);
          stopIfCancelled();
          rec.addFile(f.input, f.name, csv, format);
        }
        noteTables(index);
      }
      before += currentSize;
    }
    file = null;
    if (bookBalance) rec.setBookBalance(String(bookBalance));
    report('match', READ_SHARE, true);
    stopIfCancelled();
    const summary = rec.run(date || null);
    const fund = rec.fundFlow();
    const clearing = rec.clearing();
    const handling = rec.handling();
    report('done', 1, true);
    current = rec;
    post({ type: 'summary', summary, sources, inputs, fund, clearing, handling, converted, run });
  } catch (e) {
    try {
      rec.free();
    } catch {
      // The instance may be dead after a trap; the error below says so.
    }
    throw e;
  }
}

/** Applies `formats` ({index: Format}) of a sample message to the sample's files. @param {RunFile[]} files @param {Formats} [formats] @returns {RunFile[]} */
function withFormats(files, formats) {
  return files.map((f, i) => (formats && formats[i] ? { ...f, format: formats[i] } : f));
}

const noResult = () => coded('no result yet: run a reconciliation first', 'no_result');

/** @param {PageRequest} msg */
function page(msg) {
  if (!current) throw noResult();
  const { offset = 0, limit = 50, id } = msg;
  /** @type {PageReply} */
  let reply;
  switch (msg.what) {
    case 'exceptions':
      reply = { type: 'page', what: msg.what, page: current.exceptions(offset, limit, msg.outcome || null) };
      break;
    case 'issues':
      reply = { type: 'page', what: msg.what, page: current.issues(offset, limit) };
      break;
    case 'fund_matches':
      reply = { type: 'page', what: msg.what, page: current.fundFlowMatches(offset, limit, msg.merchant || null) };
      break;
    case 'fund_exceptions':
      reply = { type: 'page', what: msg.what, page: current.fundFlowExceptions(offset, limit, msg.outcome || null, msg.merchant || null) };
      break;
    case 'clearing_exceptions':
      reply = { type: 'page', what: msg.what, page: current.clearingExceptions(offset, limit, msg.class || null, msg.merchant || null) };
      break;
    default:
      throw coded(`unknown page kind: ${prop(msg, 'what')}`, 'bad_message');
  }
  if (id !== undefined) reply.id = id;
  post(reply);
}

/**
 * 差错处理 on the last result. A refusal (an action the item's outcome does not take, an id no
 * longer open, a line already exported) is the engine's coded error, answered to the dialog, not a
 * failed run.
 * @param {ResolveRequest} msg
 */
function resolve(msg) {
  if (!current) throw noResult();
  try {
    const handling = msg.type === 'resolve'
      ? current.resolve(msg.id, msg.action, msg.note || null, msg.by, msg.at)
      : current.unresolve(msg.id);
    post({ type: 'resolved', id: msg.id, handling, error: null });
  } catch (e) {
    const { error, fatal: isFatal } = toError(e);
    if (isFatal) throw e;
    post({ type: 'resolved', id: msg.id, handling: null, error });
  }
}

/** @param {ExportFormat} format @param {string} [merchant] the merchant of a `merchant_csv` */
function exportReport(format, merchant) {
  if (!current) throw noResult();
  let bytes;
  if (format === 'csv') bytes = current.exportCsv();
  else if (format === 'json') bytes = current.exportJson();
  else if (format === 'fund_csv') bytes = current.exportFundFlowCsv();
  else if (format === 'carry') bytes = current.carryState();
  else if (format === 'clearing_csv') bytes = current.exportClearingCsv();
  else if (format === 'merchant_csv') bytes = current.exportClearingCsv(merchant ?? null);
  else if (format === 'audit') bytes = current.auditLog();
  else if (format === 'documents') bytes = new TextEncoder().encode(JSON.stringify(current.documents(), null, 2));
  else throw coded(`unknown export format: ${format}`, 'bad_message');
  const owned = ownBuffer(bytes);
  post({ type: 'export', format, bytes: owned }, [owned.buffer]);
}

/**
 * The bytes in a plain ArrayBuffer of their own, to transfer: the engine's exports already are (copies
 * out of Wasm memory); anything else is copied.
 * @param {Uint8Array} bytes @returns {Uint8Array<ArrayBuffer>}
 */
function ownBuffer(bytes) {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return new Uint8Array(buffer);
  }
  return bytes.slice();
}

// How much of each file detection reads (inputHeadBytes(), the engine's INPUT_HEAD_BYTES): every layout's header
// sits in the first lines, and the engine looks only at the whole lines of the head. A gzip or zip
// needs no more either: the engine inflates the start of each inner file from the head (a zip's local
// header comes first; the central directory at the end is not needed). A spreadsheet (XLS/XLSX) would
// need the whole file and the spreadsheet module, fetched only when a spreadsheet is read: detection
// does not convert it; the engine answers `why: 'spreadsheet'` and the page goes by the file's name.

/** @param {Blob[]} files @param {number} [id] */
async function detect(files, id) {
  /** @type {(import('./pkg/duizhang.js').InputDetection | null)[]} */
  const results = [];
  const headBytes = inputHeadBytes();
  for (const file of files) {
    let head;
    try {
      head = new Uint8Array(await file.slice(0, headBytes).arrayBuffer());
    } catch {
      // Unreadable (moved on disk?) or not a Blob: the name decides; reading it later reports the error.
      results.push(null);
      continue;
    }
    results.push(detectInput(head)); // never throws; a trap would be fatal and reported as such
  }
  post(id === undefined ? { type: 'detected', results } : { type: 'detected', results, id });
}

scope.onmessage = async (event) => {
  // What crosses postMessage is not checked at run time: anything else is a bad_message below.
  const msg = /** @type {Request} */ (event.data ?? {});
  await ready;
  if (fatal) {
    post({ type: 'error', error: { code: 'wasm_trap', message: 'the engine stopped after an internal error; reload', file: null, line: null, column: null }, fatal: true });
    return;
  }
  try {
    switch (msg.type) {
      case 'run':
        await reconcile(msg.files ?? [], msg.profile, msg.date, msg.cancel, msg.run, msg.bookBalance);
        break;
      case 'sample':
        await reconcile(withFormats(sampleDay(), msg.formats), sampleProfile(), msg.date, msg.cancel, msg.run);
        break;
      case 'fund_sample': {
        const sample = sampleFundFlow();
        await reconcile(withFormats(sample.files, msg.formats), sample.profile, msg.date || sample.date, msg.cancel, msg.run);
        break;
      }
      case 'page':
        page(msg);
        break;
      case 'export':
        exportReport(msg.format, msg.merchant);
        break;
      case 'detect':
        await detect(msg.files ?? [], msg.id);
        break;
      case 'resolve':
      case 'unresolve':
        resolve(msg);
        break;
      default:
        throw coded(`unknown message type: ${prop(msg, 'type')}`, 'bad_message');
    }
  } catch (e) {
    fail(e, 'run' in msg ? msg.run : undefined);
  }
};
