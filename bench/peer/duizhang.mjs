// duizhang as a peer of the shared benchmark (../shared/bench, see its README "Adding a peer").
// bench/peers.sh copies this file to <harness>/peers/duizhang.mjs and serves www/pkg/ at /ext/.
// The timer covers run(): bytes handed to the module -> summary and exceptions available (the
// exceptions stay in Wasm memory and are paged, as in the page; the first page is materialized).
import initWasm, { Reconciliation, version } from '/ext/duizhang.js';

export async function init() {
  await initWasm();
  return `duizhang ${version()} (Rust/Wasm, single thread)`;
}

// The benchmark's definition has no cut-off window: orders just before midnight are ordinary.
const PROFILE = JSON.stringify({ pending_window_minutes: 0 });

export async function run(internalBytes, channelBytes) {
  const run = new Reconciliation(PROFILE);
  try {
    run.addFile('internal', 'internal.csv', internalBytes);
    run.addFile('channel', 'channel.csv', channelBytes);
    const s = run.run(null);
    const firstPage = run.exceptions(0, 50, null);
    const c = s.counts;
    return {
      // The harness's class names: its channel_only is external_only here.
      counts: {
        matched: c.matched + c.matched_within_tolerance,
        amount_mismatch: c.amount_mismatch,
        status_mismatch: c.status_mismatch,
        internal_only: c.internal_only + c.pending,
        channel_only: c.external_only,
        duplicate: c.duplicate,
        cross_day: s.cross_day,
      },
      exceptions: { length: firstPage.total, firstPage: firstPage.rows },
      matched_amount: s.amounts.matched,
    };
  } finally {
    run.free();
  }
}
