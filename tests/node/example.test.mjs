// The README's runnable JS example keeps working.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

test('examples/reconcile.mjs reconciles the sample day and writes the CSV', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-example-'));
  try {
    const out = execFileSync('node', [path.join(ROOT, 'examples/reconcile.mjs'),
      path.join(ROOT, 'tests/fixtures/sample/orders.csv'), path.join(ROOT, 'tests/fixtures/sample/channel.csv'),
      path.join(ROOT, 'tests/fixtures/sample/profile.json')], { cwd, encoding: 'utf8' });
    assert.match(out, /^date 2026-03-24 \(inferred\)$/m);
    assert.match(out, /^amount_mismatch\s+2\s+388\.00$/m);
    assert.match(out, /^S202603240006: d = -8\.00 短款/m);
    const csv = fs.readFileSync(path.join(cwd, 'exceptions.csv'));
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
