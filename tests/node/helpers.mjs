// Shared helpers of the JS tests: paths, the native CLI, the Wasm module loaded in Node.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'target', 'debug', process.platform === 'win32' ? 'duizhang.exe' : 'duizhang');
export const PKG_JS = path.join(ROOT, 'www', 'pkg', 'duizhang.js');
export const PKG_WASM = path.join(ROOT, 'www', 'pkg', 'duizhang_bg.wasm');
export const SAMPLE = {
  internal: 'tests/fixtures/sample/orders.csv',
  channel: 'tests/fixtures/sample/channel.csv',
};

/** A path of the repository, absolute. @param {string} p */
export const abs = (p) => path.resolve(ROOT, p);

export function requireBuilt() {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`cargo build\` first`);
  assert.ok(fs.existsSync(PKG_JS) && fs.existsSync(PKG_WASM), 'www/pkg is missing: run scripts/build-wasm.sh first');
}

/** The fund-flow fixture day (tests/fixtures/bank/), the same files as the page's fund-flow sample. */
export const FUND_SAMPLE = {
  channel: 'tests/fixtures/bank/channel.csv',
  bank: 'tests/fixtures/bank/statement_corporate.csv',
  payouts: 'tests/fixtures/bank/payouts.csv',
  bookBalance: 'tests/fixtures/bank/ledger.csv',
  profile: 'tests/fixtures/bank/profile.json',
  date: '2026-03-25',
};

/**
 * What `duizhang reconcile` is given: paths (relative to the repository), `bookBalance` an amount or
 * a sub-ledger path, `format` a Format code forcing the channel layout, `date` YYYY-MM-DD.
 * @typedef {object} CliRun
 * @property {string | null} [internal] optional with `bank`
 * @property {string | string[]} [channel]
 * @property {string | string[]} [bank]
 * @property {string | string[]} [payouts]
 * @property {string} [bookBalance]
 * @property {string} [carryIn]
 * @property {string} [carryOut]
 * @property {string} [format]
 * @property {string} [profile]
 * @property {string} [date]
 * @property {string | string[]} [resolutions] resolutions files (差错处理), `--resolutions` each
 * @property {string} [auditOut] where `--audit-out` writes the audit log
 */

/**
 * Runs `duizhang reconcile` natively. Returns {status, stdout (Buffer), stderr (string), code}
 * where code is the stable error code of a failure (`duizhang: <code>: ...` on stderr).
 * @param {CliRun} run
 */
