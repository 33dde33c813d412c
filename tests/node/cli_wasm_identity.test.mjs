// The browser module and the native CLI are one engine: for every fixture case the Wasm API's
// reportJson() is byte-identical to `duizhang reconcile` stdout, and every malformed input fails
// (or succeeds) the same way on both, with the same error code, and never crashes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe as suite, test } from 'node:test';
import {
  ROOT, SAMPLE, abs, assertSameBytes, describe, freshModule, requireBuilt, runCli, runWasm,
} from './helpers.mjs';

const CASES = path.join(ROOT, 'tests', 'fixtures', 'cases.json');
const MALFORMED = path.join(ROOT, 'tests', 'fixtures', 'malformed');

before(() => requireBuilt());

suite('CLI and Wasm reports are byte-identical', () => {
  assert.ok(fs.existsSync(CASES), `${CASES} is missing`);
  const cases = JSON.parse(fs.readFileSync(CASES, 'utf8'));
  assert.ok(Array.isArray(cases) && cases.length > 0, 'cases.json must be a non-empty array');

  for (const c of cases) {
    test(c.name, async () => {
      const native = runCli(c);
      assert.equal(native.signal, null, `CLI killed by ${native.signal}`);
      assert.equal(native.status, 0, `CLI failed (exit ${native.status}): ${native.stderr}`);
      const wasm = runWasm(await freshModule(), c);
      assert.ok(!wasm.error, `Wasm failed: ${describe(wasm.error)}`);
      assert.ok(native.stdout.at(-1) === 0x0a && native.stdout.at(-2) !== 0x0a,
        'CLI stdout must end with exactly one newline');
      assertSameBytes(Buffer.from(`${wasm.json}\n`, 'utf8'), native.stdout, c.name);
    });
  }
});

suite('malformed inputs fail the same way natively and in Wasm, without crashing', () => {
  assert.ok(fs.existsSync(MALFORMED), `${MALFORMED} is missing`);
  const files = fs.readdirSync(MALFORMED).filter((f) => fs.statSync(path.join(MALFORMED, f)).isFile()).sort();
  assert.ok(files.length > 0, 'tests/fixtures/malformed/ is empty');

  for (const name of files) {
    test(name, async () => {
      const c = { internal: SAMPLE.internal, channel: path.relative(ROOT, path.join(MALFORMED, name)) };
      const native = runCli(c);
      assert.equal(native.signal, null, `CLI killed by ${native.signal}`);
      assert.ok(native.status === 0 || native.status === 1,
        `CLI crashed (exit ${native.status}; 0 or 1 expected): ${native.stderr}`);
      const wasm = runWasm(await freshModule(), c);
      if (wasm.error !== undefined) {
        const thrown = wasm.error;
        assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `Wasm crashed: ${describe(thrown)}`);
        assert.ok(thrown instanceof Error, `Wasm threw a non-Error: ${describe(thrown)}`);
        const e = /** @type {Error & {code?: unknown}} */ (thrown); // a DuizhangError, as checked next
        assert.equal(typeof e.code, 'string', `Wasm error without a string .code: ${describe(e)}`);
        assert.equal(native.status, 1, `Wasm failed with ${e.code} but the CLI succeeded`);
        assert.ok(native.code, `CLI stderr lacks 'duizhang: <code>:': ${native.stderr}`);
        assert.equal(e.code, native.code, `error codes differ: wasm ${e.code} (${e.message}), native ${native.stderr.trim()}`);
      } else {
        assert.equal(native.status, 0, `CLI failed (${native.stderr.trim()}) but Wasm succeeded`);
        assertSameBytes(Buffer.from(`${wasm.json}\n`, 'utf8'), native.stdout, name);
      }
    });
  }
});

