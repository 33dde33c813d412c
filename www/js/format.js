// How values are written on the page. Pure: no DOM.
// Money values are the engine's strings and are shown as they are: never converted to Number.

export const dash = '—';

/** A value as text; null, undefined and '' show as —. @param {unknown} v */
export const text = (v) => (v === null || v === undefined || v === '' ? dash : String(v));

/** A header line number; 0 (a fixed-width file such as UnionPay ZM has no header) shows as —. @param {number | null | undefined} v */
export const headerLine = (v) => (v === 0 ? dash : text(v));

/** A money string of the engine, as it is. @param {string | null | undefined} v */
export const money = (v) => text(v);

/** A file size for people. @param {number} n */
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Orders two of the engine's money strings (`-1234.56`) exactly, by sign and digits, never as
 * floating-point numbers.
 * @param {string} a @param {string} b @returns {number}
 */
export function compareMoney(a, b) {
  const negative = (/** @type {string} */ s) => s.startsWith('-');
  if (negative(a) !== negative(b)) return negative(a) ? -1 : 1;
  const digits = (/** @type {string} */ s) => (negative(s) ? s.slice(1) : s).split('.');
  const [ai, af = ''] = digits(a);
  const [bi, bf = ''] = digits(b);
  const width = Math.max(af.length, bf.length);
  const [x, y] = [ai.padStart(bi.length, '0') + af.padEnd(width, '0'), bi.padStart(ai.length, '0') + bf.padEnd(width, '0')];
  if (x === y) return 0;
  const order = x < y ? -1 : 1;
  return negative(a) ? -order : order;
}
