// The page in headless Chromium: it shows what the engine computes (cards = native CLI report), pages
// and filters exceptions, downloads the CSV, reports errors, cancels, runs fund flow (sample and picked
// files: numbers, explanations and the 余额调节表 = native CLI report), forces a file's format, and makes
// no request at all once files are picked — and never one that leaves 127.0.0.1.
// The ONE exception to "no request after files are picked": a spreadsheet (XLS/XLSX). The worker then
// imports the spreadsheet module, exactly /sheets/duizhang_sheets.js and /sheets/duizhang_sheets_bg.wasm
// from the page's own origin, once per worker; a CSV-only flow never requests it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { FUND_SAMPLE, ROOT, SAMPLE, abs, parseCsv, requireBuilt, runCli } from './helpers.mjs';

/**
 * @typedef {import('../../www/pkg/duizhang.js').Report} Report the CLI's report JSON
 * @typedef {import('./helpers.mjs').CliRun} CliRun
 */

/** @type {import('../../www/pkg/duizhang.js').Outcome[]} */
const OUTCOMES = ['matched', 'matched_within_tolerance', 'amount_mismatch', 'status_mismatch',
  'internal_only', 'external_only', 'duplicate', 'pending'];
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** @type {import('node:child_process').ChildProcess} */
let serverProc;
/** @type {string} */
let origin;
/** @type {string} */
let userDataDir;
/** @type {import('playwright-core').BrowserContext} */
let context;
/** @type {import('playwright-core').Page} */
let page;
/** @type {{url: string, at: number}[]} */
const requests = []; // every request of the context, pages and workers alike
/** @type {string[]} */
const problems = []; // page errors and console errors (CSP violations show up here)

before(async () => {
  requireBuilt();
  // The real script, as a user starts it: its first stdout line carries the URL.
  serverProc = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--port', '0'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stdout = serverProc.stdout;
  assert.ok(stdout, 'serve.mjs is spawned with a stdout pipe');
  /** @type {string} */
  const first = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: stdout });
    rl.once('line', (line) => resolve(line));
    serverProc.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
  const m = /^serving (http:\/\/127\.0\.0\.1:\d+)\/$/.exec(first);
  assert.ok(m, `unexpected first line from serve.mjs: ${first}`);
  origin = m[1];

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(30_000);
  context.on('request', (r) => requests.push({ url: r.url(), at: requests.length }));
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  serverProc?.kill();
});

/** True for requests that touch the network; data: and blob: URLs never leave the page. */
const isNetwork = (/** @type {string} */ url) => !url.startsWith('data:') && !url.startsWith('blob:');

