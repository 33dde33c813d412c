// The page's side of the engine: two module workers (the active one and an initialised spare), the
// run ids that tell a cancelled run's messages from the current one's, cooperative Cancel through a
// shared flag, and the file detections the drop zone asks for. No DOM: what the page shows goes
// through the hooks given to start().
//
// Every request the workers make (worker.js, pkg/duizhang.js and its .wasm) happens when they start,
// before the page is ready; replacing a worker fetches the same files again, from this origin only.

/**
 * @typedef {import('./protocol.js').Request} Request
 * @typedef {import('./protocol.js').Reply} Reply
 * @typedef {import('./protocol.js').RunRequest | import('./protocol.js').SampleRequest | import('./protocol.js').FundSampleRequest} RunMessage
 * @typedef {import('./protocol.js').DetectedReply['results']} Detections
 * @typedef {{code: string, message: string}} StartError why a worker did not start (its own error, or worker_failed)
 */
/**
 * What the page does with the workers' news.
 * @typedef {object} Hooks
 * @property {(reply: Exclude<Reply, import('./protocol.js').DetectedReply>) => void} onReply what the active worker says about the current run
 * @property {() => void} onLoading a worker is being activated
 * @property {(version: string) => void} onReady the active worker is loaded: the engine's version
 * @property {(error: StartError) => void} onFailed the active worker could not start
 * @property {() => void} onReplaced the active worker was dropped (its result with it)
 * @property {(run: number) => void} onCancelled a cancelled run's worker acknowledged: it stopped
 */
/** A worker and its start. @typedef {{worker: Worker, ready: Promise<string>, loaded: () => boolean}} Slot */

/** @type {Slot | null} */
let active = null; // running the current result
/** @type {Slot | null} */
let spare = null; // a second, already initialised worker, so Cancel is instant and needs no fetch
let run = 0; // id of the current run; messages of older (cancelled) runs are ignored
/** @type {Map<number, (results: Detections | null) => void>} */
const detects = new Map(); // id → resolve of a 'detect' request (see detect())
let detectId = 0;
/** @type {Hooks} */
let hooks;
// Cancel without losing the worker: the busy worker reads this flag at every progress report.
// Needs cross-origin isolation (scripts/serve.mjs sends COOP/COEP); otherwise Cancel falls back
// to terminating the worker.
const cancelFlag = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;

/** @returns {Slot} */
function spawn() {
  const worker = new Worker(new URL('../worker.js', import.meta.url), { type: 'module' });
  let loaded = false;
  /** @type {Promise<string>} */
  const ready = new Promise((resolve, reject) => {
    const first = (/** @type {MessageEvent<Reply>} */ event) => {
      const msg = event.data;
      if (msg?.type === 'ready') {
        loaded = true;
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
  ready.catch(() => {}); // reported where awaited
  const slot = { worker, ready, loaded: () => loaded };
  worker.addEventListener('message', (/** @type {MessageEvent<Reply>} */ event) => {
    // Before 'ready', errors belong to slot.ready (handled by activate), not to a run.
    if (active === slot && loaded) onMessage(event.data);
  });
  return slot;
}

/** @param {Slot} slot */
async function activate(slot) {
  active = slot;
  hooks.onLoading();
  try {
    const version = await slot.ready;
    if (active !== slot) return;
    hooks.onReady(version);
  } catch (err) {
    if (active !== slot) return;
    hooks.onFailed(/** @type {StartError} */ (err)); // what `ready` rejects with
  }
}

/** @param {Reply} msg */
function onMessage(msg) {
  if ('run' in msg && msg.run !== undefined && msg.run !== run) {
    // A cancelled run: its worker acknowledges by failing with 'cancelled' and is free again.
    if (msg.type === 'error' && msg.error.code === 'cancelled') hooks.onCancelled(msg.run);
    return;
  }
  if (msg.type === 'detected') {
    if (msg.id === undefined) return;
    detects.get(msg.id)?.(msg.results);
    detects.delete(msg.id);
    return;
  }
  hooks.onReply(msg);
}

/**
 * Starts both workers and activates the first once both are loaded: every request of the page
 * happens before any file can be picked. Resolves when the first worker is active (or failed).
 * @param {Hooks} pageHooks
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

/** Posts a message to the active worker. @param {Request} message @param {Transferable[]} [transfer] */
export function send(message, transfer) {
  if (!active) throw new Error('no worker yet: the page sends nothing before it is ready');
  active.worker.postMessage(message, transfer ?? []);
}

/** Sends a run or sample message under a new run id, with the cancel flag cleared. @param {RunMessage} message @param {Transferable[]} [transfer] */
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
 * @returns {Promise<void> | null}
 */
export function cancelRun() {
  if (cancelFlag) {
    Atomics.store(cancelFlag, 0, 1);
    run += 1; // whatever the cancelled run still says is ignored
    return null;
  }
  return replace();
}

/**
 * Every file's input, asked of the worker (the engine's detectInput on the file's head); null if unanswered.
 * @param {File[]} files
 * @returns {Promise<Detections | null>}
 */
export function detect(files) {
  return new Promise((resolve) => {
    const id = ++detectId;
    detects.set(id, resolve);
    send({ type: 'detect', files, id });
  });
}
