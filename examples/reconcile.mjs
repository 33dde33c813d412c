// Runnable example of the JS API, in Node (the browser is the same minus initSync):
//   make wasm && node examples/reconcile.mjs tests/fixtures/sample/orders.csv tests/fixtures/sample/channel.csv
import fs from 'node:fs';
import path from 'node:path';
import { initSync, Reconciliation } from '../www/pkg/duizhang.js';

initSync({ module: fs.readFileSync(new URL('../www/pkg/duizhang_bg.wasm', import.meta.url)) });

const [ordersPath, billPath, profilePath] = process.argv.slice(2);
if (!ordersPath || !billPath) {
  console.error('usage: node examples/reconcile.mjs ORDERS.csv BILL.csv [PROFILE.json]');
  process.exit(2);
}
const run = new Reconciliation(profilePath ? fs.readFileSync(profilePath, 'utf8') : null);
try {
  run.addFile('internal', path.basename(ordersPath), fs.readFileSync(ordersPath));
  run.addFile('channel', path.basename(billPath), fs.readFileSync(billPath));
  const summary = run.run(null); // the reconciliation date: inferred from the orders
  console.log(`date ${summary.date} (${summary.date_source})`);
  // Object.entries() types its keys as strings; these are the Outcome codes, in report order.
  const counts = /** @type {[import('../www/pkg/duizhang.js').Outcome, number][]} */ (Object.entries(summary.counts));
  for (const [outcome, count] of counts) {
    console.log(`${outcome.padEnd(25)} ${String(count).padStart(8)}  ${summary.amounts[outcome]}`);
  }
  console.log(`long (长款) ${summary.long_total}, short (短款) ${summary.short_total}`);
  const page = run.exceptions(0, 5, 'amount_mismatch');
  for (const e of page.rows) console.log(`${e.key}: d = ${e.d} ${e.label ?? ''} (${e.message})`);
  fs.writeFileSync('exceptions.csv', run.exportCsv()); // UTF-8 with BOM, opens in Excel
} catch (thrown) {
  const e = /** @type {import('../www/pkg/duizhang.js').DuizhangError} */ (thrown); // what the module throws
  console.error(`${e.code}: ${e.file ?? ''}${e.line ? `:${e.line}` : ''} ${e.message}`);
  process.exitCode = 1;
} finally {
  run.free();
}