/** @param {CliRun} c @returns {Report} */
function nativeReport(c) {
  const r = runCli(c);
  assert.equal(r.status, 0, `CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8'));
}

/**
 * The native report of a run with a bank statement, which has the fund-flow and balance sections.
 * @param {CliRun} c
 * @returns {Report & {fund_flow: import('../../www/pkg/duizhang.js').FundFlowReport, balance: import('../../www/pkg/duizhang.js').BalanceReport}}
 */
function nativeFundReport(c) {
  const report = nativeReport(c);
  const { fund_flow: flow, balance } = report;
  assert.ok(flow && balance, 'a run with a bank statement reports fund_flow and balance');
  return { ...report, fund_flow: flow, balance };
}

/** The text of the first element `sel` finds ('' when it has none). @param {string} sel */
const textOf = async (sel) => (await page.textContent(sel)) ?? '';

/** @returns {Promise<Record<string, {count: string | null | undefined, amount: string | null | undefined}>>} */
async function readCards() {
  return page.$$eval('#cards [data-outcome]', (cards) => Object.fromEntries(cards.map((c) => [
    c.dataset.outcome,
    { count: c.querySelector('[data-field="count"]')?.textContent, amount: c.querySelector('[data-field="amount"]')?.textContent },
  ])));
}

/** @returns {Promise<Record<string, string | null | undefined>>} */
async function readTotals() {
  return page.$$eval('#totals [data-total]', (cards) => Object.fromEntries(cards.map((c) => [
    c.dataset.total, c.querySelector('[data-field="value"]')?.textContent])));
}

/** The cards show exactly the engine's strings: counts and amounts of the native report. @param {Report} report @param {string} what */
async function assertCardsMatch(report, what) {
  const cards = await readCards();
  assert.deepEqual(Object.keys(cards).sort(), [...OUTCOMES].sort(), `${what}: one card per outcome`);
  for (const o of OUTCOMES) {
    assert.equal(cards[o].count, String(report.summary.counts[o]), `${what}: count of ${o}`);
    assert.equal(cards[o].amount, report.summary.amounts[o], `${what}: amount of ${o}`);
  }
  const totals = await readTotals();
  assert.equal(totals.long_total, report.summary.long_total, `${what}: long_total`);
  assert.equal(totals.short_total, report.summary.short_total, `${what}: short_total`);
  assert.equal(totals.timing_total, report.summary.timing_total, `${what}: timing_total`);
  assert.equal(totals.cross_day, String(report.summary.cross_day), `${what}: cross_day`);
}

async function waitForResult() {
  await page.waitForSelector('body[data-result="ok"][data-status="ready"]');
  await page.waitForSelector('#exceptions[data-state="loaded"]');
  await page.waitForSelector('#issues[data-state="loaded"]');
}

/**
 * Drops files on the drop zone as a user does (a synthetic drop event carrying a DataTransfer of
 * Files) and waits until the page has routed them (it asks the worker what each file is first).
 * `files`: fixture paths, or {path, name} to drop a fixture under another name.
 * @param {(string | {path: string, name: string})[]} files
 */
async function dropFiles(files) {
  const list = files.map((f) => (typeof f === 'string' ? { path: f, name: path.basename(f) } : f))
    .map((f) => ({ name: f.name, b64: fs.readFileSync(abs(f.path)).toString('base64') }));
  const before = Number((await page.getAttribute('body', 'data-drops')) ?? 0);
  const dataTransfer = await page.evaluateHandle((l) => {
    const dt = new DataTransfer();
    for (const f of l) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    return dt;
  }, list);
  await page.dispatchEvent('#dropzone', 'drop', { dataTransfer });
  await page.waitForSelector(`body[data-drops="${before + 1}"]`);
}

/** The names of the files an input of the page holds. @param {string} side */
const inputFiles = (side) => page.$eval(`#file-${side}`, (/** @type {HTMLInputElement} */ input) => [...(input.files ?? [])].map((f) => f.name));

// The page's --warn and --bad (style.css): a timing item's amber, a break's red.
const AMBER = 'rgb(161, 92, 0)';
const RED = 'rgb(179, 38, 30)';

/** The class of the first row of a table and the colour its first cell is marked with. @param {string} sel */
const rowStanding = (sel) => page.$eval(sel, (/** @type {HTMLTableRowElement} */ r) => ({
  class: r.className, mark: getComputedStyle(r.cells[0]).boxShadow }));

const exceptionRows = () => page.$$eval('#exceptions tbody tr[data-outcome]', (rows) => rows.map((r) => r.dataset.outcome));

test('the page reconciles locally and matches the native CLI', async (t) => {
  // The sample button runs sampleDay() with sampleProfile() (tolerance ¥0.05, so every outcome shows):
  // the same files and profile as tests/fixtures/sample/.
  const profile = 'tests/fixtures/sample/profile.json';
  const report = nativeReport({ ...SAMPLE, profile });
  let picked = -1; // index in `requests` when files were first picked

  await t.test('loads and gets ready', async () => {
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-status="ready"]');
    assert.notEqual((await textOf('#version')).trim(), '…');
    const urls = requests.map((r) => r.url);
    // The worker's own fetches are seen too: the Wasm module is loaded by the worker only.
    assert.ok(urls.some((u) => u.endsWith('/pkg/duizhang_bg.wasm')), `worker requests not recorded: ${urls.join(' ')}`);
    assert.ok(urls.some((u) => u.endsWith('/worker.js')));
  });

  await t.test('sample day: cards equal the native report', async () => {
    picked = requests.length;
    await page.click('#sample');
    await waitForResult();
    await assertCardsMatch(report, 'sample');
    const files = await page.$$eval('#files tbody tr', (rows) => rows.map((r) => r.dataset.side));
    assert.deepEqual(files.sort(), ['channel', 'internal']);
  });

  await t.test('exceptions table pages and filters', async () => {
    const total = report.summary.exception_count;
    assert.ok(total > 0, 'the sample day should have exceptions');
    assert.equal((await exceptionRows()).length, Math.min(50, total));
    const want = report.summary.counts.amount_mismatch;
    assert.ok(want > 0, 'the sample day should have an amount_mismatch');
    await page.selectOption('#filter', 'amount_mismatch');
    await page.waitForSelector('#exceptions[data-state="loaded"][data-filter="amount_mismatch"]');
    const rows = await exceptionRows();
    assert.equal(rows.length, Math.min(50, want));
    assert.ok(rows.every((o) => o === 'amount_mismatch'), `rows: ${rows}`);
    const shown = await page.$$eval('#exceptions tbody tr [data-field="outcome"] code', (c) => c.map((x) => x.textContent));
    assert.ok(shown.every((o) => o === 'amount_mismatch'));
    await page.selectOption('#filter', '');
    await page.waitForSelector('#exceptions[data-state="loaded"][data-filter=""]');
    assert.equal((await exceptionRows()).length, Math.min(50, total));
  });

  await t.test('a timing item is not styled as a break: pending rows amber, breaks red', async () => {
    assert.ok(report.summary.counts.pending > 0 && report.summary.counts.amount_mismatch > 0, 'the sample day has both');
    await page.selectOption('#filter', 'pending');
    await page.waitForSelector('#exceptions[data-state="loaded"][data-filter="pending"]');
    const timing = await rowStanding('#exceptions tbody tr[data-outcome="pending"]');
    await page.selectOption('#filter', 'amount_mismatch');
    await page.waitForSelector('#exceptions[data-state="loaded"][data-filter="amount_mismatch"]');
    const broken = await rowStanding('#exceptions tbody tr[data-outcome="amount_mismatch"]');
    assert.equal(timing.class, 'timing');
    assert.equal(broken.class, 'break');
    assert.ok(timing.mark.includes(AMBER) && !timing.mark.includes(RED), `a pending row is marked ${timing.mark}`);
    assert.ok(broken.mark.includes(RED), `a break row is marked ${broken.mark}`);
    // Its d stays out of the long and short totals: it has a total of its own.
    assert.equal(await textOf('#totals [data-total="timing_total"] [data-field="value"]'), report.summary.timing_total);
    await page.selectOption('#filter', '');
    await page.waitForSelector('#exceptions[data-state="loaded"][data-filter=""]');
  });

  await t.test('CSV download: BOM, header, one record per exception', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    assert.match(download.suggestedFilename(), /^duizhang-exceptions-[\w-]+\.csv$/);
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const records = parseCsv(bytes.subarray(3).toString('utf8'));
    assert.ok(records.length >= 1 && records[0].length > 3, `header row: ${records[0]}`);
    assert.ok(records[0].every((h) => h.trim() !== ''), `header row has empty names: ${records[0]}`);
    assert.equal(records.length - 1, report.summary.exception_count, 'one record per exception');
  });

  await t.test('picked files give the same result as the sample', async () => {
    await page.setInputFiles('#file-internal', abs(SAMPLE.internal));
    await page.setInputFiles('#file-channel', abs(SAMPLE.channel));
    await page.click('#run');
    await waitForResult();
    await assertCardsMatch(nativeReport(SAMPLE), 'picked files, default profile');
    await page.click('.options summary');
    await page.setInputFiles('#profile', abs(profile));
    await page.waitForSelector('#profile-clear:not([hidden])');
    await page.click('#run');
    await waitForResult();
    await assertCardsMatch(report, 'picked files and profile');
  });

  await t.test('JSON download is the CLI report, byte for byte', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    assert.equal(download.suggestedFilename(), `duizhang-report-${report.date}.json`);
    const bytes = fs.readFileSync(await download.path());
    const native = runCli({ ...SAMPLE, profile });
    assert.ok(Buffer.concat([bytes, Buffer.from('\n')]).equals(native.stdout), 'JSON export differs from CLI stdout');
  });

  await t.test('差错处理 in the page: a refused action says why, a resolution closes the row, undo, the audit log', async () => {
    const external = report.exceptions.find((e) => e.class === 'external_only');
    assert.ok(external, 'the sample day has a payment without an order');
    const row = `#exceptions tbody tr[data-id="${external.id}"]`;
    await page.waitForSelector(row);
    await page.click(`${row} [data-resolve]`);
    await page.waitForSelector('#resolve-dialog[open]');
    await page.selectOption('#resolve-action', 'accept');
    await page.fill('#resolve-by', '李');
    await page.click('#resolve-ok');
    await page.waitForSelector('#resolve-error:not([hidden])');
    assert.match(await textOf('#resolve-error'), /does not apply/, 'accept is for timing items: the engine says so');
    await page.selectOption('#resolve-action', 'create_order');
    await page.fill('#resolve-note', '补单 order lost in sync');
    await page.click('#resolve-ok');
    await page.waitForSelector(`${row}[data-state="closed"]`);
    assert.equal(await page.$('#resolve-dialog[open]'), null, 'the dialog closed');
    await page.waitForSelector('#handling-box:not([hidden])');
    const open = report.exceptions.filter((e) => e.class !== 'matched_within_tolerance').length;
    assert.equal(await textOf('#handling-box [data-field="open"]'), String(open - 1));
    // Undo before the log is downloaded, then resolve again.
    await page.click(`${row} [data-unresolve]`);
    await page.waitForSelector(`${row}[data-state="open"]`);
    await page.click(`${row} [data-resolve]`);
    await page.selectOption('#resolve-action', 'create_order');
    await page.fill('#resolve-note', '补单 order lost in sync');
    await page.click('#resolve-ok');
    await page.waitForSelector(`${row}[data-state="closed"]`);
    const [log] = await Promise.all([page.waitForEvent('download'), page.click('#download-audit')]);
    assert.match(log.suggestedFilename(), /^duizhang-audit-[\w-]+\.jsonl$/);
    const lines = fs.readFileSync(await log.path(), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1, 'the undone resolution left no line');
    const entry = JSON.parse(lines[0]);
    assert.deepEqual([entry.id, entry.action, entry.by, entry.source], [external.id, 'create_order', '李', 'api']);
    assert.match(entry.at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'the page gives the time, as a local timestamp');
    // The CLI given the same resolution agrees on what is still open.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-page-resolutions-'));
    try {
      const file = path.join(dir, 'resolutions.json');
      fs.writeFileSync(file, JSON.stringify([{ id: entry.id, action: entry.action, note: entry.note, by: entry.by, at: entry.at }]));
      const native = nativeReport({ ...SAMPLE, profile, resolutions: file });
      assert.equal(await textOf('#handling-box [data-field="open"]'), String(native.handling?.open));
      const [documents] = await Promise.all([page.waitForEvent('download'), page.click('#download-documents')]);
      const orders = JSON.parse(fs.readFileSync(await documents.path(), 'utf8')).orders;
      assert.deepEqual(orders.map((/** @type {{id: string}} */ o) => o.id), [external.id], 'one order to create');
      // The same resolution as a picked file: the run applies it, the box and the row say so.
      await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = true; });
      await page.setInputFiles('#file-resolutions', file);
      await page.click('#run');
      await waitForResult();
      await page.waitForSelector('#handling-box:not([hidden])');
      assert.equal(await textOf('#handling-box [data-field="open"]'), String(native.handling?.open));
      await page.waitForSelector(`${row}[data-state="closed"]`);
      // Leave the page as the next tests expect it: no fund inputs, their box closed.
      await page.click('#fund-clear');
      await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = false; });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  await t.test('dropping two files guesses the sides; Swap swaps them', async () => {
    // Two plain tables of orders (content cannot tell an order export from a simple bill), dropped
    // in the "wrong" order: the names decide (orders → internal, channel → channel).
    await dropFiles([SAMPLE.channel, SAMPLE.internal]);
    const slotName = (/** @type {string} */ side) => page.textContent(`.slot[data-input="${side}"] [data-field="name"] strong`);
    assert.equal(await slotName('internal'), 'orders.csv');
    assert.equal(await slotName('channel'), 'channel.csv');
    assert.match(await textOf('#guess'), /orders\.csv → 内部订单/);
    assert.deepEqual(await page.$$eval('#guess [data-route]', (s) => s.map((x) => [x.dataset.route, x.dataset.by])),
      [['internal', 'name'], ['channel', 'name']]);
    await page.click('#swap');
    assert.equal(await slotName('internal'), 'channel.csv');
    await page.click('#swap');
    assert.equal(await slotName('internal'), 'orders.csv');
    await page.click('#run');
    await waitForResult();
    await assertCardsMatch(report, 'dropped files');
  });

  await t.test('exceptions page 50 at a time', async () => {
    // 120 orders the channel never saw: 120 internal_only exceptions on top of the sample's.
    const lines = ['商户订单号,商户号,订单金额,订单状态,创建时间,退款单号,商品名称'];
    for (let i = 0; i < 120; i++) {
      lines.push(`P2026032400${String(i).padStart(3, '0')},1230000109,10.00,支付成功,2026-03-24 10:00:00,,test`);
    }
    await page.setInputFiles('#file-internal', { name: 'orders-many.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.setInputFiles('#file-channel', abs(SAMPLE.channel));
    await page.click('#run');
    await waitForResult();
    const internalOnly = Number(await page.textContent('#cards [data-outcome="internal_only"] [data-field="count"]'));
    assert.ok(internalOnly >= 120, `internal_only = ${internalOnly}`);
    await page.selectOption('#filter', 'internal_only');
    await page.waitForSelector('#exceptions[data-state="loaded"][data-filter="internal_only"]');
    const pager = '[data-pager="exceptions"]';
    assert.equal(await page.isDisabled(`${pager} [data-page="prev"]`), true);
    const seen = new Set();
    for (let offset = 0; offset < internalOnly; offset += 50) {
      if (offset > 0) {
        await page.click(`${pager} [data-page="next"]`);
      }
      await page.waitForFunction((o) => document.querySelector('[data-pager="exceptions"] [data-field="range"]')
        ?.textContent?.startsWith(`${o + 1}–`), offset);
      const rows = await page.$$eval('#exceptions tbody tr[data-outcome]',
        (/** @type {HTMLTableRowElement[]} */ rs) => rs.map((r) => [r.dataset.outcome, r.cells[1].textContent]));
      assert.equal(rows.length, Math.min(50, internalOnly - offset));
      for (const [o, key] of rows) {
        assert.equal(o, 'internal_only');
        seen.add(key);
      }
    }
    assert.equal(seen.size, internalOnly, 'every exception shown exactly once across pages');
    assert.equal(await page.isDisabled(`${pager} [data-page="next"]`), true);
    await page.click(`${pager} [data-page="prev"]`);
    await page.waitForFunction(() => document.querySelector('[data-pager="exceptions"] [data-field="range"]')?.textContent?.startsWith('51–'));
    await page.selectOption('#filter', '');
  });

  await t.test('a malformed file shows its error code', async () => {
    const dir = path.join(ROOT, 'tests', 'fixtures', 'malformed');
    const candidates = ['empty.csv', ...fs.readdirSync(dir).sort()].filter((f) => fs.existsSync(path.join(dir, f)));
    const bad = candidates
      .map((f) => ({ f, r: runCli({ internal: SAMPLE.internal, channel: path.join('tests/fixtures/malformed', f) }) }))
      .find(({ r }) => r.status === 1 && r.code);
    assert.ok(bad, 'no malformed fixture makes the CLI fail');
    await page.setInputFiles('#file-channel', path.join(dir, bad.f));
    await page.click('#run');
    await page.waitForSelector('#error:not([hidden])');
    await page.waitForSelector('body[data-status="ready"]');
    assert.equal((await page.textContent('#error [data-field="code"]'))?.trim(), bad.r.code);
    assert.equal(await page.isHidden('#results'), true);
  });

  // ------------------------------------------------------------------------------------------
  // Fund flow (issue 4) and the per-file panel (issue 3)

  const fundReport = nativeFundReport(FUND_SAMPLE);

  async function waitForFund() {
    // Without an order export the information-flow tables are hidden: wait for them attached.
    await page.waitForSelector('body[data-result="ok"][data-status="ready"]');
    await page.waitForSelector('#exceptions[data-state="loaded"]', { state: 'attached' });
    await page.waitForSelector('#issues[data-state="loaded"]');
    await page.waitForSelector('#fund-results:not([hidden])');
    await page.waitForSelector('#fund_matches[data-state="loaded"]');
    await page.waitForSelector('#fund_exceptions[data-state="loaded"]');
  }

  /** @returns {Promise<Record<string, string | null | undefined>>} */
  const fundCards = () => page.$$eval('#fund-cards [data-fund-outcome]', (cards) => Object.fromEntries(
    cards.map((c) => [c.dataset.fundOutcome, c.querySelector('[data-field="count"]')?.textContent])));
  /** @returns {Promise<Record<string, string | null>>} */
  const statementCells = () => page.$$eval('#statement [data-field]', (cells) => Object.fromEntries(
    cells.map((c) => [c.dataset.field, c.textContent])));
  /** @type {(keyof import('../../www/pkg/duizhang.js').ReconciliationStatement)[]} */
  const STATEMENT_KEYS = ['book_balance', 'bank_balance', 'bank_received_not_booked', 'bank_paid_not_booked',
    'booked_received_not_at_bank', 'booked_paid_not_at_bank', 'adjusted_book', 'adjusted_bank', 'difference'];

  /**
   * Fund cards, matches, open items, merchants and the 余额调节表 equal the native report.
   * @param {Report} report @param {string} what
   */
  async function assertFundMatches(report, what) {
    const flow = report.fund_flow;
    const balance = report.balance;
    assert.ok(flow && balance, `${what}: the report has fund_flow and balance sections`);
    const cards = await fundCards();
    for (const [code, n] of Object.entries(flow.counts)) assert.equal(cards[code], String(n), `${what}: count of ${code}`);
    const explanations = await page.$$eval('#fund_matches tbody [data-field="explanation"]', (c) => c.map((x) => x.textContent));
    assert.deepEqual(explanations, flow.matches.slice(0, 50).map((m) => m.explanation), `${what}: explanations`);
    const open = await page.$$eval('#fund_exceptions tbody tr[data-id]', (/** @type {HTMLTableRowElement[]} */ rows) => rows.map((r) => [
      r.dataset.id, r.dataset.outcome, r.cells[5].textContent, r.cells[7].firstChild?.textContent ?? '',
      r.querySelector('[data-field="memo"]')?.textContent]));
    assert.deepEqual(open, flow.exceptions.slice(0, 50).map((x) => [x.id, x.outcome, x.d,
      x.age_days === null ? '—' : String(x.age_days), x.memo === '' ? '—' : x.memo]), `${what}: open items`);
    const merchants = await page.$$eval('#merchants tbody tr[data-merchant]', (rows) => rows.map((r) => [r.dataset.merchant,
      ...[...r.querySelectorAll('[data-field]')].map((c) => c.textContent)]));
    assert.deepEqual(merchants, flow.merchants.map((m) => [m.merchant, m.settled, m.credited, m.matched, m.in_transit,
      m.internal_only, m.external_only, m.amount_mismatch, m.amount_mismatch_d, m.amount_mismatch_explained,
      m.amount_mismatch_unexplained]), `${what}: merchants`);
    assert.equal(await page.textContent('#break-count'), `(${balance.running_breaks.length})`);
    const st = balance.statement;
    if (st) {
      const cells = await statementCells();
      for (const k of STATEMENT_KEYS) assert.equal(cells[k], st[k], `${what}: 余额调节表 ${k}`);
      assert.equal(await page.getAttribute('#statement', 'data-outcome'), st.outcome);
      assert.match(cells.outcome ?? '', st.outcome === 'matched' ? /balanced/ : /balance_break/);
    }
  }

  await t.test('fund-flow sample: the page equals the native CLI, with explanations and the 余额调节表', async () => {
    const flow = fundReport.fund_flow;
    // The fixture day shows what the sample is for: a credit covering several days, something in
    // transit, an unexplained movement, and a statement that balances.
    assert.ok(flow.matches.some((m) => / = settlements of .* \+ /.test(m.explanation)), 'a multi-day credit');
    assert.ok(flow.counts.in_transit > 0 && flow.counts.unexplained_movement > 0);
    assert.equal(fundReport.balance.statement?.outcome, 'matched');
    await page.click('#fund-sample');
    await waitForFund();
    await assertFundMatches(fundReport, 'fund-flow sample');
    // The files panel lists the bill; the fund inputs table the statement, payouts and sub-ledger.
    assert.deepEqual(await page.$$eval('#fund-inputs tbody tr', (rows) => rows.map((r) => r.dataset.input)), ['bank', 'payouts', 'sub_ledger']);
    // The statement's 合计 row and running balance agree with its movements: ✓ each, as in the report.
    const shownChecks = await page.$$eval('#fund-inputs tbody tr[data-input="bank"] [data-check]',
      (lis) => lis.map((li) => [li.dataset.check, li.dataset.passed === 'true']));
    assert.deepEqual(shownChecks, fundReport.balance.statements[0].checks.map((c) => [c.name, c.passed]));
    assert.deepEqual(shownChecks, [['合计 借方', true], ['合计 贷方', true], ['余额 (opening + movements = closing)', true]]);
    assert.equal(await page.isHidden('#info-results'), true, 'no order export: no information-flow cards');
    // Filter: in transit only, with age.
    await page.selectOption('#fund-filter', 'in_transit');
    await page.waitForSelector('#fund_exceptions[data-state="loaded"][data-filter="in_transit"]');
    const outcomes = await page.$$eval('#fund_exceptions tbody tr[data-id]', (rows) => rows.map((r) => r.dataset.outcome));
    assert.deepEqual(outcomes, flow.exceptions.filter((x) => x.outcome === 'in_transit').map(() => 'in_transit'));
    // In transit is timing, not a break: amber; an unexplained movement is a break: red.
    const inTransit = await rowStanding('#fund_exceptions tbody tr[data-outcome="in_transit"]');
    assert.equal(inTransit.class, 'timing');
    assert.ok(inTransit.mark.includes(AMBER) && !inTransit.mark.includes(RED), `an in-transit row is marked ${inTransit.mark}`);
    await page.selectOption('#fund-filter', 'unexplained_movement');
    await page.waitForSelector('#fund_exceptions[data-state="loaded"][data-filter="unexplained_movement"]');
    const unexplained = await rowStanding('#fund_exceptions tbody tr[data-outcome="unexplained_movement"]');
    assert.equal(unexplained.class, 'break');
    assert.ok(unexplained.mark.includes(RED), `an unexplained movement is marked ${unexplained.mark}`);
    await page.selectOption('#fund-filter', '');
    await page.waitForSelector('#fund_exceptions[data-state="loaded"][data-filter=""]');
    // Print prints the statement: the button calls window.print().
    await page.evaluate(() => {
      window.print = () => { document.body.dataset.printed = 'yes'; };
    });
    await page.click('#print');
    assert.equal(await page.getAttribute('body', 'data-printed'), 'yes');
    // A statement without running-balance breaks: the totals check only.
    assert.deepEqual(await page.$$eval('#statements tbody [data-check]', (s) => s.map((x) => [x.dataset.check, x.dataset.passed])),
      fundReport.balance.statements.map((st) => ['totals', String(st.consistent)]));
    // An empty filter result reads "0 / 0", not "0–0 / 0".
    /** @type {import('../../www/pkg/duizhang.js').FundOutcome[]} */
    const openOutcomes = ['internal_only', 'external_only', 'unexplained_movement', 'in_transit'];
    const none = openOutcomes.find((o) => flow.counts[o] === 0);
    assert.ok(none, `an open-item outcome the sample does not have: ${JSON.stringify(flow.counts)}`);
    await page.selectOption('#fund-filter', none);
    await page.waitForSelector(`#fund_exceptions[data-state="loaded"][data-filter="${none}"]`);
    assert.equal(await page.textContent('[data-pager="fund_exceptions"] [data-field="range"]'), '0 / 0');
    await page.selectOption('#fund-filter', '');
    await page.waitForSelector('#fund_exceptions[data-state="loaded"][data-filter=""]');
  });

  await t.test('fund flow at 400 px: nothing runs past the page, the 余额调节表 shows every amount', async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    try {
      const layout = await page.evaluate(() => {
        const box = (/** @type {string} */ sel) => {
          const el = document.querySelector(sel);
          if (!el) throw new Error(`the page has no ${sel}`);
          return el.getBoundingClientRect();
        };
        const wrap = document.querySelector('#statement')?.closest('.table-wrap');
        const cells = [...document.querySelectorAll('#statement td.num')].map((td) => td.getBoundingClientRect());
        return {
          scrollWidth: document.documentElement.scrollWidth,
          wrapped: Boolean(wrap),
          scrolls: wrap ? getComputedStyle(wrap).overflowX : null,
          // Every amount is shown whole, without scrolling (the bank side was cut off).
          amountsInside: wrap ? cells.every((r) => r.width > 0 && r.right <= wrap.getBoundingClientRect().right + 1) : false,
          cells: cells.length,
          panelRight: box('#results').right,
          filterRight: box('#fund-filter').right,
        };
      });
      assert.ok(layout.scrollWidth <= 400 + 1, `the page is ${layout.scrollWidth} px wide at 400 px`);
      assert.ok(layout.wrapped, 'the 余额调节表 sits in a .table-wrap');
      assert.equal(layout.scrolls, 'auto', 'what does not fit scrolls inside the wrapper');
      assert.ok(layout.amountsInside, 'every amount of the 余额调节表 is inside the page at 400 px');
      assert.equal(layout.cells, 9);
      assert.ok(layout.filterRight <= layout.panelRight, `the outcome filter ends at ${layout.filterRight}, the panel at ${layout.panelRight}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  await t.test('fund flow alone: the JSON report downloads, with its fund_flow section', async () => {
    assert.equal(await page.isHidden('#info-results'), true, 'a fund-flow-only result');
    assert.equal(await page.isVisible('#download-json'), true, 'the JSON report is offered');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    assert.match(download.suggestedFilename(), /^duizhang-report-[\w-]+\.json$/);
    const report = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.ok(report.fund_flow, 'the report has a fund_flow section');
    assert.deepEqual(report.fund_flow.counts, fundReport.fund_flow.counts);
    assert.deepEqual(report.balance.statement, fundReport.balance.statement);
  });

  await t.test('fund-flow downloads: the state file equals the CLI carry-out, the CSV has a BOM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-carry-'));
    try {
      const out = path.join(dir, 'state.json');
      assert.equal(runCli({ ...FUND_SAMPLE, carryOut: out }).status, 0);
      const [state] = await Promise.all([page.waitForEvent('download'), page.click('#download-carry')]);
      assert.equal(state.suggestedFilename(), 'duizhang-state-2026-03-25.json');
      assert.ok(fs.readFileSync(await state.path()).equals(fs.readFileSync(out)), 'state file differs from --carry-out');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-fund-csv')]);
    assert.equal(csv.suggestedFilename(), 'duizhang-fund-flow-2026-03-25.csv');
    const bytes = fs.readFileSync(await csv.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const records = parseCsv(bytes.subarray(3).toString('utf8')).filter((r) => r.length > 1);
    assert.equal(records.length - 1, fundReport.fund_flow.matches.length + fundReport.fund_flow.exceptions.length);
  });

  await t.test('per-file override: the bill read as a chosen format re-runs and shows it', async () => {
    const row = '#files tbody tr[data-side="channel"]';
    assert.equal(await page.textContent(`${row} [data-field="format"]`), fundReport.files[0].format);
    const forced = fundReport.files[0].format === 'wechat_trade' ? 'generic_csv' : 'wechat_trade';
    await page.selectOption(`${row} select`, forced);
    await page.waitForSelector(`${row}[data-forced="${forced}"]`);
    await waitForFund();
    assert.equal(await page.textContent(`${row} [data-field="format"]`), forced);
    assert.equal(await page.inputValue(`${row} select`), forced);
    await assertFundMatches(nativeReport({ ...FUND_SAMPLE, format: forced }), `bill forced to ${forced}`);
    // Back to detection.
    await page.selectOption(`${row} select`, '');
    await page.waitForSelector(`${row}:not([data-forced])`);
    await waitForFund();
    assert.equal(await page.textContent(`${row} [data-field="format"]`), fundReport.files[0].format);
  });

  await t.test('fund flow from picked files: a zipped statement, gzipped payouts and a typed book balance (a balance break)', async () => {
    // As download portals hand them out: every input opens archives, not only the bills.
    const c = {
      ...FUND_SAMPLE, bank: 'tests/fixtures/bank/statement_corporate.zip', payouts: 'tests/fixtures/bank/payouts.csv.gz',
      bookBalance: '9000.00',
    };
    const report = nativeFundReport(c);
    assert.equal(report.balance.statement?.outcome, 'balance_break');
    await page.setInputFiles('#file-internal', []);
    await page.setInputFiles('#file-channel', abs(c.channel));
    await page.click('#fund-inputs-box summary');
    await page.setInputFiles('#file-bank', abs(c.bank));
    await page.setInputFiles('#file-payouts', abs(c.payouts));
    await page.fill('#book-balance', c.bookBalance);
    await page.setInputFiles('#profile', abs(c.profile));
    await page.fill('#date', c.date);
    assert.equal(await page.isDisabled('#run'), false, 'no order export needed with a bank statement');
    await page.click('#run');
    await waitForFund();
    await assertFundMatches(report, 'picked fund-flow files');
    assert.match(await textOf('#statement [data-field="outcome"]'), /长款/);
    const inputs = await page.$$eval('#fund-inputs tbody tr', (/** @type {HTMLTableRowElement[]} */ trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.deepEqual(inputs, ['statement_corporate.zip/statement_corporate.csv', 'payouts.csv.gz']);
    // Leave the page as the next tests expect it: no fund inputs, no date, default profile.
    await page.click('#fund-clear');
    await page.fill('#date', '');
    await page.click('#profile-clear');
  });

  await t.test('a platform month: each sub-merchant\'s clearing line equals the CLI, the 结算单 downloads', async () => {
    const dir = 'tests/fixtures/platform';
    const c = {
      channel: `${dir}/wechat_sp_202603.zip`, bank: `${dir}/internal_account_202603_gbk.csv`,
      payouts: `${dir}/payouts_202603.csv`, profile: `${dir}/profile.json`, date: '2026-03-31',
    };
    const report = nativeReport(c);
    const clearing = report.clearing;
    assert.ok(clearing && clearing.merchants.length === 3, 'the CLI has three sub-merchants');
    await page.setInputFiles('#file-internal', []);
    await page.setInputFiles('#file-channel', abs(c.channel));
    // Open the fund-flow inputs whether or not the test before left them open.
    await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = true; });
    await page.setInputFiles('#file-bank', abs(c.bank));
    await page.setInputFiles('#file-payouts', abs(c.payouts));
    await page.setInputFiles('#profile', abs(c.profile));
    await page.fill('#date', c.date);
    await page.click('#run');
    await waitForFund();
    await page.waitForSelector('#clearing-results:not([hidden])');
    const rows = await page.$$eval('#clearing tbody tr[data-merchant]', (/** @type {HTMLTableRowElement[]} */ trs) =>
      trs.map((tr) => ({
        merchant: tr.dataset.merchant, broken: tr.classList.contains('break'),
        cells: Object.fromEntries([...tr.querySelectorAll('[data-field]')].map((td) =>
          [/** @type {HTMLElement} */ (td).dataset.field, td.textContent])),
      })));
    assert.deepEqual(rows.map((r) => r.merchant), clearing.merchants.map((m) => m.merchant));
    /** @type {(keyof import('../../www/pkg/duizhang.js').ClearingAmounts)[]} */
    const amounts = ['gross', 'refunds', 'fee_charged', 'fee_expected', 'commission', 'net_payable', 'credited',
      'paid_out', 'outstanding'];
    for (const [i, m] of clearing.merchants.entries()) {
      for (const k of amounts) {
        assert.equal(rows[i].cells[k], m[k], `${m.merchant} ${k}`);
      }
      assert.equal(rows[i].cells.exceptions, String(m.exceptions));
      assert.equal(rows[i].broken, m.exceptions > 0, `${m.merchant}: red only with fee or payout mismatches`);
    }
    const count = (/** @type {string} */ cls) => clearing.exceptions.filter((e) => e.class === cls).length;
    assert.ok(count('payout_mismatch') > 0, 'the short payout');
    assert.equal(await page.textContent('#clearing-count'), `(${clearing.merchants.length} 商户 merchants · `
      + `手续费不符 fee mismatches ${count('fee_mismatch')} · 代付不符 payout mismatches ${count('payout_mismatch')})`);
    assert.ok(rows.some((r) => r.broken), 'the merchant the channel charged the wrong rate is marked');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-clearing-csv')]);
    assert.equal(csv.suggestedFilename(), 'duizhang-clearing-2026-03-31.csv');
    const bytes = fs.readFileSync(await csv.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const records = parseCsv(bytes.subarray(3).toString('utf8')).filter((r) => r.length > 1);
    const days = clearing.merchants.reduce((n, m) => n + m.days.length, 0);
    assert.equal(records.length - 1, days + clearing.merchants.length, 'a line per settlement date and a 合计 per merchant');

    // The clearing table fits a 1400 px window; at 400 px it scrolls inside its box, not the page.
    const viewport = page.viewportSize();
    const widths = () => page.$eval('#clearing', (t) => {
      const wrap = /** @type {HTMLElement} */ (t.parentElement);
      return { table: wrap.scrollWidth, box: wrap.clientWidth, page: document.documentElement.scrollWidth, window: window.innerWidth };
    });
    await page.setViewportSize({ width: 1400, height: 900 });
    const wide = await widths();
    assert.ok(wide.table <= wide.box, `no column cut off at 1400 px: ${JSON.stringify(wide)}`);
    await page.setViewportSize({ width: 400, height: 900 });
    const narrow = await widths();
    assert.ok(narrow.table > narrow.box && narrow.page <= narrow.window, `scrolls in its box at 400 px: ${JSON.stringify(narrow)}`);
    if (viewport) await page.setViewportSize(viewport);

    // The merchants: filtered by number, ordered by a column, paged.
    const merchantsShown = () => page.$$eval('#clearing tbody tr[data-merchant]', (trs) => trs.map((tr) => tr.dataset.merchant));
    assert.equal(await textOf('#clearing-pager [data-field="range"]'), `1–3 / 3`);
    await page.fill('#clearing-find', '0003');
    assert.deepEqual(await merchantsShown(), ['1612000003']);
    await page.fill('#clearing-find', '');
    await page.selectOption('#clearing-sort', 'exceptions');
    const most = [...clearing.merchants].sort((x, y) => y.exceptions - x.exceptions || (x.merchant < y.merchant ? -1 : 1));
    assert.deepEqual(await merchantsShown(), most.map((x) => x.merchant));
    await page.selectOption('#clearing-sort', 'merchant');
    assert.deepEqual(await merchantsShown(), clearing.merchants.map((x) => x.merchant));

    // The clearing exceptions as rows, as the CLI has them; filtered by class.
    const shownIds = () => page.$$eval('#clearing_exceptions tbody tr[data-id]', (trs) => trs.map((tr) => tr.dataset.id));
    await page.waitForSelector('#clearing_exceptions[data-state="loaded"]');
    assert.deepEqual(await shownIds(), clearing.exceptions.slice(0, 50).map((e) => e.id));
    await page.selectOption('#clearing-filter', 'payout_mismatch');
    await page.waitForSelector('#clearing_exceptions[data-state="loaded"][data-filter="payout_mismatch"]');
    const payouts = clearing.exceptions.filter((e) => e.class === 'payout_mismatch');
    assert.deepEqual(await shownIds(), payouts.map((e) => e.id));
    const [short] = payouts;
    assert.equal(await textOf(`#clearing_exceptions tr[data-id="${short.id}"] [data-field="d"]`), short.d);
    assert.equal(await textOf(`#clearing_exceptions tr[data-id="${short.id}"] [data-field="actual"]`), short.paid ?? '');

    // A click opens the merchant: its settlement dates and its own exceptions; its statement downloads.
    await page.click(`#clearing tbody tr[data-merchant="${short.merchant}"]`);
    await page.waitForSelector('#merchant-detail:not([hidden])');
    const m = clearing.merchants.find((x) => x.merchant === short.merchant);
    assert.ok(m, 'the CLI has the merchant');
    const dates = await page.$$eval('#merchant-days tbody tr', (trs) => trs.map((tr) => [tr.dataset.date,
      tr.querySelector('[data-field="outstanding"]')?.textContent, tr.querySelector('[data-field="payout_rule"]')?.textContent]));
    assert.deepEqual(dates, m.days.map((d) => [d.settle_date, d.outstanding, d.payout_rule ?? '—']));
    await page.selectOption('#clearing-filter', '');
    await page.waitForSelector('#clearing_exceptions[data-state="loaded"][data-filter=""]');
    assert.deepEqual(await shownIds(), clearing.exceptions.filter((e) => e.merchant === short.merchant).map((e) => e.id));
    // Fund flow's matches and open items narrow to the merchant too: its batches, credits and payouts.
    const flow = report.fund_flow;
    assert.ok(flow, 'the CLI has fund flow');
    await page.waitForSelector(`#fund_matches[data-state="loaded"][data-merchant="${short.merchant}"]`);
    await page.waitForSelector(`#fund_exceptions[data-state="loaded"][data-merchant="${short.merchant}"]`);
    const explanations = await page.$$eval('#fund_matches tbody [data-field="explanation"]', (c) => c.map((x) => x.textContent));
    const own = flow.matches.filter((x) => x.merchant === short.merchant);
    assert.ok(own.length > 0 && own.length < flow.matches.length);
    assert.deepEqual(explanations, own.slice(0, 50).map((x) => x.explanation));
    const open = await page.$$eval('#fund_exceptions tbody tr[data-id]', (trs) => trs.map((tr) => tr.dataset.id));
    assert.deepEqual(open, flow.exceptions.filter((x) => x.merchant === short.merchant).slice(0, 50).map((x) => x.id));
    assert.match(await textOf('#fund-matches-title [data-field="merchant-scope"]'), new RegExp(short.merchant));
    const [one] = await Promise.all([page.waitForEvent('download'), page.click('#download-merchant-csv')]);
    assert.equal(one.suggestedFilename(), `duizhang-clearing-${short.merchant}-2026-03-31.csv`);
    const lines = parseCsv(fs.readFileSync(await one.path()).subarray(3).toString('utf8')).filter((r) => r.length > 1);
    assert.equal(lines.length - 1, m.days.length + 1, 'its settlement dates and its 合计');
    assert.ok(lines.slice(1).every((r) => r[0] === short.merchant));
    await page.click('#merchant-close');
    assert.equal(await page.isHidden('#merchant-detail'), true);
    await page.waitForSelector('#fund_matches[data-state="loaded"][data-merchant=""]');
    assert.equal(await textOf('#fund-matches-title [data-field="merchant-scope"]'), '');
    await page.click('#fund-clear');
    await page.fill('#date', '');
    await page.click('#profile-clear');
  });

  await t.test('differences: a credit short or long of its settlement is one open pair row with its breakdown', async () => {
    const dir = 'tests/fixtures/differences';
    const c = { channel: `${dir}/wechat_sp_week.zip`, bank: `${dir}/statement_week_gbk.csv`, profile: `${dir}/profile.json`, date: '2026-11-06' };
    const report = nativeReport(c);
    const pairs = (report.fund_flow?.exceptions ?? []).filter((x) => x.kind === 'pair');
    assert.equal(pairs.length, 8, 'the CLI pairs each short or long credit with its settlement');
    await page.setInputFiles('#file-internal', []);
    await page.setInputFiles('#file-channel', abs(c.channel));
    await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = true; });
    await page.setInputFiles('#file-bank', abs(c.bank));
    await page.setInputFiles('#profile', abs(c.profile));
    await page.fill('#date', c.date);
    await page.click('#run');
    await waitForFund();
    await assertFundMatches(report, 'differences');
    assert.ok(pairs.some((x) => x.pair?.breakdown?.causes.some((c) => c.kind === 'fee_rate' && c.explains)), 'a cause named');
    for (const x of pairs) {
      const row = `#fund_exceptions tbody tr[data-id="${x.id}"]`;
      assert.equal(await page.getAttribute(row, 'data-outcome'), 'amount_mismatch');
      const b = x.pair?.breakdown;
      assert.ok(b, `${x.id}: the CLI gives the pair a breakdown`);
      const causes = b.causes.filter((c) => c.explains).map((c) => `${c.kind_zh} ${c.amount}（${c.detail}）`);
      assert.equal(await textOf(`${row} [data-field="breakdown"]`),
        `应到 expected ${b.expected} = 交易 ${b.gross} − 退款 ${b.refunds} − 手续费 ${b.fees} · 实到 credited ${b.credited} · 差额 d ${b.d}`
        + (causes.length ? ` · 原因 causes: ${causes.join('; ')}` : '') + ` · 未解释 unexplained ${b.unexplained}`);
    }
    await page.click('#fund-clear');
    await page.fill('#date', '');
    await page.click('#profile-clear');
  });

  await t.test('a statement downloaded as two overlapping files: each movement once, the overlap shown per file', async () => {
    const dir = 'tests/fixtures/platform';
    const c = { channel: `${dir}/wechat_sp_202603.zip`, profile: `${dir}/profile.json`, date: '2026-03-31',
      bank: [`${dir}/internal_account_20260310_20260331_gbk.csv`, `${dir}/internal_account_20260301_20260320_gbk.csv`] };
    const report = nativeReport(c);
    const balance = report.balance;
    assert.ok(balance && balance.repeated_movements > 0, 'the CLI counts the overlap');
    assert.equal(balance.continuity_breaks.length, 0);
    await page.setInputFiles('#file-internal', []);
    await page.setInputFiles('#file-channel', abs(c.channel));
    await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = true; });
    await page.setInputFiles('#file-bank', c.bank.map(abs));
    await page.setInputFiles('#profile', abs(c.profile));
    await page.fill('#date', c.date);
    await page.click('#run');
    await waitForFund();
    await assertFundMatches(report, 'overlapping statements');
    const shown = await page.$$eval('#statements tbody tr', (/** @type {HTMLTableRowElement[]} */ rows) => rows.filter((r) => r.cells.length > 1)
      .map((r) => [r.cells[0].textContent, r.querySelector('[data-field="repeated"]')?.textContent ?? '']));
    assert.deepEqual(shown, balance.statements.map((st) => [st.file,
      st.repeated > 0 ? `${st.repeated} 笔已在前一份流水中 movements also in an earlier file (counted once)` : '']));
    await page.click('#fund-clear');
    await page.fill('#date', '');
    await page.click('#profile-clear');
  });

  await t.test('a statement past the cut-off: the bank balance at the cut-off and the later movements apart', async () => {
    const dir = 'tests/fixtures/platform';
    const c = { channel: `${dir}/wechat_sp_202603.zip`, bank: `${dir}/internal_account_202603_gbk.csv`,
      payouts: `${dir}/payouts_202603.csv`, profile: `${dir}/profile_cutoff_1600.json`, date: '2026-03-06' };
    const report = nativeReport(c);
    const balance = report.balance;
    assert.ok(balance && balance.later_movements.length > 50, 'the CLI lists the later movements');
    const [bank] = balance.bank_balances;
    assert.ok(bank?.file && bank.balance, 'the CLI names the movement the balance is after');
    await page.setInputFiles('#file-internal', []);
    await page.setInputFiles('#file-channel', abs(c.channel));
    await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = true; });
    await page.setInputFiles('#file-bank', abs(c.bank));
    await page.setInputFiles('#file-payouts', abs(c.payouts));
    await page.setInputFiles('#profile', abs(c.profile));
    await page.fill('#date', c.date);
    await page.click('#run');
    await waitForFund();
    await assertFundMatches(report, 'past the cut-off');
    assert.equal(await textOf('#bank-at-cutoff li'),
      `银行余额取日切 ${balance.cutoff} 时点 bank balance at the cut-off: ${bank.account} ${bank.balance}`
      + ` · ${bank.file}:${bank.line} (${bank.date} ${bank.time}) 之后 after · 日切后 ${bank.later} 笔 later movements apart`);
    assert.equal(await page.isHidden('#later-box'), false);
    assert.equal(await page.textContent('#later-count'), `(${balance.later_movements.length})`);
    const ids = await page.$$eval('#later-movements tbody tr[data-id]', (rows) => rows.map((r) => r.dataset.id));
    assert.deepEqual(ids, balance.later_movements.slice(0, 200).map((m) => m.id));
    await page.click('#fund-clear');
    await page.fill('#date', '');
    await page.click('#profile-clear');
  });

  await t.test("day two: yesterday's state file carries open items; running-balance breaks are listed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-day2-'));
    try {
      const state = path.join(dir, 'duizhang-state-2026-03-25.json');
      assert.equal(runCli({ ...FUND_SAMPLE, carryOut: state }).status, 0);
      const c = { bank: 'tests/fixtures/bank/statement_gbk_newest_first.csv', bookBalance: '9000.00', profile: FUND_SAMPLE.profile,
        carryIn: state, date: '2026-03-26' };
      const report = nativeFundReport(c);
      assert.ok(report.fund_flow.matches.some((m) => /carried from 2026-03-25/.test(m.explanation)));
      await page.click('#fund-clear');
      await page.setInputFiles('#file-internal', []);
      await page.setInputFiles('#file-channel', []);
      await page.setInputFiles('#file-bank', abs(c.bank));
      await page.setInputFiles('#file-carry', state);
      await page.fill('#book-balance', c.bookBalance);
      await page.setInputFiles('#profile', abs(c.profile));
      await page.fill('#date', c.date);
      await page.click('#run');
      await waitForFund();
      await assertFundMatches(report, 'day two with the state file');
      assert.deepEqual(await page.$$eval('#fund-inputs tbody tr', (rows) => rows.map((r) => r.dataset.input)), ['bank', 'carry']);
      assert.equal(await page.isHidden('#files'), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A statement whose running balance breaks twice: file, line, expected, found, missing.
    const broken = { bank: 'tests/fixtures/bank/corporate_balance_break_gbk.csv', profile: FUND_SAMPLE.profile, date: '2026-03-25' };
    const report = nativeFundReport(broken);
    assert.ok(report.balance.running_breaks.length > 0);
    await page.click('#fund-clear');
    await page.setInputFiles('#file-bank', abs(broken.bank));
    await page.fill('#date', broken.date);
    await page.click('#run');
    await waitForFund();
    await assertFundMatches(report, 'running-balance breaks');
    const rows = await page.$$eval('#running-breaks tbody tr',
      (/** @type {HTMLTableRowElement[]} */ trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, report.balance.running_breaks.map((b) => [b.file, String(b.line), b.expected, b.found, b.missing]));
    // The statement's row says what `consistent` checks (the totals) and shows the breaks too: it never
    // says all is well while breaks are listed below.
    const [st] = report.balance.statements;
    const breaksOf = report.balance.running_breaks.filter((b) => b.file === st.file).length;
    assert.equal(breaksOf, 2, 'the fixture breaks twice');
    const checks = await page.$$eval('#statements tbody tr [data-field="checks"] [data-check]', (s) => s.map((x) => [x.dataset.check, x.dataset.passed, x.textContent]));
    assert.deepEqual(checks, [['totals', String(st.consistent), st.consistent ? '✓ 收支相符 totals agree' : '✗ 收支不符 totals disagree'],
      ['running', 'false', '✗ 余额断点 2 breaks']]);
    assert.doesNotMatch(await textOf('#statements tbody'), /连续 consistent/);
    assert.equal(await page.isHidden('#statement'), true, 'no book balance: no statement');
    await page.click('#fund-clear');
    await page.fill('#date', '');
    await page.click('#profile-clear');
  });

  await t.test('several channel bills: WeChat, an Alipay zip, a UnionPay ZM file without extension; every table with its checks', async () => {
    const c = { internal: SAMPLE.internal, channel: ['tests/fixtures/wechat/trade_all_bom_crlf.csv',
      'tests/fixtures/alipay/bill_summary_disagrees.zip', 'tests/fixtures/unionpay/INN26032488ZM_777290058110048'] };
    const report = nativeReport(c);
    await page.setInputFiles('#file-internal', abs(c.internal));
    await page.setInputFiles('#file-channel', c.channel.map(abs));
    await page.click('#run');
    await waitForResult();
    await assertCardsMatch(report, 'two bills');
    assert.equal(await page.isHidden('#fund-results'), true, 'no fund-flow input: no fund-flow section');
    const rows = await page.$$eval('#files tbody tr', (trs) => trs.map((r) => ({
      side: r.dataset.side,
      format: r.querySelector('[data-field="format"]')?.textContent,
      variant: r.querySelector('[data-field="variant"]')?.textContent ?? '',
      checks: [...r.querySelectorAll('[data-check]')].filter((li) => li instanceof HTMLElement)
        .map((li) => /** @type {[name: string | undefined, passed: boolean, text: string]} */ ([li.dataset.check, li.dataset.passed === 'true', li.textContent ?? ''])),
    })));
    assert.equal(rows.length, report.files.length, 'one row per table (the zip gives two)');
    rows.forEach((r, i) => {
      const f = report.files[i];
      assert.deepEqual([r.side, r.format, r.variant], [f.side, f.format, f.variant], `table ${f.name}`);
      assert.deepEqual(r.checks.map(([n, p]) => [n, p]), f.checks.map((x) => [x.name, x.passed]), `checks of ${f.name}`);
      for (const [k, x] of f.checks.entries()) {
        const shown = r.checks[k][2];
        assert.ok(shown.startsWith(x.passed ? '✓' : '✗'), shown);
        if (!x.passed) assert.ok(shown.includes(x.expected) && shown.includes(x.found), `expected vs found: ${shown}`);
      }
    });
    assert.ok(rows.some((r) => r.checks.some(([, p]) => !p)), 'the disagreeing summary shows a failed check');
    assert.deepEqual(rows.map((r) => r.format), ['generic_csv', 'wechat_trade', 'alipay_trade', 'alipay_summary', 'unionpay_zm']);
    // Every bill's table offers the override, the zip's two tables both for the zip.
    const sources = await page.$$eval('#files tbody tr[data-side="channel"] select', (s) => s.map((x) => x.dataset.source));
    assert.deepEqual(sources, ['1', '2', '2', '3']);
    // The UnionPay ZM file is fixed width: no header line ("—", not "0"); the others show theirs.
    const headerLines = await page.$$eval('#files tbody tr [data-field="header_line"]', (c) => c.map((x) => x.textContent));
    assert.deepEqual(headerLines, report.files.map((f) => (f.header_line ? String(f.header_line) : '—')));
    assert.equal(headerLines[4], '—');
    // The narrow read-as select tells its full choice as its title.
    const titles = await page.$$eval('#files tbody tr[data-side="channel"] select',
      (/** @type {HTMLSelectElement[]} */ s) => s.map((x) => [x.title, x.selectedOptions[0].textContent]));
    titles.forEach(([title, option], i) => {
      assert.equal(title, option);
      assert.equal(title, `自动检测 auto (${report.files[i + 1].format})`);
    });
  });

  await t.test('dropping the whole day at once: every file goes to its input by content, not by name', async () => {
    // The names mislead on purpose where real names do: "statement" and "流水" read as a channel bill
    // by name, "ledger" as the order export; the WeChat bill and the payouts carry no telling name.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-drop-'));
    try {
      const copy = (/** @type {string} */ from, /** @type {string} */ name) => {
        const to = path.join(dir, name);
        fs.copyFileSync(abs(from), to);
        return to;
      };
      const c = { internal: abs(SAMPLE.internal), channel: copy('tests/fixtures/wechat/trade_all_bom_crlf.csv', 'day.csv'),
        bank: copy('tests/fixtures/bank/statement_corporate.csv', '对公账户流水_statement.csv'),
        payouts: copy('tests/fixtures/bank/payouts.csv', '20260325.csv'),
        bookBalance: copy('tests/fixtures/bank/ledger.csv', 'ledger_0325.csv'), profile: FUND_SAMPLE.profile };
      const report = nativeReport(c);
      await page.setInputFiles('#file-internal', []);
      await page.setInputFiles('#file-channel', []);
      await page.click('#fund-clear');
      await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = false; });
      await page.setInputFiles('#profile', abs(c.profile));
      await dropFiles([c.bank, c.payouts, c.internal, c.channel, c.bookBalance]);
      assert.deepEqual(await inputFiles('internal'), ['orders.csv']);
      assert.deepEqual(await inputFiles('channel'), ['day.csv']);
      assert.deepEqual(await inputFiles('bank'), ['对公账户流水_statement.csv']);
      assert.deepEqual(await inputFiles('payouts'), ['20260325.csv']);
      assert.deepEqual(await inputFiles('sub_ledger'), ['ledger_0325.csv']);
      assert.deepEqual(await inputFiles('carry'), []);
      assert.equal(await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => d.open), true, 'the fund-flow inputs are shown');
      // What went where, and what decided: content for every file but the order export (a plain table).
      const routes = await page.$$eval('#guess [data-route]', (s) => s.map((x) => [x.querySelector('strong')?.textContent,
        x.dataset.route, x.dataset.by]));
      assert.deepEqual(routes, [['orders.csv', 'internal', 'name'], ['对公账户流水_statement.csv', 'bank', 'content'],
        ['20260325.csv', 'payouts', 'content'], ['day.csv', 'channel', 'content'], ['ledger_0325.csv', 'sub_ledger', 'content']]);
      assert.match(await textOf('#guess'), /对公账户流水_statement\.csv → 银行流水 bank statement \(按内容 by content\)/);
      // And the run from the routed files is the CLI's run with every side given explicitly.
      await page.click('#run');
      await waitForFund();
      await page.waitForSelector('#exceptions[data-state="loaded"]');
      await assertCardsMatch(report, 'dropped day');
      await assertFundMatches(report, 'dropped day');
      // A spreadsheet is not converted to be detected (that would fetch the spreadsheet module, see
      // the next test): its name decides, here for the bank statements.
      await dropFiles(['tests/fixtures/sheets/statement.xlsx']);
      assert.deepEqual(await inputFiles('bank'), ['statement.xlsx']);
      assert.deepEqual(await page.$$eval('#guess [data-route]', (s) => s.map((x) => [x.dataset.route, x.dataset.by])),
        [['bank', 'name']]);
      // Yesterday's state file, under a name that says nothing: its content makes it the carry state.
      const state = path.join(dir, 'yesterday.txt');
      assert.equal(runCli({ ...FUND_SAMPLE, carryOut: state }).status, 0);
      await dropFiles([state]);
      assert.deepEqual(await inputFiles('carry'), ['yesterday.txt']);
      assert.deepEqual(await page.$$eval('#guess [data-route]', (s) => s.map((x) => [x.dataset.route, x.dataset.by])),
        [['carry', 'content']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await page.click('#fund-clear');
    await page.click('#profile-clear');
  });

  /** What the guess line says of each file: [name, side, by] for routed files, [name, 'unused', why] for the others. */
  const guessRoutes = () => page.$$eval('#guess [data-route], #guess [data-unused]', (s) => s.map((x) => [
    x.querySelector('strong')?.textContent, x.dataset.route ?? 'unused', x.dataset.by ?? x.dataset.why]));
  const clearInputs = async () => {
    await page.setInputFiles('#file-internal', []);
    await page.setInputFiles('#file-channel', []);
    await page.$eval('#fund-inputs-box', (/** @type {HTMLDetailsElement} */ d) => { d.open = true; });
    await page.click('#fund-clear');
  };

  await t.test('a dropped file that is no table goes nowhere and is listed as not used', async () => {
    await clearInputs();
    await dropFiles(['tests/fixtures/malformed/prose_not_a_table.txt', SAMPLE.internal,
      { path: 'tests/fixtures/malformed/binary_junk.csv', name: 'bill_0324.csv' }, SAMPLE.channel]);
    assert.deepEqual(await inputFiles('internal'), ['orders.csv']);
    assert.deepEqual(await inputFiles('channel'), ['channel.csv']);
    for (const side of ['bank', 'payouts', 'sub_ledger', 'carry']) assert.deepEqual(await inputFiles(side), [], side);
    const routes = await guessRoutes();
    assert.deepEqual(routes.filter(([, side]) => side === 'unused'),
      [['prose_not_a_table.txt', 'unused', 'no_header'], ['bill_0324.csv', 'unused', 'not_text']]);
    assert.match(await textOf('#guess'), /prose_not_a_table\.txt 未使用/);
    assert.match(await textOf('#guess'), /not used/);
    // The run goes ahead with the files that are inputs: no unknown_format from the prose.
    await page.click('#run');
    await waitForResult();
    assert.equal(await page.isHidden('#error'), true);
    await assertCardsMatch(nativeReport(SAMPLE), 'drop with a file that is no table');
  });

  await t.test('three plain tables with neutral names: one is the order export, the others bills, and Swap is offered', async () => {
    await clearInputs();
    await dropFiles([{ path: SAMPLE.internal, name: 'a.csv' }, { path: SAMPLE.channel, name: 'b.csv' },
      { path: SAMPLE.channel, name: 'c.csv' }]);
    assert.deepEqual(await inputFiles('internal'), ['a.csv']);
    assert.deepEqual(await inputFiles('channel'), ['b.csv', 'c.csv']);
    assert.deepEqual(await guessRoutes(), [['a.csv', 'internal', 'order'], ['b.csv', 'channel', 'order'], ['c.csv', 'channel', 'order']]);
    assert.match(await textOf('#guess'), /a\.csv → 内部订单 internal \(按拖入顺序 by drop order\)/);
    assert.match(await textOf('#guess'), /不对就点“交换” wrong\? press Swap/);
    assert.equal(await page.isDisabled('#run'), false, 'orders and bills: the run can start');
    assert.equal(await page.isDisabled('#swap'), false);
    await page.click('#swap');
    assert.deepEqual(await inputFiles('internal'), ['b.csv']);
    assert.deepEqual(await inputFiles('channel'), ['a.csv', 'c.csv']);
    // A name that says orders decides, wherever that file is in the drop.
    await clearInputs();
    await dropFiles([{ path: SAMPLE.channel, name: 'x.csv' }, { path: SAMPLE.channel, name: 'y.csv' },
      { path: SAMPLE.internal, name: 'day_orders.csv' }]);
    assert.deepEqual(await inputFiles('internal'), ['day_orders.csv']);
    assert.deepEqual(await inputFiles('channel'), ['x.csv', 'y.csv']);
    assert.deepEqual((await guessRoutes())[0], ['day_orders.csv', 'internal', 'name']);
    await page.click('#run');
    await waitForResult();
    await assertCardsMatch(nativeReport({ internal: SAMPLE.internal, channel: [SAMPLE.channel, SAMPLE.channel] }), 'three dropped tables');
  });

  await t.test('keyboard: Enter on the drop zone opens a picker of several files, routed by content like a drop', async () => {
    await clearInputs();
    const drops = Number((await page.getAttribute('body', 'data-drops')) ?? 0);
    // Which picker the key opens, recorded in the page (waiting for Playwright's filechooser event
    // races with its interception being switched on); the click itself is kept from opening a dialog.
    await page.evaluate(() => {
      const win = /** @type {Window & {recordPicker?: (e: Event) => void}} */ (window); // kept for the removal below
      win.recordPicker = (e) => {
        const input = /** @type {HTMLInputElement} */ (e.target); // listened to on file inputs only
        document.body.dataset.opened = `${input.id}${input.multiple ? ' multiple' : ''}`;
        e.preventDefault();
      };
      for (const input of document.querySelectorAll('input[type="file"]')) input.addEventListener('click', win.recordPicker);
    });
    await page.focus('#dropzone');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('body', 'data-opened'), 'file-drop multiple');
    await page.evaluate(() => {
      const { recordPicker } = /** @type {Window & {recordPicker?: (e: Event) => void}} */ (window);
      for (const input of document.querySelectorAll('input[type="file"]')) if (recordPicker) input.removeEventListener('click', recordPicker);
      delete document.body.dataset.opened;
    });
    // Names that mislead: content decides, as for a drop.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-pick-'));
    try {
      const copy = (/** @type {string} */ from, /** @type {string} */ name) => {
        const to = path.join(dir, name);
        fs.copyFileSync(abs(from), to);
        return to;
      };
      await page.setInputFiles('#file-drop', [copy('tests/fixtures/bank/statement_corporate.csv', 'orders_statement.csv'),
        copy('tests/fixtures/wechat/trade_all_bom_crlf.csv', 'day.csv'), abs(SAMPLE.internal)]);
      await page.waitForSelector(`body[data-drops="${drops + 1}"]`);
      assert.deepEqual(await inputFiles('internal'), ['orders.csv']);
      assert.deepEqual(await inputFiles('channel'), ['day.csv']);
      assert.deepEqual(await inputFiles('bank'), ['orders_statement.csv']);
      assert.deepEqual(await guessRoutes(), [['orders.csv', 'internal', 'name'], ['orders_statement.csv', 'bank', 'content'],
        ['day.csv', 'channel', 'content']]);
      // Again, other files: the picker was emptied, the same routing.
      await clearInputs();
      await page.setInputFiles('#file-drop', [copy('tests/fixtures/bank/payouts.csv', 'bill.csv'), abs(SAMPLE.channel)]);
      await page.waitForSelector(`body[data-drops="${drops + 2}"]`);
      assert.deepEqual(await inputFiles('payouts'), ['bill.csv']);
      assert.deepEqual(await guessRoutes(), [['channel.csv', 'channel', 'name'], ['bill.csv', 'payouts', 'content']]);
      assert.equal(await page.$eval('#file-drop', (/** @type {HTMLInputElement} */ i) => i.files?.length), 0, 'the picker is emptied, so picking again routes again');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await clearInputs();
  });

  await t.test('no request after files were picked; none left 127.0.0.1', () => {
    assert.ok(picked >= 0);
    const late = requests.slice(picked).filter((r) => isNetwork(r.url)).map((r) => r.url);
    // CSV-only flows, fund flow included: nothing at all is requested once files are picked.
    assert.deepEqual(late, [], 'requests after files were picked');
    const away = requests.filter((r) => isNetwork(r.url) && new URL(r.url).origin !== origin).map((r) => r.url);
    assert.deepEqual(away, [], 'requests that left 127.0.0.1');
  });

  await t.test('an XLSX bill: converted by the sheets module, fetched on demand and only then', async () => {
    // The expected numbers: the CLI on the same sheet converted to CSV by the same sheets module.
    const sheetsJs = path.join(ROOT, 'www', 'sheets', 'duizhang_sheets.js');
    const sheets = await import(pathToFileURL(sheetsJs).href);
    sheets.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'sheets', 'duizhang_sheets_bg.wasm')) });
    const xlsx = 'tests/fixtures/sheets/channel.xlsx';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-xlsx-'));
    let report;
    try {
      const csv = path.join(dir, 'channel.csv');
      fs.writeFileSync(csv, sheets.sheetToCsv(new Uint8Array(fs.readFileSync(abs(xlsx)))));
      report = nativeReport({ internal: SAMPLE.internal, channel: csv });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(report.summary.counts.matched > 0, 'the sheet matches some orders');
    const before = requests.length;
    await page.setInputFiles('#file-internal', abs(SAMPLE.internal));
    await page.setInputFiles('#file-channel', abs(xlsx));
    await page.click('#run');
    await waitForResult();
    await assertCardsMatch(report, 'XLSX bill');
    assert.equal(await page.textContent('#files tbody tr[data-side="channel"] td'), 'channel.xlsx', 'the file keeps its name');
    assert.match(await textOf('#converted'), /channel\.xlsx/);
    const late = requests.slice(before).filter((r) => isNetwork(r.url)).map((r) => r.url);
    assert.deepEqual(late, [`${origin}/sheets/duizhang_sheets.js`, `${origin}/sheets/duizhang_sheets_bg.wasm`],
      'the only requests after picking a spreadsheet');
    // Once loaded, a second spreadsheet run requests nothing.
    const again = requests.length;
    await page.click('#run');
    await waitForResult();
    assert.deepEqual(requests.slice(again).filter((r) => isNetwork(r.url)).map((r) => r.url), []);
  });

  await t.test('an XLSX bank statement: converted too, with a sub-ledger file as the book', async () => {
    const sheets = await import(pathToFileURL(path.join(ROOT, 'www', 'sheets', 'duizhang_sheets.js')).href);
    const xlsx = 'tests/fixtures/sheets/statement.xlsx';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-xlsx-'));
    let report;
    try {
      // Converted CSV under the spreadsheet's own name, as the worker reads it.
      const csv = path.join(dir, 'statement.xlsx');
      fs.writeFileSync(csv, sheets.sheetToCsv(new Uint8Array(fs.readFileSync(abs(xlsx)))));
      report = nativeReport({ ...FUND_SAMPLE, bank: csv });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const before = requests.length;
    await page.setInputFiles('#file-internal', []);
    await page.setInputFiles('#file-channel', abs(FUND_SAMPLE.channel));
    await page.setInputFiles('#file-bank', abs(xlsx));
    await page.setInputFiles('#file-payouts', abs(FUND_SAMPLE.payouts));
    await page.setInputFiles('#file-sub_ledger', abs(FUND_SAMPLE.bookBalance));
    await page.setInputFiles('#profile', abs(FUND_SAMPLE.profile));
    await page.fill('#date', FUND_SAMPLE.date);
    await page.click('#run');
    await waitForFund();
    await assertFundMatches(report, 'XLSX statement');
    assert.match(await textOf('#converted'), /statement\.xlsx/);
    assert.equal(await page.textContent('#statement [data-field="book_source"]'), '(ledger.csv)');
    // The sheets module is already loaded in this worker: nothing more is requested.
    assert.deepEqual(requests.slice(before).filter((r) => isNetwork(r.url)).map((r) => r.url), []);
    await page.click('#fund-clear');
    await page.fill('#date', '');
    await page.click('#profile-clear');
  });

  await t.test('cancel returns to idle at once and the sample runs again, with no request', async () => {
    const before = requests.length;
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the cancel flag needs isolation');
    // Start a run and cancel it in the same task.
    const ms = await page.evaluate(() => {
      document.getElementById('sample')?.click();
      if (document.body.dataset.status !== 'running') throw new Error('the run did not start');
      const t0 = performance.now();
      document.getElementById('cancel')?.click();
      if (document.body.dataset.status === 'running') throw new Error('still running after cancel');
      return performance.now() - t0;
    });
    assert.ok(ms < 200, `cancel took ${ms} ms`);
    await page.waitForSelector('body[data-status="ready"]');
    assert.equal(await page.isDisabled('#cancel'), true);
    assert.equal(await page.isHidden('#results'), true);
    await page.click('#sample');
    await waitForResult();
    await assertCardsMatch(report, 'sample after cancel');
    // The worker stays loaded through a cancel: nothing at all is requested.
    assert.deepEqual(requests.slice(before).filter((r) => isNetwork(r.url)).map((r) => r.url), []);
  });

  await t.test('a cancel in the middle of a large run stops the busy worker', async () => {
    const before = requests.length;
    // About 25 MB of orders and bill: long enough that the worker is inside the engine when cancelled.
    const rows = 180000;
    const orders = ['order_no,amount,status,created_at'];
    const bill = ['trade_no,order_no,amount,trade_type,trade_time'];
    for (let i = 0; i < rows; i += 1) {
      const amount = `${(i % 9000) + 1}.${String(i % 100).padStart(2, '0')}`;
      orders.push(`O${String(i).padStart(12, '0')},${amount},SUCCESS,2024-03-15 10:00:00`);
      bill.push(`T${String(i).padStart(16, '0')},O${String(i).padStart(12, '0')},${amount},SUCCESS,2024-03-15 10:00:05`);
    }
    await page.setInputFiles('#file-internal', { name: 'big_orders.csv', mimeType: 'text/csv', buffer: Buffer.from(orders.join('\n')) });
    await page.setInputFiles('#file-channel', { name: 'big_bill.csv', mimeType: 'text/csv', buffer: Buffer.from(bill.join('\n')) });
    const runId = await page.evaluate(() => Number(document.body.dataset.cancelled ?? 0));
    // Cancel the moment the engine first reports progress from inside a file, from within the page:
    // a click sent from here arrives one round trip later, and on a loaded machine the worker may
    // have finished the whole run by then, which would leave nothing to cancel.
    await page.evaluate(() => {
      const bar = document.getElementById('progress');
      if (!(bar instanceof HTMLProgressElement)) throw new Error('the page has no progress bar');
      const observer = new MutationObserver(() => {
        if (bar.value > 0 && document.body.dataset.status === 'running') {
          observer.disconnect();
          document.getElementById('cancel')?.click();
        }
      });
      observer.observe(bar, { attributes: true });
    });
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset.status === 'ready');
    // The worker acknowledges with a 'cancelled' error for that run, instead of finishing it.
    await page.waitForFunction((old) => Number(document.body.dataset.cancelled ?? 0) > old, runId);
    assert.equal(await page.isHidden('#results'), true);
    await page.click('#sample');
    await waitForResult();
    await assertCardsMatch(report, 'sample after a mid-run cancel');
    assert.deepEqual(requests.slice(before).filter((r) => isNetwork(r.url)).map((r) => r.url), []);
  });

  await t.test('no page errors, no CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});
