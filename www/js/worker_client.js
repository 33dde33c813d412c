// The page's side of the engine: two module workers (the active one and an initialised spare), the
// run ids that tell a cancelled run's messages from the current one's, cooperative Cancel through a
// shared flag, and the file detections the drop zone asks for. No DOM: what the page shows goes
// through the hooks given to start().
//
// Every request the workers make (worker.js, pkg/duizhang.js and its .wasm) happens when they start,
// before the page is ready; replacing a worker fetches the same files again, from this origin only.

let active = null; // {worker, ready: Promise<string>, version} running the current result
let spare = null; // a second, already initialised worker, so Cancel is instant and needs no fetch
let run = 0; // id of the current run; messages of older (cancelled) runs are ignored
const detects = new Map(); // id → resolve of a 'detect' request (see detect())
let detectId = 0;
let hooks = null;
// Cancel without losing the worker: the busy worker reads this flag at every progress report.
// Needs cross-origin isolation (scripts/serve.mjs sends COOP/COEP); otherwise Cancel falls back
// to terminating the worker.
const cancelFlag = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;

function spawn() {
  const worker = new Worker(new URL('../worker.js', import.meta.url), { type: 'module' });
  const slot = { worker, version: null, ready: null };
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
    if (active === slot && slot.version !== null) onMessage(event.data);
  });
  return slot;
}

async function activate(slot) {
  active = slot;
  hooks.onLoading();
  try {
    const version = await slot.ready;
    if (active !== slot) return;
    hooks.onReady(version);
  } catch (err) {
    if (active !== slot) return;
    hooks.onFailed(err);
  }
}

function onMessage(msg) {
  if (msg?.run !== undefined && msg.run !== run) {
    // A cancelled run: its worker acknowledges by failing with 'cancelled' and is free again.
    if (msg.type === 'error' && msg.error?.code === 'cancelled') hooks.onCancelled(msg.run);
    return;
  }
  if (msg?.type === 'detected') {
    detects.get(msg.id)?.(msg.results);
    detects.delete(msg.id);
    return;
  }
  hooks.onReply(msg);
}

/**
 * Starts both workers and activates the first once both are loaded: every request of the page
 * happens before any file can be picked. Resolves when the first worker is active (or failed).
 */
export function start(pageHooks) {
  hooks = pageHooks;
  const first = spawn();
  spare = spawn();
  return Promise.allSettled([first.ready, spare.ready]).then(() => activate(first));
}

/** Drops the active worker (cancel without isolation, or a trap) and continues with the spare. */
export function replace() {
  active?.worker.terminate();
  // Detections the dropped worker never answered: the names decide.
  for (const resolve of detects.values()) resolve(null);
  detects.clear();
  const next = spare ?? spawn();
  // Replacing the spare fetches worker.js and the module again, from this origin only.
  spare = spawn();
  hooks.onReplaced();
  return activate(next);
}

/** Posts a message to the active worker. */
export function send(message, transfer) {
  active.worker.postMessage(message, transfer ?? []);
}

/** Sends a run or sample message under a new run id, with the cancel flag cleared. */
export function sendRun(message, transfer) {
  run += 1;
  message.run = run;
  if (cancelFlag) {
    Atomics.store(cancelFlag, 0, 0);
    message.cancel = cancelFlag;
  }
  send(message, transfer);
}

/**
 * Stops the current run. With the shared flag the worker stops at its next progress report
 * (milliseconds) and stays loaded: returns null, the page is ready at once. Without it the worker
 * is terminated and the spare takes over: returns the promise of that.
 */
export function cancelRun() {
  if (cancelFlag) {
    Atomics.store(cancelFlag, 0, 1);
    run += 1; // whatever the cancelled run still says is ignored
    return null;
  }
  return replace();
}

/** Every file's input, asked of the worker (the engine's detectSide on the file's head); null if unanswered. */
export function detect(files) {
  return new Promise((resolve) => {
    const id = ++detectId;
    detects.set(id, resolve);
    send({ type: 'detect', files, id });
  });
}
