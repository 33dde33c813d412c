// The drop zone's routing (www/js/routing.js), the pure half: given what the engine's detectInput says
// of each dropped file's head, the names, and what the inputs hold, where each file goes and what
// decided. The detections below are what detectInput says of real fixtures (checked at the end), so
// the cases are the files users drop: bills, archives, statements, payouts, order exports,
// spreadsheets, state files and files that are no table at all.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { guessSide, routeFiles } from '../../www/js/routing.js';
import { abs, freshModule, requireBuilt } from './helpers.mjs';

/**
 * @typedef {import('../../www/pkg/duizhang.js').InputDetection} InputDetection
 * @typedef {{name: string}} Named
 * @typedef {{profileLoaded: boolean, internal: Named | null, channel: Named[]}} Current
 */

/** @type {(kind: InputDetection['input'], format: InputDetection['format']) => InputDetection} */
const input = (kind, format) => ({ input: kind, format, order_table: false, why: null });
/** @type {(why: InputDetection['why']) => InputDetection} */
const unknown = (why) => ({ input: null, format: null, order_table: false, why });

/** What detectInput says of each kind of file (the fixture it was read from is in FIXTURES). */
const SAYS = {
  wechat: input('channel', 'wechat_trade'),
  wechatGz: input('channel', 'wechat_trade'),
  alipayZip: input('channel', 'alipay_trade'),
  unionpay: input('channel', 'unionpay_zm'),
  bank: input('bank', 'bank_statement'),
  bankGbk: input('bank', 'bank_statement'),
  payouts: input('payouts', 'payout_instructions'),
  ledger: input('sub_ledger', 'sub_ledger'),
  carry: input('carry', null),
  /** @type {InputDetection} */
  orders: { input: null, format: 'generic_csv', order_table: true, why: null },
  spreadsheet: unknown('spreadsheet'),
  prose: unknown('no_header'),
  binary: unknown('not_text'),
  // An archive whose first 64 KiB show no inner file (no fixture is that large).
  container: unknown('container'),
};
/** @typedef {keyof typeof SAYS} Kind */

/** @type {[string, Kind][]} */
const FIXTURES = [
  ['tests/fixtures/wechat/trade_all_bom_crlf.csv', 'wechat'],
  ['tests/fixtures/wechat/trade_all.csv.gz', 'wechatGz'],
  ['tests/fixtures/alipay/20886012345678900156_20260324.csv.zip', 'alipayZip'],
  ['tests/fixtures/unionpay/INN26032488ZM_777290058110048', 'unionpay'],
  ['tests/fixtures/bank/statement_corporate.csv', 'bank'],
  ['tests/fixtures/bank/corporate_gbk.csv', 'bankGbk'],
  ['tests/fixtures/bank/payouts.csv', 'payouts'],
  ['tests/fixtures/bank/ledger.csv', 'ledger'],
  ['tests/fixtures/sample/orders.csv', 'orders'],
  ['tests/fixtures/sample/channel.csv', 'orders'],
  ['tests/fixtures/sheets/statement.xlsx', 'spreadsheet'],
  ['tests/fixtures/malformed/prose_not_a_table.txt', 'prose'],
  ['tests/fixtures/malformed/binary_junk.csv', 'binary'],
];

const EMPTY = { profileLoaded: false, internal: null, channel: [] };

/**
 * A drop of `files` ([name, what the engine said, or null when it could not be asked]), reduced to
 * names: routes as [name, input, by], ignored as [name, input], unused as [name, why], and each
 * filled input's file names.
 * @param {[string, Kind | null][]} files @param {Current} [current]
 */
function drop(files, current = EMPTY) {
  const named = files.map(([name]) => ({ name }));
  const r = routeFiles(named, files.map(([, kind]) => (kind ? SAYS[kind] : null)), current);
  const names = (/** @type {Named | Named[]} */ v) => (Array.isArray(v) ? v.map((f) => f.name) : v.name);
  return {
    routes: r.routes.map((x) => [x.file.name, x.input, x.by]),
    ignored: r.ignored.map((x) => [x.file.name, x.input]),
    unused: r.unused.map((x) => [x.file.name, x.why]),
    ambiguous: r.ambiguous,
    inputs: Object.fromEntries(Object.entries(r.inputs).map(([kind, v]) => [kind, names(v)])),
  };
}

