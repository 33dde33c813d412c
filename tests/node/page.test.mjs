// The page in headless Chromium: it shows what the engine computes (cards = native CLI report), pages
// and filters exceptions, downloads the CSV, reports errors, cancels, and makes no request at all once
// files are picked — and never one that leaves 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, SAMPLE, abs, parseCsv, requireBuilt, runCli } from './helpers.mjs';

const OUTCOMES = ['matched', 'matched_within_tolerance', 'amount_mismatch', 'status_mismatch',
  'internal_only', 'external_only', 'duplicate', 'pending'];
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let serverProc;
let origin;
let userDataDir;
let context;
let page;
const requests = []; // every request of the context, pages and workers alike: {url, at}
const problems = []; // page errors and console errors (CSP violations show up here)

before(async () => {
  requireBuilt();
  // The real script, as a user starts it: its first stdout line carries the URL.
  serverProc = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--port', '0'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: serverProc.stdout });
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
const isNetwork = (url) => !url.startsWith('data:') && !url.startsWith('blob:');

function nativeReport(c) {
  const r = runCli(c);
  assert.equal(r.status, 0, `CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8'));
}

async function readCards() {
  return page.$$eval('#cards [data-outcome]', (cards) => Object.fromEntries(cards.map((c) => [
    c.dataset.outcome,
    { count: c.querySelector('[data-field="count"]').textContent, amount: c.querySelector('[data-field="amount"]').textContent },
  ])));
}

async function readTotals() {
  return page.$$eval('#totals [data-total]', (cards) => Object.fromEntries(cards.map((c) => [
    c.dataset.total, c.querySelector('[data-field="value"]').textContent])));
}

/** The cards show exactly the engine's strings: counts and amounts of the native report. */
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
  assert.equal(totals.cross_day, String(report.summary.cross_day), `${what}: cross_day`);
}

async function waitForResult() {
  await page.waitForSelector('body[data-result="ok"][data-status="ready"]');
  await page.waitForSelector('#exceptions[data-state="loaded"]');
  await page.waitForSelector('#issues[data-state="loaded"]');
}

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
    assert.notEqual((await page.textContent('#version')).trim(), '…');
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

  await t.test('dropping two files guesses the sides; Swap swaps them', async () => {
    // Dropped in the "wrong" order: the names decide (orders → internal, channel → channel).
    const files = [SAMPLE.channel, SAMPLE.internal].map((p) => ({
      name: path.basename(p), b64: fs.readFileSync(abs(p)).toString('base64'),
    }));
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
      return dt;
    }, files);
    await page.dispatchEvent('#dropzone', 'drop', { dataTransfer });
    const slotName = (side) => page.textContent(`.slot[data-side="${side}"] [data-field="name"] strong`);
    assert.equal(await slotName('internal'), 'orders.csv');
    assert.equal(await slotName('channel'), 'channel.csv');
    assert.match(await page.textContent('#guess'), /orders\.csv → 内部订单/);
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
        .textContent.startsWith(`${o + 1}–`), offset);
      const rows = await page.$$eval('#exceptions tbody tr[data-outcome]', (rs) => rs.map((r) => [r.dataset.outcome, r.cells[1].textContent]));
      assert.equal(rows.length, Math.min(50, internalOnly - offset));
      for (const [o, key] of rows) {
        assert.equal(o, 'internal_only');
        seen.add(key);
      }
    }
    assert.equal(seen.size, internalOnly, 'every exception shown exactly once across pages');
    assert.equal(await page.isDisabled(`${pager} [data-page="next"]`), true);
    await page.click(`${pager} [data-page="prev"]`);
    await page.waitForFunction(() => document.querySelector('[data-pager="exceptions"] [data-field="range"]').textContent.startsWith('51–'));
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
    assert.equal((await page.textContent('#error [data-field="code"]')).trim(), bad.r.code);
    assert.equal(await page.isHidden('#results'), true);
  });

  await t.test('no request after files were picked; none left 127.0.0.1', () => {
    assert.ok(picked >= 0);
    const late = requests.slice(picked).filter((r) => isNetwork(r.url)).map((r) => r.url);
    assert.deepEqual(late, [], 'requests after files were picked');
    const away = requests.filter((r) => isNetwork(r.url) && new URL(r.url).origin !== origin).map((r) => r.url);
    assert.deepEqual(away, [], 'requests that left 127.0.0.1');
  });

  await t.test('cancel returns to idle at once and the sample runs again, with no request', async () => {
    const before = requests.length;
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'the cancel flag needs isolation');
    // Start a run and cancel it in the same task.
    const ms = await page.evaluate(() => {
      document.querySelector('#sample').click();
      if (document.body.dataset.status !== 'running') throw new Error('the run did not start');
      const t0 = performance.now();
      document.querySelector('#cancel').click();
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
    await page.click('#run');
    // Cancel once the engine has reported progress from inside a file.
    await page.waitForFunction(() => document.querySelector('#progress').value > 0);
    await page.click('#cancel');
    assert.equal(await page.getAttribute('body', 'data-status'), 'ready');
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
