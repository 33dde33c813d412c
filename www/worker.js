// The reconciliation worker: owns the Wasm module and the one Reconciliation of the page, so the
// main thread never blocks and a Cancel is just `worker.terminate()` plus a fresh worker.
// Created as `new Worker('worker.js', { type: 'module' })`.
//
// Message protocol
// ----------------
// main → worker
//   {type:'run', files:[{side, name, blob:File|Blob, format?} or {side, name, bytes:ArrayBuffer|Uint8Array, format?}],
//                bookBalance?:string, profile?:string, date?:'YYYY-MM-DD', run?:number, cancel?:Int32Array}
//                                                              side: 'internal' | 'channel' (information flow) or,
//                                                              for fund flow, 'bank' (statements, several),
//                                                              'payouts' (several), 'book' (a sub-ledger CSV) or
//                                                              'carry' (yesterday's state file). With a 'bank'
//                                                              file, internal and channel are optional.
//                                                              format: a Format code forcing how a channel (or
//                                                              internal) file is read (the per-file override).
//                                                              bookBalance: an amount string → setBookBalance().
//                                                              Internal/channel files go to addFile() as they
//                                                              are (the page sends File objects, which the
//                                                              engine reads in chunks); fund files are small and
//                                                              read whole; ArrayBuffers are transferred; `run` is
//                                                              echoed on progress/summary/error; `cancel`
//                                                              (on a SharedArrayBuffer): set [0] = 1 to stop
//   {type:'sample', date?:'YYYY-MM-DD', formats?:{[index]:Format}, run?, cancel?}
//                                                              runs the sample day embedded in the module
//                                                              (sampleDay() with sampleProfile(); no fetch);
//                                                              formats[i] forces the format of the i-th file
//   {type:'fund_sample', formats?, run?, cancel?}              runs the fund-flow sample embedded in the module
//                                                              (sampleFundFlow(): its files, profile and date)
//   {type:'page', what:'exceptions'|'issues'|'fund_matches'|'fund_exceptions', offset, limit, outcome?:string, id?}
//                                                              fund_matches → fundFlowMatches(), fund_exceptions
//                                                              → fundFlowExceptions() (outcome: a FundOutcome)
//   {type:'export', format:'csv'|'json'|'fund_csv'|'carry'}    fund_csv → exportFundFlowCsv(), carry → carryState()
//   {type:'detect', files:[File|Blob], id?}                    which input each file is, by content: detectSide() on
//                                                              the first HEAD_BYTES of each file only (see detect())
// worker → main
//   {type:'ready', version}                                    once, after init()
//   {type:'progress', phase:'read'|'match'|'done', done, total, file?}   done/total = thousandths of the run,
//                                                              at most every 50 ms, also during one long addFile()/run()
//   {type:'summary', summary, sources, inputs, fund, converted}
//                                                              summary: the engine's Summary, as returned by run();
//                                                              sources[i]: index (in the run's files) of the input
//                                                              that produced summary.files[i] (an archive gives
//                                                              several tables); inputs: what addFile() said about
//                                                              each fund input (FundInputInfo | CarryInfo, with
//                                                              `source`); fund: fundFlow() (null without bank,
//                                                              payouts or carry input); converted: names of the
//                                                              spreadsheets read through the sheets module
//   {type:'page', what, page:{total, offset, rows}, id?}       id echoed from the request
//   {type:'export', format, bytes:Uint8Array}                  the buffer is transferred
//   {type:'detected', results:[SideDetection|null], id?}       one per file, in order; null when the file
//                                                              could not be read (the page falls back to its name)
//   {type:'error', error:{code, message, file, line, column}, fatal?:true, run?}
//      code 'cancelled': the run stopped because the page set the cancel flag
//      fatal: the module cannot be used any more (failed init or a Wasm trap); replace the worker.
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
import init, { version, sampleDay, sampleProfile, sampleFundFlow, detectSide, Reconciliation } from './pkg/duizhang.js';

/** The result of the last successful run; pages and exports read from it. */
let current = null;
let fatal = false;

const post = (message, transfer = []) => self.postMessage(message, transfer);