test('the whole day under misleading names: content decides, the name only between orders and bills', () => {
  // "statement" and "流水" read as a channel bill by name, "ledger" as the order export.
  const r = drop([['对公账户流水_statement.csv', 'bank'], ['20260325.csv', 'payouts'], ['orders.csv', 'orders'],
    ['day.csv', 'wechat'], ['ledger_0325.csv', 'ledger']]);
  assert.deepEqual(r.routes, [['orders.csv', 'internal', 'name'], ['对公账户流水_statement.csv', 'bank', 'content'],
    ['20260325.csv', 'payouts', 'content'], ['day.csv', 'channel', 'content'], ['ledger_0325.csv', 'sub_ledger', 'content']]);
  assert.deepEqual(r.inputs, { internal: 'orders.csv', bank: ['对公账户流水_statement.csv'], payouts: ['20260325.csv'],
    channel: ['day.csv'], sub_ledger: 'ledger_0325.csv' });
  assert.equal(r.ambiguous, false);
  assert.deepEqual([r.ignored, r.unused], [[], []]);
});

test('bills in their own layouts go to the channel bills by content, whatever their names', () => {
  const r = drop([['微信.csv', 'wechat'], ['x.gz', 'wechatGz'], ['20886012345678900156_20260324.csv.zip', 'alipayZip'],
    ['INN26032488ZM_777290058110048', 'unionpay']]);
  assert.deepEqual(r.routes.map(([, side, by]) => [side, by]), Array(4).fill(['channel', 'content']));
  assert.deepEqual(r.inputs, { channel: ['微信.csv', 'x.gz', '20886012345678900156_20260324.csv.zip', 'INN26032488ZM_777290058110048'] });
  // The detected layout travels with the route (the line under the zone shows it as a tooltip).
  const [route] = routeFiles([{ name: 'a.zip' }], [SAYS.alipayZip], EMPTY).routes;
  assert.equal(route.format, 'alipay_trade');
});

test('several bank statements and payout files are all kept; a second state file is not used', () => {
  const r = drop([['a.csv', 'bank'], ['b.csv', 'bankGbk'], ['p1.csv', 'payouts'], ['p2.csv', 'payouts'],
    ['state1.txt', 'carry'], ['state2.txt', 'carry'], ['l1.csv', 'ledger'], ['l2.csv', 'ledger']]);
  assert.deepEqual(r.inputs, { bank: ['a.csv', 'b.csv'], payouts: ['p1.csv', 'p2.csv'], carry: 'state1.txt', sub_ledger: 'l1.csv' });
  assert.deepEqual(r.ignored, [['state2.txt', 'carry'], ['l2.csv', 'sub_ledger']]);
  assert.ok(!r.routes.some(([name]) => name === 'state2.txt' || name === 'l2.csv'), 'an ignored file is not listed as routed');
});

test('a spreadsheet is not converted to be detected: its name decides', () => {
  const cases = [
    ['statement.xlsx', 'bank'], ['银行流水0325.xls', 'bank'], ['代付0325.xlsx', 'payouts'], ['分户账.xlsx', 'sub_ledger'],
    ['alipay_bill.xlsx', 'channel'], ['orders_0325.xlsx', 'internal'],
  ];
  for (const [name, side] of cases) {
    assert.deepEqual(drop([[name, 'spreadsheet']]).routes, [[name, side, 'name']], name);
  }
  // A name that says nothing: the one table fills the side the inputs leave open.
  assert.deepEqual(drop([['data.xlsx', 'spreadsheet']]).routes, [['data.xlsx', 'internal', 'left']]);
});

test('an archive whose head shows no file goes by its name too', () => {
  assert.deepEqual(drop([['wechat_0324.zip', 'container']]).routes, [['wechat_0324.zip', 'channel', 'name']]);
  assert.deepEqual(drop([['bank_0324.zip', 'container']]).routes, [['bank_0324.zip', 'bank', 'name']]);
});

test('a file that is no table goes nowhere and is listed as not used, whatever its name', () => {
  const r = drop([['prose_not_a_table.txt', 'prose'], ['orders.csv', 'orders'], ['bill_0324.csv', 'binary'], ['channel.csv', 'orders']]);
  assert.deepEqual(r.unused, [['prose_not_a_table.txt', 'no_header'], ['bill_0324.csv', 'not_text']]);
  assert.deepEqual(r.inputs, { internal: 'orders.csv', channel: ['channel.csv'] });
  // With a profile, which may name columns the built-in aliases do not know, text without a known
  // header is a table after all; bytes that are not text are still nothing.
  const withProfile = drop([['export.txt', 'prose'], ['junk.csv', 'binary']], { ...EMPTY, profileLoaded: true });
  assert.deepEqual(withProfile.routes, [['export.txt', 'internal', 'left']]);
  assert.deepEqual(withProfile.unused, [['junk.csv', 'not_text']]);
});

