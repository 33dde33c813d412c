#!/usr/bin/env node
// Repo-local browser benchmark: the page's worker and Wasm module in headless Chromium, on data from
// the seeded generator. Usage: node bench/browser.mjs [--rows 100000,1000000] [--runs 3]
// Prints one line per size: median seconds, rows/s, MB/s, peak renderer memory, the largest gap
// between progress messages, the largest main-thread stall, and how long Cancel took.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values: opt } = parseArgs({ options: { rows: { type: 'string', default: '100000,1000000' },
  runs: { type: 'string', default: '3' } } });
const sizes = opt.rows.split(',').map(Number);
const runs = Number(opt.runs);

function dataFor(rows) {
  const dir = path.join(ROOT, 'bench', 'data', `rows-${rows}`);
  if (!fs.existsSync(path.join(dir, 'truth.json'))) {
    execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'generate', '--', '--rows', String(rows),
      '--out', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return { dir, truth: JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) };
}

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript',
  '.wasm': 'application/wasm', '.csv': 'text/csv', '.json': 'application/json' };
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://h').pathname);
  const file = path.join(ROOT, url);
  const allowed = ['/bench/web/', '/bench/data/', '/www/'].some((p) => url.startsWith(p));
  if (!allowed || !file.startsWith(ROOT) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-bench-'));
const renderers = () => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
    return cmd.includes('--type=renderer') && cmd.includes(userDataDir);
  } catch { return false; }
});
const resetPeaks = () => renderers().forEach((p) => { try { fs.writeFileSync(`/proc/${p}/clear_refs`, '5'); } catch {} });
const peakMb = () => Math.max(0, ...renderers().map((p) => {
  try { return +/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))[1] / 1024; } catch { return 0; }
}));

const ctx = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Chromium ${ctx.browser()?.version() ?? ''}, ${os.cpus().length} cores, ${new Date().toISOString()}`);
console.log('| rows (orders) | input MB | median s | runs s | rows/s | MB/s | peak MB | max progress gap ms | max main-thread stall ms | cancel ms | check |');
console.log('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|');
let failed = false;
try {
  for (const rows of sizes) {
    const { dir, truth } = dataFor(rows);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.error(`pageerror: ${e}`));
    await page.goto(`${origin}/bench/web/index.html`);
    await page.waitForFunction(() => window.bench);
    const rel = path.relative(ROOT, dir);
    const bytes = await page.evaluate(([a, b]) => window.bench.load(a, b), [`/${rel}/internal.csv`, `/${rel}/channel.csv`]);
    const results = [];
    for (let i = 0; i < runs; i += 1) {
      resetPeaks();
      const r = await page.evaluate(() => window.bench.runOnce());
      r.peak = peakMb();
      results.push(r);
    }
    const c = results[0].counts;
    const ok = c.matched === truth.counts.matched && c.amount_mismatch === truth.counts.amount_mismatch
      && c.status_mismatch === truth.counts.status_mismatch && c.internal_only === truth.counts.internal_only
      && c.external_only === truth.counts.external_only && c.duplicate === truth.counts.duplicate
      && results[0].cross_day === truth.cross_day;
    failed ||= !ok;
    const s = median(results.map((r) => r.seconds));
    const totalRows = truth.rows + c.matched + c.amount_mismatch + c.status_mismatch + c.external_only + c.duplicate;
    console.log(`| ${rows.toLocaleString('en')} | ${(bytes / 1e6).toFixed(1)} | ${s.toFixed(3)} | ${results.map((r) => r.seconds.toFixed(2)).join(' ')} | `
      + `${Math.round(totalRows / s).toLocaleString('en')} | ${(bytes / 1e6 / s).toFixed(1)} | ${Math.round(Math.max(...results.map((r) => r.peak)))} | `
      + `${Math.round(Math.max(...results.map((r) => r.progressGapMs)))} | ${Math.round(Math.max(...results.map((r) => r.mainStallMs)))} | `
      + `${Math.max(...results.map((r) => r.cancelMs)).toFixed(1)} | ${ok ? 'ok' : 'MISMATCH'} |`);
    await page.close();
  }
} finally {
  await ctx.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