function toError(e) {
  const err = e ?? {};
  // A Wasm trap (e.g. a panic compiled to `unreachable`) leaves the instance unusable.
  const trap = typeof WebAssembly !== 'undefined' && err instanceof WebAssembly.RuntimeError;
  return {
    error: {
      code: typeof err.code === 'string' ? err.code : trap ? 'wasm_trap' : 'internal',
      message: String(err.message ?? err),
      file: err.file ?? null,
      line: err.line ?? null,
      column: err.column ?? null,
    },
    fatal: trap,
  };
}

function fail(e, run) {
  const { error, fatal: isFatal } = toError(e);
  if (isFatal) fatal = true;
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

function asBytes(b) {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  throw Object.assign(new Error('file bytes must be an ArrayBuffer or Uint8Array'), { code: 'bad_message' });
}

// Reading is most of the work; matching the rest. Progress is reported in thousandths of the run.
const READ_SHARE = 0.85;
const PROGRESS_INTERVAL_MS = 50;

/** The spreadsheet module, imported on first need (the one request after the page is ready). */
let sheets = null;

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
    throw Object.assign(new Error(`the spreadsheet module could not be loaded: ${e?.message ?? e}`), { code: 'sheets_unavailable', file: name });
  }
  try {
    return mod.sheetToCsv(bytes);
  } catch (e) {
    if (e && typeof e === 'object' && !e.file) e.file = name;
    throw e;
  }
}

const FUND_SIDES = new Set(['bank', 'payouts', 'book', 'carry']);

/** XLS (OLE compound file) or XLSX (a zip whose directory names xl/workbook.xml). */
function looksLikeSpreadsheet(bytes, name) {
  if (/\.xlsx?$/i.test(name)) return true;
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return true;
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const tail = bytes.subarray(Math.max(0, bytes.length - 65536));
    return new TextDecoder('latin1').decode(tail).includes('xl/workbook.xml');
  }
  return false;
}

const CHUNK_BYTES = 8 * 1024 * 1024;
/** The share of a File's progress that copying it into the worker's buffer takes. */
const COPY_SHARE = 0.1;

/** A File's bytes in one buffer, read in chunks; `onChunk(bytesSoFar)` after each (it may throw to cancel). */
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
    if (e?.code === 'cancelled') throw e;
    // e.g. the file was moved or changed on disk after it was picked.
    throw Object.assign(new Error(`the file could not be read: ${e?.message ?? e}`), { code: 'io', file: f.name });
  }
  return bytes;
}

async function wholeFile(f) {
  if (!f.blob) return asBytes(f.bytes);
  try {
    return new Uint8Array(await f.blob.arrayBuffer());
  } catch (e) {
    throw Object.assign(new Error(`the file could not be read: ${e?.message ?? e}`), { code: 'io', file: f.name });
  }
}

