// The result of a run: the files read (with the per-file override), the outcome cards and totals, and
// the rows of the exceptions and row-issue tables. The fund-flow section is fund_flow.js.
import { $, $$, $as, bi, h } from './dom.js';
import { checksCell, handlingCells, labelTag } from './cells.js';
import { dash, headerLine, text } from './format.js';
import { showClearing } from './clearing.js';
import { showFund } from './fund_flow.js';
import { showHandling } from './handling.js';
import { FORMATS, FUND_OUTCOMES, OUTCOMES, SIDES, TOTALS, standingOf } from './labels.js';
import { requestPage } from './pages.js';
import { forcedFormat, state } from './state.js';
import { body, say, setStatus } from './status.js';

/**
 * @typedef {import('./protocol.js').SummaryReply} SummaryReply
 * @typedef {import('./protocol.js').Format} Format
 * @typedef {import('../pkg/duizhang.js').FileInfo} FileInfo
 * @typedef {import('../pkg/duizhang.js').RowView} RowView
 * @typedef {import('../pkg/duizhang.js').Exception} Exception
 * @typedef {import('../pkg/duizhang.js').RowIssue} RowIssue
 * @typedef {(source: number, format: Format | '') => void} OnForce re-runs with input `source` read as `format` ('' detects)
 */

/** Empties every result table and hides the result. */
export function clearResults() {
  state.summary = null;
  $('#results').hidden = true;
  delete body.dataset.result;
  $('#result-date').textContent = '';
  for (const el of $$('#cards [data-field], #totals [data-field]')) el.textContent = '';
  $('#files tbody').replaceChildren();
  $('#exceptions tbody').replaceChildren();
  $('#issues tbody').replaceChildren();
  $('#exceptions').dataset.state = 'empty';
  $('#issues').dataset.state = 'empty';
  state.fund = null;
  state.clearing = null;
  $('#handling-box').hidden = true;
  $('#fund-results').hidden = true;
  $('#clearing-results').hidden = true;
  $('#clearing tbody').replaceChildren();
  $('#converted').hidden = true;
  for (const id of ['#fund_matches', '#fund_exceptions', '#merchants', '#statements', '#running-breaks', '#fund-inputs']) {
    $(`${id} tbody`).replaceChildren();
  }
  $('#fund_matches').dataset.state = 'empty';
  $('#fund_exceptions').dataset.state = 'empty';
  for (const el of $$('#statement [data-field]')) el.textContent = '';
  delete $('#statement').dataset.outcome;
}

/** The outcome cards, totals and filters, built once from the code lists. */
export function buildCards() {
  $('#cards').replaceChildren(
    ...OUTCOMES.map(([code, zh, en]) =>
      h('div', { class: 'card', 'data-outcome': code },
        h('h4', {}, zh, ' ', h('span', { lang: 'en' }, en)),
        h('p', { class: 'count' }, h('span', { 'data-field': 'count' }), h('small', {}, ' 笔 items')),
        h('p', { class: 'amount' }, h('small', {}, '金额 amount '), h('span', { 'data-field': 'amount' })),
      ),
    ),
  );
  $('#totals').replaceChildren(
    ...TOTALS.map(([key, zh, en]) =>
      h('div', { class: 'card total', 'data-total': key },
        h('h4', {}, zh, ' ', h('span', { lang: 'en' }, en)),
        h('p', { class: 'amount' }, h('span', { 'data-field': 'value' })),
      ),
    ),
  );
  $('#fund-cards').replaceChildren(
    ...FUND_OUTCOMES.map(([code, zh, en]) =>
      h('div', { class: 'card', 'data-fund-outcome': code },
        h('h4', {}, zh, ' ', h('span', { lang: 'en' }, en)),
        h('p', { class: 'count' }, h('span', { 'data-field': 'count' }), h('small', {}, ' 笔 items')),
      ),
    ),
  );
  $('#fund-filter').replaceChildren(
    h('option', { value: '' }, '全部 All'),
    ...FUND_OUTCOMES.filter(([code]) => !code.startsWith('matched') && code !== 'balance_break')
      .map(([code, zh]) => h('option', { value: code }, `${zh} ${code}`)),
  );
  const filter = $('#filter');
  filter.replaceChildren(
    h('option', { value: '' }, '全部 All'),
    // `matched` items are not exceptions, so they are not offered as a filter.
    ...OUTCOMES.filter(([code]) => code !== 'matched').map(([code, zh]) => h('option', { value: code }, `${zh} ${code}`)),
  );
}