test('差错处理: the same resolutions give the same report and audit log natively and in Wasm', async () => {
  const day = { ...SAMPLE, profile: 'tests/fixtures/sample/profile.json' };
  const plain = runWasm(await freshModule(), day);
  assert.ok(!plain.error, `Wasm failed: ${describe(plain.error)}`);
  /** @type {{id: string, class: string}[]} */
  const exceptions = JSON.parse(plain.json ?? '').exceptions;
  const first = (/** @type {string} */ outcome) => exceptions.find((e) => e.class === outcome)?.id;
  const [external, mismatch, internal] = [first('external_only'), first('amount_mismatch'), first('internal_only')];
  assert.ok(external && mismatch && internal, 'the sample day has each kind of break');
  const at = '2026-03-25 09:00:00';
  const resolutions = [
    { id: external, action: 'create_order', note: '补单 order lost', by: '李', at },
    { id: mismatch, action: 'adjust', by: '李', at },
    { id: internal, action: 'suspend', note: 'asked the channel', by: '李', at },
    { id: internal, action: 'accept', by: '李', at }, // rejected: accept is for timing items
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-resolutions-'));
  try {
    const file = path.join(dir, 'resolutions.json');
    const auditOut = path.join(dir, 'audit.jsonl');
    fs.writeFileSync(file, JSON.stringify(resolutions));
    const native = runCli({ ...day, resolutions: file, auditOut });
    assert.equal(native.status, 0, `CLI failed: ${native.stderr}`);
    const wasm = runWasm(await freshModule(), { ...day, resolutions: file });
    assert.ok(!wasm.error, `Wasm failed: ${describe(wasm.error)}`);
    assertSameBytes(Buffer.from(`${wasm.json}\n`, 'utf8'), native.stdout, 'report with resolutions');
    assertSameBytes(wasm.audit ?? new Uint8Array(), fs.readFileSync(auditOut), 'audit log');
    const report = JSON.parse(native.stdout.toString('utf8'));
    assert.equal(report.handling.log_lines, 3);
    assert.equal(report.handling.rejected, 1);
    assert.deepEqual(report.issues.filter((/** @type {{code: string}} */ i) => i.code === 'resolution_rejected').length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('差错处理 through the Wasm API: resolve, a rejected resolve, unresolve, the audit log and the documents', async () => {
  const mod = await freshModule();
  const rec = new mod.Reconciliation(fs.readFileSync(abs('tests/fixtures/sample/profile.json'), 'utf8'));
  try {
    rec.addFile('internal', 'orders.csv', new Uint8Array(fs.readFileSync(abs(SAMPLE.internal))));
    rec.addFile('channel', 'channel.csv', new Uint8Array(fs.readFileSync(abs(SAMPLE.channel))));
    rec.run(null);
    assert.equal(rec.handling(), null, 'no handling section before a resolution');
    const page = rec.exceptions(0, 50, 'external_only');
    const id = page.rows[0].id;
    assert.match(id, /^tx:[0-9a-f]{16}$/);
    const at = '2026-03-25T09:00:00+08:00';
    const handling = rec.resolve(id, 'create_order', '补单', '李', at);
    assert.equal(handling.resolved.create_order, 1);
    assert.throws(() => rec.resolve(id, 'refund', null, '李', at), /already closed/);
    const after = rec.exceptions(0, 50, 'external_only').rows[0];
    assert.equal(after.state, 'closed');
    assert.equal(after.resolution?.source, 'api');
    assert.deepEqual(rec.resolutions().map((/** @type {{id: string}} */ r) => r.id), [id], 'the rejected one is gone');
    rec.unresolve(id);
    assert.equal(rec.exceptions(0, 50, 'external_only').rows[0].state, 'open');
    rec.resolve(id, 'create_order', '补单', '李', at);
    const orders = new TextDecoder('utf-8', { ignoreBOM: true }).decode(rec.documentCsv('orders'));
    assert.ok(orders.startsWith('\ufeff') && orders.includes(id), orders);
    assert.ok(orders.includes(',1230000110,'), `the order names its merchant: ${orders}`);
    const log = new TextDecoder().decode(rec.auditLog()).trim().split('\n');
    assert.equal(log.length, 1);
    assert.equal(JSON.parse(log[0]).id, id);
    assert.throws(() => rec.unresolve(id), /exported/, 'an exported line cannot be undone');
    const bytes = rec.auditLog();
    assert.equal(mod.verifyAuditLog(bytes), 1);
    const edited = new TextEncoder().encode(new TextDecoder().decode(bytes).replace('"李"', '"王"'));
    assert.throws(() => mod.verifyAuditLog(edited), (/** @type {any} */ e) => e.code === 'invalid_argument' && e.line === 1);
  } finally {
    rec.free();
  }
});

test('the absolute fixture paths exist', () => {
  for (const p of Object.values(SAMPLE)) assert.ok(fs.existsSync(abs(p)), `${p} is missing`);
});