export function runCli({ internal, channel, profile, date, bank, payouts, bookBalance, carryIn, carryOut, format, resolutions, auditOut }) {
  const list = (/** @type {string | string[] | null | undefined} */ v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
  const args = ['reconcile'];
  for (const f of list(internal)) args.push('--internal', f);
  for (const f of list(channel)) args.push('--channel', f);
  for (const f of list(bank)) args.push('--bank', f);
  for (const f of list(payouts)) args.push('--payouts', f);
  if (bookBalance) args.push('--book-balance', bookBalance);
  if (carryIn) args.push('--carry-in', carryIn);
  if (carryOut) args.push('--carry-out', carryOut);
  if (format) args.push('--format', format);
  for (const f of list(resolutions)) args.push('--resolutions', f);
  if (auditOut) args.push('--audit-out', auditOut);
  if (profile) args.push('--profile', profile);
  if (date) args.push('--date', date);
  const r = spawnSync(CLI, args, { cwd: ROOT, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  const stderr = r.stderr.toString('utf8');
  const m = /^duizhang: ([A-Za-z0-9_.-]+):/m.exec(stderr);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr, code: m ? m[1] : null, args };
}

/** @type {WebAssembly.Module | null} */
let compiled = null;
let instances = 0;

/** The Wasm module's glue (www/pkg/duizhang.js), as its generated .d.ts declares it. @typedef {typeof import('../../www/pkg/duizhang.js')} Module */

/**
 * A fresh instance of the Wasm module (its own memory), so a trap in one case cannot poison the
 * next. The glue is re-imported under a distinct URL; the compiled module is shared.
 * @returns {Promise<Module>}
 */
export async function freshModule() {
  compiled ??= new WebAssembly.Module(fs.readFileSync(PKG_WASM));
  const url = `${pathToFileURL(PKG_JS).href}?instance=${instances++}`;
  /** @type {Module} */
  const mod = await import(url);
  mod.initSync({ module: compiled });
  return mod;
}

/**
 * Runs the Wasm API the way the page does. Returns {json, audit} or {error} (the thrown value); audit
 * is the audit log when resolutions were given. Lists and
 * the fund-flow inputs as in `runCli`.
 * @param {Module} mod
 * @param {{internal?: string | string[], channel: string | string[], profile?: string, date?: string, bank?: string | string[], payouts?: string | string[], resolutions?: string | string[], bookBalance?: string}} run
 * @returns {{json: string, audit: Uint8Array | null, error?: undefined} | {error: unknown, json?: undefined, audit?: undefined}}
 */
export function runWasm(mod, { internal, channel, profile, date, bank, payouts, resolutions, bookBalance }) {
  const list = (/** @type {string | string[] | undefined | null} */ v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
  /** @type {import('../../www/pkg/duizhang.js').Reconciliation | undefined} */
  let rec;
  try {
    rec = new mod.Reconciliation(profile ? fs.readFileSync(abs(profile), 'utf8') : null);
    // In the CLI's order: the files of each kind as given, kinds as `runCli` passes them.
    /** @type {[import('../../www/pkg/duizhang.js').InputKind, string[]][]} */
    const inputs = [
      ['internal', list(internal)], ['channel', list(channel)], ['bank', list(bank)], ['payouts', list(payouts)],
      ['resolutions', list(resolutions)],
    ];
    for (const [kind, files] of inputs) {
      for (const f of files) rec.addFile(kind, path.basename(f), new Uint8Array(fs.readFileSync(abs(f))));
    }
    // A book balance: an amount, or a sub-ledger file (分户账), as `--book-balance` takes either.
    if (bookBalance && /^-?[\d.]+$/.test(bookBalance)) rec.setBookBalance(bookBalance);
    else if (bookBalance) rec.addFile('sub_ledger', path.basename(bookBalance), new Uint8Array(fs.readFileSync(abs(bookBalance))));
    rec.run(date ?? null);
    const json = rec.reportJson();
    return { json, audit: list(resolutions).length ? rec.auditLog() : null };
  } catch (error) {
    return { error };
  } finally {
    try {
      rec?.free();
    } catch {
      // a trapped instance cannot free; the case already failed
    }
  }
}

/**
 * Asserts two byte strings are equal, reporting the first difference with context, not 1 MB of diff.
 * @param {string | Uint8Array} actual @param {string | Uint8Array} expected @param {string} what
 */
export function assertSameBytes(actual, expected, what) {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  if (a.equals(b)) return;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const ctx = (/** @type {Buffer} */ buf) => JSON.stringify(buf.subarray(Math.max(0, i - 80), i + 80).toString('utf8'));
  assert.fail(`${what}: outputs differ at byte ${i} (lengths ${a.length} vs ${b.length})\n` +
    `  wasm:   ${ctx(a)}\n  native: ${ctx(b)}`);
}

/** Describes a thrown value for a failure message. @param {unknown} e */
export function describe(e) {
  if (e instanceof Error) {
    const code = /** @type {Error & {code?: string}} */ (e).code;
    return `${e.constructor.name}: ${e.message}${code ? ` (code ${code})` : ''}`;
  }
  return `non-Error thrown: ${typeof e} ${String(e)}`;
}

/** Parses RFC 4180 CSV into records of fields (quotes, doubled quotes, CRLF, newlines in quotes). @param {string} text */
export function parseCsv(text) {
  /** @type {string[][]} */
  const records = [];
  let field = '';
  /** @type {string[]} */
  let record = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