async function reconcile(files, profile, date, cancel, run, bookBalance) {
  if (current) {
    current.free();
    current = null;
  }
  const sizeOf = (f) => (f.blob ? f.blob.size : asBytes(f.bytes).byteLength);
  const total = files.reduce((n, f) => n + sizeOf(f), 0) || 1;
  let before = 0; // bytes of the files already read
  let file = null;
  let currentSize = 0; // bytes of the file being read
  let copied = 0; // the share of its progress already taken by copying it (see COPY_SHARE)
  let lastPost = -Infinity;
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
    if (cancelled()) throw Object.assign(new Error('the run was cancelled'), { code: 'cancelled' });
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
  const sources = []; // sources[i] = index of the input that produced table i
  const inputs = []; // fund inputs: what addFile() said
  const converted = [];
  const noteTables = (index) => {
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
      if (FUND_SIDES.has(f.side)) {
        // Statements, payouts, sub-ledgers and state files are small: read whole.
        let bytes = await wholeFile(f);
        if (f.side !== 'carry' && looksLikeSpreadsheet(bytes, f.name)) {
          bytes = await sheetToCsv(bytes, f.name);
          converted.push(f.name);
        }
        stopIfCancelled();
        const info = rec.addFile(f.side, f.name, bytes);
        inputs.push({ ...info, source: index });
      } else {
        try {
          // The engine keeps the bytes where they are (here, in this worker's memory) and reads them
          // in chunks: they are never copied whole into Wasm memory, and the few records an
          // exception shows are read from them again. A File is read into one buffer first, in
          // chunks, so progress and Cancel keep going; handing the File itself to addFile() would
          // keep even that copy out of memory, but FileReaderSync reads about 4x slower.
          // Copying counts as a tenth of the file's share of the run, reading it as the rest.
          copied = f.blob ? COPY_SHARE : 0;
          const onChunk = (done) => {
            report('read', (READ_SHARE * (before + COPY_SHARE * done)) / total);
            stopIfCancelled();
          };
          const bytes = f.blob ? await fileBytes(f, onChunk) : asBytes(f.bytes);
          rec.addFile(f.side, f.name, bytes, format);
        } catch (e) {
          if (e?.code !== 'spreadsheet_not_converted') throw e;
          // An XLS/XLSX: convert it with the spreadsheet module (fetched now, once) and read the CSV.
          const csv = await sheetToCsv(await wholeFile(f), f.name);
          converted.push(f.name);
          stopIfCancelled();
          rec.addFile(f.side, f.name, csv, format);
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
    report('done', 1, true);
    current = rec;
    post({ type: 'summary', summary, sources, inputs, fund, converted, run });
  } catch (e) {
    try {
      rec.free();
    } catch {
      // The instance may be dead after a trap; the error below says so.
    }
    throw e;
  }
}

/** Applies `formats` ({index: Format}) of a sample message to the sample's files. */
function withFormats(files, formats) {
  return files.map((f, i) => (formats && formats[i] ? { ...f, format: formats[i] } : f));
}

function page({ what, offset = 0, limit = 50, outcome, id }) {
  if (!current) throw Object.assign(new Error('no result yet: run a reconciliation first'), { code: 'no_result' });
  let result;
  if (what === 'exceptions') result = current.exceptions(offset, limit, outcome || null);
  else if (what === 'issues') result = current.issues(offset, limit);
  else if (what === 'fund_matches') result = current.fundFlowMatches(offset, limit);
  else if (what === 'fund_exceptions') result = current.fundFlowExceptions(offset, limit, outcome || null);
  else throw Object.assign(new Error(`unknown page kind: ${what}`), { code: 'bad_message' });
  post(id === undefined ? { type: 'page', what, page: result } : { type: 'page', what, page: result, id });
}

function exportReport(format) {
  if (!current) throw Object.assign(new Error('no result yet: run a reconciliation first'), { code: 'no_result' });
  let bytes;
  if (format === 'csv') bytes = current.exportCsv();
  else if (format === 'json') bytes = current.exportJson();
  else if (format === 'fund_csv') bytes = current.exportFundFlowCsv();
  else if (format === 'carry') bytes = current.carryState();
  else throw Object.assign(new Error(`unknown export format: ${format}`), { code: 'bad_message' });
  // Transfer only a buffer the view owns entirely.
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = bytes.slice();
  post({ type: 'export', format, bytes }, [bytes.buffer]);
}

// How much of each file detection reads (the engine's read::side::HEAD_BYTES): every layout's header
// sits in the first lines, and the engine looks only at the whole lines of the head. A gzip or zip
// needs no more either: the engine inflates the start of each inner file from the head (a zip's local
// header comes first; the central directory at the end is not needed). A spreadsheet (XLS/XLSX) would
// need the whole file and the spreadsheet module, fetched only when a spreadsheet is read: detection
// does not convert it; the engine answers `why: 'spreadsheet'` and the page goes by the file's name.
const HEAD_BYTES = 64 * 1024;

async function detect(files, id) {
  const results = [];
  for (const file of files) {
    let head;
    try {
      head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    } catch {
      // Unreadable (moved on disk?) or not a Blob: the name decides; reading it later reports the error.
      results.push(null);
      continue;
    }
    results.push(detectSide(head)); // never throws; a trap would be fatal and reported as such

  }
  post(id === undefined ? { type: 'detected', results } : { type: 'detected', results, id });
}

self.onmessage = async (event) => {
  const msg = event.data ?? {};
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
        exportReport(msg.format);
        break;
      case 'detect':
        await detect(msg.files ?? [], msg.id);
        break;
      default:
        throw Object.assign(new Error(`unknown message type: ${msg.type}`), { code: 'bad_message' });
    }
  } catch (e) {
    fail(e, msg.run);
  }
};
