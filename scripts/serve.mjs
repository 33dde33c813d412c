#!/usr/bin/env node
// A dependency-free static server for the page: serves www/ on 127.0.0.1 only, with the page's
// security headers on every response. No directory listing, no path escapes, GET and HEAD only.
//
//   node scripts/serve.mjs [--port N]     (or PORT=N; default 8080; 0 picks a free port)
//
// The first line on stdout is `serving http://127.0.0.1:PORT/`. Tests import startServer().
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_ROOT = path.resolve(HERE, '..', 'www');

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Cross-origin isolation: lets the page share a cancel flag (SharedArrayBuffer) with its worker.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
});

/** @type {Record<string, string>} */
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The Content-Type for a file name (`.d.ts` is TypeScript, not MPEG transport stream). @param {string} file */
export function mimeType(file) {
  if (file.endsWith('.d.ts') || file.endsWith('.ts')) return 'application/typescript; charset=utf-8';
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** @param {http.ServerResponse} res @param {number} status @param {http.OutgoingHttpHeaders} headers @param {string} body */
function send(res, status, headers, body) {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(body);
}

/** @param {http.ServerResponse} res @param {number} status @param {string} text */
function plain(res, status, text) {
  send(res, status, { 'Content-Type': 'text/plain; charset=utf-8' }, `${text}\n`);
}

/**
 * Maps a request path to a regular file inside root, or null. Symlinks must stay inside too.
 * @param {string} root @param {string} urlPath
 * @returns {Promise<{redirect: string} | {file: string, size: number} | null>}
 */
async function resolveFile(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  // Refuse any `..` segment outright rather than normalising it away.
  if (rel.split('/').some((seg) => seg === '..')) return null;
  let file = path.join(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    let st = await fs.promises.stat(file);
    if (st.isDirectory()) {
      if (!urlPath.endsWith('/')) return { redirect: `${urlPath}/` };
      file = path.join(file, 'index.html');
      st = await fs.promises.stat(file);
    }
    if (!st.isFile()) return null;
    const real = await fs.promises.realpath(file);
    if (!real.startsWith(root + path.sep)) return null;
    return { file: real, size: st.size };
  } catch {
    return null;
  }
}

/**
 * Starts the server. Resolves to { server, port, url, close() } once it listens.
 * @param {{port?: number, root?: string, host?: string}} [opts]
 */
export async function startServer({ port = 8080, root = DEFAULT_ROOT, host = '127.0.0.1' } = {}) {
  const base = await fs.promises.realpath(path.resolve(root));
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
      return;
    }
    let pathname;
    try {
      pathname = new URL(req.url ?? '', 'http://127.0.0.1').pathname;
    } catch {
      plain(res, 400, 'bad request');
      return;
    }
    const found = await resolveFile(base, pathname);
    if (!found) {
      plain(res, 404, 'not found');
      return;
    }
    if ('redirect' in found) {
      send(res, 301, { Location: found.redirect, 'Content-Type': 'text/plain; charset=utf-8' }, '');
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeType(found.file), 'Content-Length': found.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fs.createReadStream(found.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
  await /** @type {Promise<void>} */ (new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }));
  // Listening on a host and port, the address is an AddressInfo (a string only for a pipe).
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const url = `http://${host}:${actual}/`;
  return {
    server,
    port: actual,
    url,
    close: () =>
      /** @type {Promise<void>} */ (new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      })),
  };
}

/** @param {string[]} argv @param {NodeJS.ProcessEnv} env */
function parsePort(argv, env) {
  let value = env.PORT ?? '8080';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') value = argv[++i];
    else if (a.startsWith('--port=')) value = a.slice('--port='.length);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/serve.mjs [--port N]   (or PORT=N; default 8080; 0 = any free port)');
      process.exit(0);
    } else {
      console.error(`serve: unknown argument ${a}`);
      process.exit(2);
    }
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: bad port ${value}`);
    process.exit(2);
  }
  return port;
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const port = parsePort(process.argv.slice(2), process.env);
  const { url, close } = await startServer({ port });
  console.log(`serving ${url}`);
  if (!fs.existsSync(path.join(DEFAULT_ROOT, 'pkg', 'duizhang.js'))) {
    console.error('serve: warning: www/pkg/ is missing; build it with `make wasm` or scripts/build-wasm.sh');
  }
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
