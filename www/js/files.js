// Picking files: the inputs, the drop zone (routed by routing.js from what the worker detects), Swap,
// and the run's inputs in reading order.
import { $, $as, bi, h } from './dom.js';
import { dash, formatBytes } from './format.js';
import { INPUT_NAMES, INPUTS, SIDES } from './labels.js';
import { routeFiles } from './routing.js';
import { filesOf, state } from './state.js';
import { body, hideError, setStatus } from './status.js';
import { detect } from './worker_client.js';

/**
 * @typedef {import('./protocol.js').InputKind} InputKind
 * @typedef {import('./state.js').PickedInput} PickedInput
 */

/** What decided a file's input, as the line under the zone says it. @type {Record<import('./routing.js').RoutedBy, [string, string]>} */
const BY = {
  content: ['按内容', 'by content'],
  name: ['按文件名', 'by name'],
  order: ['按拖入顺序', 'by drop order'],
  left: ['填入空缺的一侧', 'the side left open'],
};
/** Why content says a file is no input. @type {Record<import('./routing.js').UnusedWhy, [string, string]>} */
const WHY = {
  not_text: ['不是文本', 'not text'],
  no_header: ['不是表格', 'no table header found'],
};

/** Makes an input's file element hold the input's files (they may have come from a drop). @param {InputKind} kind */
export function syncInput(kind) {
  const input = $as(`#file-${kind}`, HTMLInputElement);
  const files = filesOf(kind);
  try {
    const dt = new DataTransfer();
    for (const file of files) dt.items.add(file);
    input.files = dt.files;
  } catch {
    if (files.length === 0) input.value = '';
  }
}

/** Lists every input's files under its file element. */
export function showFiles() {
  for (const kind of INPUTS) {
    const files = filesOf(kind);
    const slot = $(`.slot[data-input="${kind}"] [data-field="name"]`);
    const parts = files.flatMap((file, i) => [...(i > 0 ? [h('br')] : []), h('strong', {}, file.name), ` (${formatBytes(file.size)})`]);
    slot.replaceChildren(...(files.length ? parts : bi('未选择', 'none')));
  }
  setStatus(body.dataset.status);
}

/** The files picked with an input's own file element. @param {InputKind} kind @param {FileList | File[]} list */
export function setFiles(kind, list) {
  const files = [...list];
  if (kind === 'channel' || kind === 'bank' || kind === 'payouts' || kind === 'resolutions') state.files[kind] = files;
  else state.files[kind] = files[0] ?? null;
  hideError();
  showFiles();
}

/** The line under the zone; null hides it. @param {(string | Node)[] | null} lines */
export function showGuess(lines) {
  const el = $('#guess');
  if (!lines) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.hidden = false;
  el.replaceChildren(...lines);
}

/** Routes dropped (or keyboard-picked) files by content, then says per file where it went and why. @param {FileList | File[]} fileList */
export async function onDrop(fileList) {
  const files = [...fileList];
  if (files.length === 0) return;
  const detections = (await detect(files)) ?? files.map(() => null);
  const { routes, ignored, unused, ambiguous, inputs } = routeFiles(files, detections, {
    profileLoaded: state.profileText !== null,
    internal: state.files.internal,
    channel: state.files.channel,
  });
  Object.assign(state.files, inputs);
  const filled = INPUTS.filter((kind) => Object.hasOwn(inputs, kind));
  for (const kind of filled) syncInput(kind);
  if (filled.some((kind) => !(kind in SIDES))) $as('#fund-inputs-box', HTMLDetailsElement).open = true;
  hideError();
  showFiles();
  /** @type {(string | Node)[]} */
  const line = [];
  for (const r of routes) {
    if (line.length) line.push('; ');
    line.push(h('span', { 'data-route': r.input, 'data-by': r.by, title: r.format ?? null },
      h('strong', {}, r.file.name), ' → ', ...bi(...INPUT_NAMES[r.input]), ` (${BY[r.by].join(' ')})`));
  }
  for (const r of ignored) {
    line.push('; ', h('span', { 'data-unused': r.input, 'data-by': r.by },
      h('strong', {}, r.file.name), ' ', ...bi(`未使用：${INPUT_NAMES[r.input][0]}只取一个`, `not used: one ${INPUT_NAMES[r.input][1]} file only`)));
  }
  for (const u of unused) {
    if (line.length) line.push('; ');
    line.push(h('span', { 'data-unused': '', 'data-why': u.why },
      h('strong', {}, u.file.name), ' ', ...bi(`未使用：${WHY[u.why][0]}`, `not used: ${WHY[u.why][1]}`)));
  }
  if (ambiguous) line.push('. ', ...bi('不对就点“交换”', 'wrong? press Swap'));
  showGuess(line);
  // How many drops were routed: the routing waits for the worker, so tests wait for this.
  body.dataset.drops = String(Number(body.dataset.drops ?? 0) + 1);
}

/** Swaps the order export with the (first) channel bill. */
export function swap() {
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

/** The typed book balance, '' when none. */
export const bookBalance = () => $as('#book-balance', HTMLInputElement).value.trim();

/** The run's inputs, in reading order: orders, bills, then the fund-flow files. */
export function pickedInputs() {
  const f = state.files;
  /** @type {PickedInput[]} */
  const inputs = [];
  if (f.internal) inputs.push({ input: 'internal', file: f.internal });
  for (const file of f.channel) inputs.push({ input: 'channel', file });
  for (const file of f.bank) inputs.push({ input: 'bank', file });
  for (const file of f.payouts) inputs.push({ input: 'payouts', file });
  // A typed amount wins over a sub-ledger file.
  if (f.sub_ledger && !bookBalance()) inputs.push({ input: 'sub_ledger', file: f.sub_ledger });
  if (f.carry) inputs.push({ input: 'carry', file: f.carry });
  // Resolutions last: later files win per id, as on the command line.
  for (const file of f.resolutions) inputs.push({ input: 'resolutions', file });
  return inputs;
}