/**
 * Shows a run's summary (and its fund flow) and asks for the first pages. `onForce(source, format)`
 * re-runs with input `source` read as `format` (the per-file override; '' for detection).
 * @param {SummaryReply} reply @param {OnForce} onForce
 */
export function onSummary(reply, onForce) {
  const { summary } = reply;
  state.summary = summary;
  setStatus('ready');
  $as('#progress', HTMLProgressElement).value = 1;
  body.dataset.result = 'ok';
  const fund = reply.fund ?? null;
  say('完成', fund
    ? `done: ${fund.match_count} fund-flow matches, ${fund.exception_count} open items, ${summary.issue_count} row issues`
    : `done: ${summary.exception_count} exceptions, ${summary.issue_count} row issues`);

  const { date, date_source: source } = summary;
  /** How the engine chose the date, in both languages. @type {Record<string, string>} */
  const how = {
    input: '指定 given',
    inferred: '推断 inferred',
    statement_end: '流水最后一天 the statements\' last day',
    settlement_end: '最晚结算日 the latest settlement',
  };
  $('#result-date').textContent = date ? `${date} (${how[source] ?? source})` : '无日期 no date';

  const { counts, amounts } = summary;
  for (const [code] of OUTCOMES) {
    const card = $(`#cards [data-outcome="${code}"]`);
    $('[data-field="count"]', card).textContent = String(counts[code]);
    $('[data-field="amount"]', card).textContent = amounts[code];
    card.classList.toggle('zero', counts[code] === 0);
  }
  for (const [key] of TOTALS) {
    $(`#totals [data-total="${key}"] [data-field="value"]`).textContent = String(summary[key]);
  }
  for (const [code, zh] of OUTCOMES) {
    const opt = document.querySelector(`#filter option[value="${code}"]`);
    if (opt) opt.textContent = `${zh} ${code} (${counts[code]})`;
  }

  const sources = reply.sources ?? [];
  $('#files tbody').replaceChildren(...summary.files.map((f, i) => fileRow(f, sources[i], onForce)));
  const converted = reply.converted ?? [];
  $('#converted').hidden = converted.length === 0;
  $('#converted').replaceChildren(
    ...bi('电子表格已在本机转换为 CSV', 'spreadsheets converted to CSV on this machine'), ': ', converted.join(', '),
  );
  // Information flow needs both sides; a fund-flow run may have bills only, or no table at all.
  const sidesRead = new Set(summary.files.map((f) => f.side));
  const hasInfo = sidesRead.has('internal') && sidesRead.has('channel');
  $('#info-results').hidden = !hasInfo;
  $('#issue-count').textContent = `(${summary.issue_count})`;

  state.exceptions.offset = 0;
  state.issues.offset = 0;
  $('#results').hidden = false;
  if (hasInfo) requestPage('exceptions');
  else $('#exceptions').dataset.state = 'loaded';
  requestPage('issues');
  showFund(fund, reply.inputs ?? []);
  showClearing(reply.clearing ?? null);
  showHandling(reply.handling ?? null);
}

/**
 * One table read: format, variant, encoding, header line, counts, the read-as select, its checks.
 * @param {FileInfo} f @param {number | undefined} source @param {OnForce} onForce
 */
