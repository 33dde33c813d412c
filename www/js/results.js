// The result of a run: the files read (with the per-file override), the outcome cards and totals, and
// the rows of the exceptions and row-issue tables. The fund-flow section is fund_flow.js.
import { $, $$, bi, h } from './dom.js';
import { checksCell, labelTag } from './cells.js';
import { dash, field, headerLine, text } from './format.js';
import { showFund } from './fund_flow.js';
import { FORMATS, FUND_OUTCOMES, OUTCOMES, SIDES, TOTALS } from './labels.js';
import { requestPage } from './pages.js';
import { forcedFormat, state } from './state.js';
import { body, say, setStatus } from './status.js';

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
  $('#fund-results').hidden = true;
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
 */
export function onSummary(reply, onForce) {
  const { summary } = reply;
  state.summary = summary;
  setStatus('ready');
  $('#progress').value = 1;
  body.dataset.result = 'ok';
  const fund = reply.fund ?? null;
  say('完成', fund
    ? `done: ${fund.match_count} fund-flow matches, ${fund.exception_count} open items, ${field(summary, 'issue_count')} row issues`
    : `done: ${field(summary, 'exception_count')} exceptions, ${field(summary, 'issue_count')} row issues`);

  const date = field(summary, 'date');
  const source = field(summary, 'date_source');
  $('#result-date').textContent = date ? `${date} (${source === 'input' ? '指定 given' : source === 'inferred' ? '推断 inferred' : source})` : '无日期 no date';

  const counts = field(summary, 'counts');
  const amounts = field(summary, 'amounts');
  for (const [code] of OUTCOMES) {
    const card = $(`#cards [data-outcome="${code}"]`);
    $('[data-field="count"]', card).textContent = String(field(counts, code) ?? '');
    $('[data-field="amount"]', card).textContent = String(field(amounts, code) ?? '');
    card.classList.toggle('zero', Number(field(counts, code) ?? 0) === 0); // a count, not money
  }
  for (const [key] of TOTALS) {
    $(`#totals [data-total="${key}"] [data-field="value"]`).textContent = String(field(summary, key) ?? '');
  }
  for (const [code, zh] of OUTCOMES) {
    const opt = $(`#filter option[value="${code}"]`);
    if (opt) opt.textContent = `${zh} ${code} (${field(counts, code) ?? 0})`;
  }

  const sources = reply.sources ?? [];
  $('#files tbody').replaceChildren(...(field(summary, 'files') ?? []).map((f, i) => fileRow(f, sources[i], onForce)));
  const converted = reply.converted ?? [];
  $('#converted').hidden = converted.length === 0;
  $('#converted').replaceChildren(
    ...bi('电子表格已在本机转换为 CSV', 'spreadsheets converted to CSV on this machine'), ': ', converted.join(', '),
  );
  // Information flow needs both sides; a fund-flow run may have bills only, or no table at all.
  const sidesRead = new Set((field(summary, 'files') ?? []).map((f) => f.side));
  const hasInfo = sidesRead.has('internal') && sidesRead.has('channel');
  $('#info-results').hidden = !hasInfo;
  $('#issue-count').textContent = `(${field(summary, 'issue_count') ?? 0})`;

  state.exceptions.offset = 0;
  state.issues.offset = 0;
  $('#results').hidden = false;
  if (hasInfo) requestPage('exceptions');
  else $('#exceptions').dataset.state = 'loaded';
  requestPage('issues');
  showFund(fund, reply.inputs ?? []);
}

/** One table read: format, variant, encoding, header line, counts, the read-as select, its checks. */
function fileRow(f, source, onForce) {
  const checks = f.checks ?? [];
  const forced = source === undefined ? '' : forcedFormat(source);
  let override = dash;
  if (f.side === 'channel' && source !== undefined) {
    override = h('select', { 'data-source': String(source), 'aria-label': `${f.name}: 按此格式读取 read as` },
      h('option', { value: '' }, forced ? '自动检测 auto-detect' : `自动检测 auto (${f.format})`),
      ...FORMATS.map(([code, zh, en]) => h('option', { value: code, selected: code === forced }, `${zh} ${en} · ${code}`)),
    );
    override.disabled = body.dataset.status !== 'ready';
    // The column is narrow: the chosen option's full text is the select's tooltip.
    override.title = override.selectedOptions[0]?.textContent ?? '';
    override.addEventListener('change', (e) => {
      e.target.title = e.target.selectedOptions[0]?.textContent ?? '';
      onForce(source, e.target.value);
    });
  }
  return h('tr', { 'data-side': f.side, 'data-source': source === undefined ? null : String(source), 'data-forced': forced || null },
    h('td', {}, f.name),
    h('td', {}, ...(SIDES[f.side] ? bi(...SIDES[f.side]) : [f.side])),
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

/** Amount, status and time of one side of an exception. */
function sideCells(view) {
  if (!view) return [h('td', { class: 'num' }, dash), h('td', {}, dash), h('td', {}, dash)];
  return [
    h('td', { class: 'num', title: view.fee ? `手续费 fee ${view.fee}` : null }, text(view.amount)),
    h('td', { title: view.status }, text(view.status_word || view.status)),
    h('td', {}, text(view.time)),
  ];
}

/** A row of the exceptions table. */
export function exceptionRow(x) {
  const zh = x.class_zh ?? OUTCOMES.find(([c]) => c === x.class)?.[1] ?? '';
  return h('tr', { 'data-outcome': x.class },
    h('td', { 'data-field': 'outcome' }, h('span', { class: 'badge', 'data-outcome': x.class }, zh), ' ', h('code', {}, x.class)),
    h('td', { title: x.key_field }, h('code', {}, text(x.key))),
    h('td', { class: 'num' }, text(x.d)),
    h('td', {}, labelTag(x.label) ?? dash),
    ...sideCells(x.internal),
    ...sideCells(x.channel),
    h('td', {}, x.cross_day ? h('span', { class: 'tag' }, '跨日 cross-day') : null, x.cross_day ? ' ' : null, text(x.message)),
  );
}

/** A row of the row-issues table. */
export function issueRow(i) {
  return h('tr', { 'data-code': i.code },
    h('td', {}, text(i.file)),
    h('td', { class: 'num' }, text(i.line)),
    h('td', { class: 'num' }, text(i.column)),
    h('td', {}, h('code', {}, text(i.code))),
    h('td', {}, text(i.message)),
  );
}
