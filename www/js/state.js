// What the page holds between events: the picked files, the per-file overrides, the shown result
// and the paging of its tables. No DOM.

/**
 * @typedef {import('./protocol.js').InputKind} InputKind
 * @typedef {import('./protocol.js').Format} Format
 * @typedef {import('./protocol.js').Formats} Formats
 * @typedef {import('./protocol.js').Outcome} Outcome
 * @typedef {import('./protocol.js').FundOutcome} FundOutcome
 * @typedef {import('./protocol.js').ClearingClass} ClearingClass
 * @typedef {{internal: File | null, channel: File[], bank: File[], payouts: File[], sub_ledger: File | null, carry: File | null, resolutions: File[]}} Files
 * @typedef {{input: InputKind, file: File}} PickedInput
 * @typedef {{kind: 'run', inputs: PickedInput[]} | {kind: 'sample' | 'fund_sample', formats: Formats}} Last
 * @typedef {{offset: number, total: number, seq: number}} Paging
 */

export const state = {
  /** @type {Files} */
  files: { internal: null, channel: [], bank: [], payouts: [], sub_ledger: null, carry: null, resolutions: [] },
  /** File → forced Format code (the per-file override). @type {Map<File, Format>} */
  formats: new Map(),
  /** How the shown result was produced. @type {Last | null} */
  last: null,
  /** @type {string | null} */
  profileText: null,
  /** @type {import('./protocol.js').Summary | null} */
  summary: null,
  /** @type {import('./protocol.js').FundFlowSummary | null} */
  fund: null,
  /** @type {import('./protocol.js').ClearingSummary | null} */
  clearing: null,
  /** @type {Paging & {outcome: Outcome | ''}} */
  exceptions: { offset: 0, outcome: '', total: 0, seq: 0 },
  /** @type {Paging} */
  issues: { offset: 0, total: 0, seq: 0 },
  /** The matches shown: of the merchant opened in the clearing table, or all. @type {Paging & {merchant: string}} */
  fund_matches: { offset: 0, merchant: '', total: 0, seq: 0 },
  /** @type {Paging & {outcome: FundOutcome | '', merchant: string}} */
  fund_exceptions: { offset: 0, outcome: '', merchant: '', total: 0, seq: 0 },
  /** The clearing exceptions shown: of one class, of the merchant opened, or all. @type {Paging & {class: ClearingClass | '', merchant: string}} */
  clearing_exceptions: { offset: 0, class: '', merchant: '', total: 0, seq: 0 },
};

/** The files of an input as a list (single-file inputs hold a File or null). @param {InputKind} kind @returns {File[]} */
export const filesOf = (kind) => {
  const v = state.files[kind];
  return Array.isArray(v) ? v : v ? [v] : [];
};

/** Orders and a bill, or a bank statement (fund flow alone). */
export function canRun() {
  const f = state.files;
  return (Boolean(f.internal) && f.channel.length > 0) || f.bank.length > 0;
}

/** The format forced on input `source` of the shown result, or ''. @param {number} source @returns {Format | ''} */
export function forcedFormat(source) {
  const last = state.last;
  if (!last) return '';
  if (last.kind === 'run') {
    const input = last.inputs[source];
    return (input && state.formats.get(input.file)) || '';
  }
  return last.formats[source] ?? '';
}