function fileRow(f, source, onForce) {
  const checks = f.checks ?? [];
  const forced = source === undefined ? '' : forcedFormat(source);
  /** @type {HTMLSelectElement | string} */
  let override = dash;
  if (f.side === 'channel' && source !== undefined) {
    const select = h('select', { 'data-source': String(source), 'aria-label': `${f.name}: 按此格式读取 read as` },
      h('option', { value: '' }, forced ? '自动检测 auto-detect' : `自动检测 auto (${f.format})`),
      ...FORMATS.map(([code, zh, en]) => h('option', { value: code, selected: code === forced }, `${zh} ${en} · ${code}`)),
    );
    select.disabled = body.dataset.status !== 'ready';
    // The column is narrow: the chosen option's full text is the select's tooltip.
    select.title = select.selectedOptions[0]?.textContent ?? '';
    select.addEventListener('change', () => {
      select.title = select.selectedOptions[0]?.textContent ?? '';
      // The options are '' and the FORMATS codes.
      onForce(source, /** @type {Format | ''} */ (select.value));
    });
    override = select;
  }
  return h('tr', { 'data-side': f.side, 'data-source': source === undefined ? null : String(source), 'data-forced': forced || null },
    h('td', {}, f.name),
    h('td', {}, ...bi(...SIDES[f.side])),
    h('td', {},
      h('code', { 'data-field': 'format' }, text(f.format)),
      f.variant ? [' ', h('small', { 'data-field': 'variant' }, f.variant)] : null,
      forced ? [' ', h('span', { class: 'tag' }, '指定 forced')] : null,
    ),
    h('td', { 'data-field': 'encoding' }, text(f.encoding)),
    h('td', { class: 'num', 'data-field': 'header_line', title: (f.header ?? []).join(' | ') || null }, headerLine(f.header_line)),
    h('td', { class: 'num' }, text(f.rows)),
    h('td', { class: 'num' }, text(f.skipped)),
    h('td', {}, override),
    h('td', { 'data-field': 'checks' }, checksCell(checks)),
  );
}

/** Amount, status and time of one side of an exception. @param {RowView | null} view */
function sideCells(view) {
  if (!view) return [h('td', { class: 'num' }, dash), h('td', {}, dash), h('td', {}, dash)];
  return [
    h('td', { class: 'num', title: view.fee ? `手续费 fee ${view.fee}` : null }, text(view.amount)),
    h('td', { title: view.status }, text(view.status_word || view.status)),
    h('td', {}, text(view.time)),
  ];
}

/** A row of the exceptions table. @param {Exception} x */
export function exceptionRow(x) {
  const zh = x.class_zh ?? OUTCOMES.find(([c]) => c === x.class)?.[1] ?? '';
  return h('tr', { 'data-outcome': x.class, 'data-id': x.id, 'data-state': x.state, class: standingOf(x.class) },
    h('td', { 'data-field': 'outcome' }, h('span', { class: 'badge', 'data-outcome': x.class }, zh), ' ', h('code', {}, x.class)),
    h('td', { title: x.key_field }, h('code', {}, text(x.key))),
    h('td', { class: 'num' }, text(x.d)),
    h('td', {}, labelTag(x.label) ?? dash),
    ...sideCells(x.internal),
    ...sideCells(x.channel),
    h('td', {}, x.cross_day ? h('span', { class: 'tag' }, '跨日 cross-day') : null, x.cross_day ? ' ' : null, text(x.message)),
    ...handlingCells(x),
  );
}

/** A row of the row-issues table. @param {RowIssue} i */
export function issueRow(i) {
  return h('tr', { 'data-code': i.code },
    h('td', {}, text(i.file)),
    h('td', { class: 'num' }, text(i.line)),
    h('td', { class: 'num' }, text(i.column)),
    h('td', {}, h('code', {}, text(i.code))),
    h('td', {}, text(i.message)),
  );
}