test('two plain tables: the names decide which is the order export, else the drop order; Swap is offered', () => {
  const named = drop([['channel.csv', 'orders'], ['orders.csv', 'orders']]);
  assert.deepEqual(named.routes, [['orders.csv', 'internal', 'name'], ['channel.csv', 'channel', 'name']]);
  assert.equal(named.ambiguous, true);
  // One name that tells is enough.
  assert.deepEqual(drop([['x.csv', 'orders'], ['wechat.csv', 'orders']]).routes,
    [['x.csv', 'internal', 'name'], ['wechat.csv', 'channel', 'name']]);
  const neutral = drop([['a.csv', 'orders'], ['b.csv', 'orders']]);
  assert.deepEqual(neutral.routes, [['a.csv', 'internal', 'order'], ['b.csv', 'channel', 'order']]);
  assert.equal(neutral.ambiguous, true);
});

test('three plain tables: one is the order export (named, else first), the others bills', () => {
  assert.deepEqual(drop([['a.csv', 'orders'], ['b.csv', 'orders'], ['c.csv', 'orders']]).routes,
    [['a.csv', 'internal', 'order'], ['b.csv', 'channel', 'order'], ['c.csv', 'channel', 'order']]);
  const named = drop([['x.csv', 'orders'], ['y.csv', 'orders'], ['day_orders.csv', 'orders']]);
  assert.deepEqual(named.routes, [['day_orders.csv', 'internal', 'name'], ['x.csv', 'channel', 'order'], ['y.csv', 'channel', 'order']]);
  assert.deepEqual(named.inputs, { internal: 'day_orders.csv', channel: ['x.csv', 'y.csv'] });
  // Without an orders name, the first whose name does not say bill.
  assert.deepEqual(drop([['bill1.csv', 'orders'], ['n.csv', 'orders'], ['bill2.csv', 'orders']]).routes,
    [['n.csv', 'internal', 'order'], ['bill1.csv', 'channel', 'name'], ['bill2.csv', 'channel', 'name']]);
});

test('one plain table: the order export next to a bill known by content, else the side left open', () => {
  assert.deepEqual(drop([['export.csv', 'orders'], ['day.csv', 'wechat']]).routes,
    [['export.csv', 'internal', 'left'], ['day.csv', 'channel', 'content']]);
  assert.deepEqual(drop([['export.csv', 'orders']]).routes, [['export.csv', 'internal', 'left']]);
  // The order export is already there and no bill: the table is the bill.
  const current = { profileLoaded: false, internal: { name: 'orders.csv' }, channel: [] };
  assert.deepEqual(drop([['export.csv', 'orders']], current).routes, [['export.csv', 'channel', 'left']]);
  // Both are there: it replaces the order export.
  const both = { ...current, channel: [{ name: 'bill.csv' }] };
  assert.deepEqual(drop([['export.csv', 'orders']], both).routes, [['export.csv', 'internal', 'left']]);
});

test('the order and bill tables are listed first, so Swap exchanges the guess', () => {
  // The keyboard picker's case: payouts under a bill's name, and a plain table.
  const r = drop([['bill.csv', 'payouts'], ['channel.csv', 'orders']]);
  assert.deepEqual(r.routes, [['channel.csv', 'channel', 'name'], ['bill.csv', 'payouts', 'content']]);
});

test('when the worker could not say (it was replaced), the names decide', () => {
  const r = drop([['payouts_0325.csv', null], ['yesterday.json', null], ['orders.csv', null], ['wechat.csv', null]]);
  assert.deepEqual(r.routes, [['orders.csv', 'internal', 'name'], ['wechat.csv', 'channel', 'name'],
    ['payouts_0325.csv', 'payouts', 'name'], ['yesterday.json', 'carry', 'name']]);
  assert.deepEqual(r.unused, []);
});

test('guessSide: a name says orders or bill, or nothing', () => {
  for (const [name, side] of [['orders.csv', 'internal'], ['内部订单.csv', 'internal'], ['平台台账.csv', 'internal'],
    ['wechat_bill.csv', 'channel'], ['支付宝账单.zip', 'channel'], ['银联对账.txt', 'channel'], ['day.csv', null],
    ['order_bill.csv', null]]) {
    assert.equal(guessSide(String(name)), side, String(name));
  }
});

test('the detections above are what the engine says of the fixtures', async () => {
  requireBuilt();
  const mod = await freshModule();
  for (const [file, kind] of FIXTURES) {
    const head = new Uint8Array(fs.readFileSync(abs(file)).subarray(0, 64 * 1024));
    assert.deepEqual(mod.detectInput(head), SAYS[kind], file);
  }
});
