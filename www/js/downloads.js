// Downloads of what the worker exports: the exceptions CSV, the report JSON, the fund-flow CSV and
// tomorrow's state file. The bytes come from the worker; nothing is requested.
import { h } from './dom.js';
import { state } from './state.js';
import { send } from './worker_client.js';

/**
 * @typedef {import('./protocol.js').ExportFormat} ExportFormat
 * @typedef {import('./protocol.js').ExportReply} ExportReply
 */

/** Asks the worker for an export of the shown result. @param {ExportFormat} format @param {string} [merchant] of a `merchant_csv` */
export function download(format, merchant) {
  if (!state.summary) return;
  send({ type: 'export', format, ...(merchant ? { merchant } : {}) });
}

/** Saves an export the worker answered under the result's date. @param {ExportReply} reply */
export function onExport({ format, bytes }) {
  const date = state.summary?.date ?? state.fund?.as_of ?? 'undated';
  const fundDate = state.fund?.as_of ?? date;
  /** @type {Record<ExportFormat, [name: string, type: string]>} */
  const files = {
    csv: [`duizhang-exceptions-${date}.csv`, 'text/csv;charset=utf-8'],
    json: [`duizhang-report-${date}.json`, 'application/json'],
    fund_csv: [`duizhang-fund-flow-${fundDate}.csv`, 'text/csv;charset=utf-8'],
    carry: [`duizhang-state-${fundDate}.json`, 'application/json'],
    clearing_csv: [`duizhang-clearing-${fundDate}.csv`, 'text/csv;charset=utf-8'],
    merchant_csv: [`duizhang-clearing-${state.clearing_exceptions.merchant || 'merchant'}-${fundDate}.csv`, 'text/csv;charset=utf-8'],
    audit: [`duizhang-audit-${date}.jsonl`, 'application/jsonl'],
    documents: [`duizhang-documents-${date}.json`, 'application/json'],
  };
  const [name, type] = files[format];
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can abort the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
