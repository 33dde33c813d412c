// What the page holds between events: the picked files, the per-file overrides, the shown result
// and the paging of its tables. No DOM.

export const state = {
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
};

/** The files of a side as a list (single-file sides hold a File or null). */
export const filesOf = (side) => {
  const v = state.files[side];
  return Array.isArray(v) ? v : v ? [v] : [];
};

/** Orders and a bill, or a bank statement (fund flow alone). */
export function canRun() {
  const f = state.files;
  return (Boolean(f.internal) && f.channel.length > 0) || f.bank.length > 0;
}

/** The format forced on input `source` of the shown result, or ''. */
export function forcedFormat(source) {
  const last = state.last;
  if (!last) return '';
  if (last.kind === 'run') {
    const input = last.inputs[source];
    return (input && state.formats.get(input.file)) || '';
  }
  return last.formats?.[source] ?? '';
}
