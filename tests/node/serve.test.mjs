// scripts/serve.mjs: serves www/ only, with the page's security headers on every response.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CSP, startServer } from '../../scripts/serve.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let srv;
/** @type {string} */
let root;
/** @type {string} */
let outside;

before(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duizhang-serve-'));
  root = path.join(tmp, 'www');
  fs.mkdirSync(path.join(root, 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  for (const f of ['app.js', 'pkg/x.wasm', 'pkg/x.d.ts', 'a.mjs', 'a.css', 'a.json', 'a.svg']) {
    fs.writeFileSync(path.join(root, f), 'x');
  }
  outside = path.join(tmp, 'secret.txt');
  fs.writeFileSync(outside, 'secret');
  fs.symlinkSync(outside, path.join(root, 'link.txt'));
  srv = await startServer({ port: 0, root });
});

after(async () => {
  await srv?.close();
  fs.rmSync(path.dirname(root), { recursive: true, force: true });
});

/**
 * A raw GET, so the path reaches the server exactly as written (no URL normalisation).
 * @param {string} rawPath @param {string} [method]
 * @returns {Promise<{status: number | undefined, headers: http.IncomingHttpHeaders, body: string}>}
 */
function get(rawPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('binds 127.0.0.1 and reports the port it picked', () => {
  assert.equal(/** @type {import('node:net').AddressInfo} */ (srv.server.address()).address, '127.0.0.1');
  assert.ok(srv.port > 0);
  assert.equal(srv.url, `http://127.0.0.1:${srv.port}/`);
});

test('MIME types', async () => {
  const want = {
    '/': 'text/html',
    '/index.html': 'text/html',
    '/app.js': 'text/javascript',
    '/a.mjs': 'text/javascript',
    '/a.css': 'text/css',
    '/a.json': 'application/json',
    '/a.svg': 'image/svg+xml',
    '/pkg/x.wasm': 'application/wasm',
    '/pkg/x.d.ts': 'application/typescript',
  };
  for (const [p, type] of Object.entries(want)) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type']?.split(';')[0], type, p);
  }
});

test('security headers on every response, errors included', async () => {
  for (const p of ['/', '/app.js', '/nope', '/pkg/', '/../secret.txt']) {
    const r = await get(p);
    assert.equal(r.headers['content-security-policy'], CSP, p);
    assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.match(CSP, /frame-ancestors 'none'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
    assert.equal(r.headers['referrer-policy'], 'no-referrer', p);
    assert.equal(r.headers['cache-control'], 'no-store', p);
  }
});

test('no escapes from www/, no directory listing, GET and HEAD only', async () => {
  for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/pkg/..%2F..%2Fsecret.txt', '/%2e%2e/secret.txt',
    '/link.txt', '/pkg/', '/%00', '/%E0%A4%A']) {
    const r = await get(p);
    assert.ok(r.status === 404 || r.status === 400, `${p} -> ${r.status}`);
    assert.doesNotMatch(r.body, /secret|x\.wasm/, p);
  }
  assert.equal((await get('/pkg')).status, 301);
  assert.equal((await get('/app.js', 'HEAD')).status, 200);
  assert.equal((await get('/app.js', 'POST')).status, 405);
});
