// The reconciliation worker: owns the Wasm module and the one Reconciliation of the page, so the
// main thread never blocks and a Cancel is just `worker.terminate()` plus a fresh worker.
// Created as `new Worker('worker.js', { type: 'module' })`.
//
// Message protocol
// ----------------
// main → worker
//   {type:'run', files:[{side:'internal'|'channel', name, blob:File|Blob} or {side, name, bytes:ArrayBuffer|Uint8Array}],
//                profile?:string, date?:'YYYY-MM-DD', run?:number, cancel?:Int32Array}
//                                                              Files are read here in 8 MB chunks (the page
//                                                              sends File objects); ArrayBuffers are
//                                                              transferred; `run` is
//                                                              echoed on progress/summary/error; `cancel`
//                                                              (on a SharedArrayBuffer): set [0] = 1 to stop
//   {type:'sample', date?:'YYYY-MM-DD', run?, cancel?}         runs the sample day embedded in the module
//                                                              (sampleDay() with sampleProfile(); no fetch)
//   {type:'page', what:'exceptions'|'issues', offset, limit, outcome?:string, id?}
//   {type:'export', format:'csv'|'json'}
// worker → main
//   {type:'ready', version}                                    once, after init(); nothing is fetched later
//   {type:'progress', phase:'read'|'match'|'done', done, total, file?}   done/total = thousandths of the run,
//                                                              at most every 50 ms, also during one long addFile()/run()
//   {type:'summary', summary}                                  the engine's Summary, as returned by run()
//   {type:'page', what, page:{total, offset, rows}, id?}       id echoed from the request
//   {type:'export', format, bytes:Uint8Array}                  the buffer is transferred
//   {type:'error', error:{code, message, file, line, column}, fatal?:true, run?}
//      code 'cancelled': the run stopped because the page set the cancel flag
//      fatal: the module cannot be used any more (failed init or a Wasm trap); replace the worker.
//
// Money values stay strings end to end; nothing here converts them to Number.
import init, { version, sampleDay, sampleProfile, Reconciliation } from './pkg/duizhang.js';

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
const CHUNK_BYTES = 8 * 1024 * 1024;

async function readChunk(f, offset) {
  try {
    return new Uint8Array(await f.blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
  } catch (e) {
    // e.g. the file was moved or changed on disk after it was picked.
    throw Object.assign(new Error(`the file could not be read: ${e?.message ?? e}`), { code: 'file_unreadable', file: f.name });
  }
}

async function reconcile(files, profile, date, cancel, run) {
  if (current) {
    current.free();
    current = null;
  }
  const sizeOf = (f) => (f.blob ? f.blob.size : asBytes(f.bytes).byteLength);
  const total = files.reduce((n, f) => n + sizeOf(f), 0) || 1;
  let before = 0; // bytes of the files already read
  let file = null;
  let currentSize = 0; // bytes of the file being read
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
    if (phase === 'read') report('read', (READ_SHARE * (before + part * currentSize)) / total);
    else if (phase === 'match') report('match', READ_SHARE + (1 - READ_SHARE) * 0.9 * part);
    else report('match', READ_SHARE + (1 - READ_SHARE) * (0.9 + 0.1 * part));
    return !cancelled();
  });
  try {
    for (const f of files) {
      file = f.name;
      currentSize = sizeOf(f);
      report('read', (READ_SHARE * before) / total, true);
      stopIfCancelled();
      if (f.blob) {
        // A File or Blob (disk-backed): streamed into Wasm memory in chunks, so the whole file is
        // never held in JavaScript as well. Copying counts as a tenth of reading it.
        rec.beginFile(f.side, f.name, f.blob.size);
        for (let offset = 0; offset < f.blob.size; offset += CHUNK_BYTES) {
          const chunk = await readChunk(f, offset);
          rec.appendBytes(chunk);
          report('read', (READ_SHARE * (before + 0.1 * (offset + chunk.byteLength))) / total);
          stopIfCancelled();
        }
        rec.finishFile();
      } else {
        rec.addFile(f.side, f.name, asBytes(f.bytes));
      }
      before += currentSize;
    }
    file = null;
    report('match', READ_SHARE, true);
    stopIfCancelled();
    const summary = rec.run(date || null);
    report('done', 1, true);
    current = rec;
    post({ type: 'summary', summary, run });
  } catch (e) {
    try {
      rec.free();
    } catch {
      // The instance may be dead after a trap; the error below says so.
    }
    throw e;
  }
}

function page({ what, offset = 0, limit = 50, outcome, id }) {
  if (!current) throw Object.assign(new Error('no result yet: run a reconciliation first'), { code: 'no_result' });
  let result;
  if (what === 'exceptions') result = current.exceptions(offset, limit, outcome || null);
  else if (what === 'issues') result = current.issues(offset, limit);
  else throw Object.assign(new Error(`unknown page kind: ${what}`), { code: 'bad_message' });
  post(id === undefined ? { type: 'page', what, page: result } : { type: 'page', what, page: result, id });
}

function exportReport(format) {
  if (!current) throw Object.assign(new Error('no result yet: run a reconciliation first'), { code: 'no_result' });
  let bytes;
  if (format === 'csv') bytes = current.exportCsv();
  else if (format === 'json') bytes = current.exportJson();
  else throw Object.assign(new Error(`unknown export format: ${format}`), { code: 'bad_message' });
  // Transfer only a buffer the view owns entirely.
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) bytes = bytes.slice();
  post({ type: 'export', format, bytes }, [bytes.buffer]);
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
        await reconcile(msg.files ?? [], msg.profile, msg.date, msg.cancel, msg.run);
        break;
      case 'sample':
        await reconcile(sampleDay(), sampleProfile(), msg.date, msg.cancel, msg.run);
        break;
      case 'page':
        page(msg);
        break;
      case 'export':
        exportReport(msg.format);
        break;
      default:
        throw Object.assign(new Error(`unknown message type: ${msg.type}`), { code: 'bad_message' });
    }
  } catch (e) {
    fail(e, msg.run);
  }
};
