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
