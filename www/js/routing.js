// Where each file dropped on the zone goes. Pure: no DOM, no worker; the page asks the worker what
// each file's head is (the engine's detectInput, the same layout detection the readers use) and this
// module decides from those answers, the names, and what the inputs already hold.
//
// Content decides wherever it can: a WeChat/Alipay/UnionPay bill → channel, a bank statement → bank,
// payouts, a sub-ledger, yesterday's state file. Only what content cannot tell goes by name: a plain
// table of orders is an order export or a simple channel bill alike, so the name (or, when the names
// do not tell either, the drop order) decides between the two, and Swap corrects it; of three or more
// such tables one is the order export, the rest are bills. A spreadsheet (not converted just to be
// detected) or an archive whose head shows nothing goes by its name too. A file that is not text, or
// has no table header content knows, goes nowhere.

/**
 * @typedef {import('../pkg/duizhang.js').InputDetection} InputDetection
 * @typedef {import('../pkg/duizhang.js').InputKind} InputKind
 * @typedef {import('../pkg/duizhang.js').Format} Format
 * @typedef {'content' | 'name' | 'order' | 'left'} RoutedBy what decided: content, the name, the drop order, or the side left open
 * @typedef {'not_text' | 'no_header'} UnusedWhy
 */
/**
 * @template {{name: string}} F
 * @typedef {{file: F, input: InputKind, by: RoutedBy, format: Format | null}} Route
 */
/**
 * The new content of every input a drop fills (lists for the inputs that take several files).
 * @template F
 * @typedef {{internal?: F, channel?: F[], bank?: F[], payouts?: F[], sub_ledger?: F, carry?: F, resolutions?: F[]}} Inputs
 */
/**
 * @template {{name: string}} F
 * @typedef {{routes: Route<F>[], ignored: Route<F>[], unused: {file: F, why: UnusedWhy}[], ambiguous: boolean, inputs: Inputs<F>}} Routing
 */

const INTERNAL_NAME = /order|订单|internal|内部|平台|platform|ledger|台账|book/i;
const CHANNEL_NAME = /bill|账单|channel|渠道|wechat|weixin|wxpay|alipay|微信|支付宝|unionpay|银联|网联|statement|流水|settle|结算|trade/i;

/** 'internal', 'channel' or null when the name does not tell. @param {string} name @returns {'internal' | 'channel' | null} */
export function guessSide(name) {
  const i = INTERNAL_NAME.test(name);
  const c = CHANNEL_NAME.test(name);
  if (i && !c) return 'internal';
  if (c && !i) return 'channel';
  return null;
}

/**
 * A fallback for a file whose content does not decide and that is no plain table of orders (a
 * spreadsheet, say): its name, for the fund-flow inputs first. Null: the order/bill guess decides.
 */
/** @type {['resolutions' | 'carry' | 'payouts' | 'sub_ledger' | 'bank', RegExp][]} */
const FUND_NAMES = [
  ['resolutions', /差错|resolution/i],
  ['carry', /\.json$/i],
  ['payouts', /代付|payout/i],
  ['sub_ledger', /分户账|sub-?ledger/i],
  ['bank', /银行|bank|对公|账户明细|statement/i],
];
export const guessFundSide = (/** @type {string} */ name) => FUND_NAMES.find(([, re]) => re.test(name))?.[0] ?? null;

/**
 * Whether content says a file is no input at all, so that it is left out (the name does not overrule
 * it). A profile may name columns the built-in aliases do not know: with one, a table without a known
 * header still goes by name or drop order.
 */
export function unusable(/** @type {InputDetection['why']} */ why, /** @type {boolean} */ profileLoaded) {
  return why === 'not_text' || (why === 'no_header' && !profileLoaded);
}

/**
 * Routes dropped files.
 *
 * `files`: the dropped files in drop order (anything with a `name`); `detections[i]`: what the
 * engine said of files[i] (a InputDetection), or null when it could not be asked; `current`: whether a
 * profile is loaded and what the order and bill inputs hold now (a single plain table fills the side
 * left open).
 *
 * Returns `routes` (each placed file with its input, what decided — 'content', 'name', 'order', or
 * 'left' for the side left open — and the detected format, in the order the page lists them: the
 * order/bill tables first, so Swap exchanges the guess), `ignored` (files for a single-file input an
 * earlier file of the drop already took), `unused` (files content says are no input, with why),
 * `ambiguous` (both sides were guessed: offer Swap) and `inputs`, the new content of every input the
 * drop fills (a list for channel, bank and payouts, which the drop replaces, as picking would).
 * @template {{name: string}} F
 * @param {F[]} files @param {(InputDetection | null | undefined)[]} detections
 * @param {{profileLoaded: boolean, internal: F | null, channel: readonly F[]}} current
 * @returns {Routing<F>}
 */
export function routeFiles(files, detections, current) {
  /** @type {Route<F>[]} */
  const routes = [];
  /** @type {F[]} */
  const tables = []; // order tables and undecided files: internal or channel
  /** @type {{file: F, why: UnusedWhy}[]} */
  const unused = [];
  files.forEach((file, i) => {
    const d = detections[i] ?? null;
    const fundByName = guessFundSide(file.name);
    if (d?.input) routes.push({ file, input: d.input, by: 'content', format: d.format });
    else if (d && !d.order_table && (d.why === 'not_text' || d.why === 'no_header') && unusable(d.why, current.profileLoaded)) {
      unused.push({ file, why: d.why });
    }
    else if (!d?.order_table && fundByName) routes.push({ file, input: fundByName, by: 'name', format: null });
    else tables.push(file);
  });
  const billsByContent = routes.some((r) => r.input === 'channel');
  const { tableRoutes, ambiguous } = routeTables(tables, billsByContent, current);
  const all = [...tableRoutes, ...routes];
  /** @type {Route<F>[]} */
  const ignored = [];
  /** @type {Inputs<F>} */
  const inputs = {};
  for (const r of all) {
    // Channel bills, bank statements, payout files and resolutions: several; the others take one.
    if (r.input === 'channel' || r.input === 'bank' || r.input === 'payouts' || r.input === 'resolutions') {
      (inputs[r.input] ??= []).push(r.file);
    }
    else if (Object.hasOwn(inputs, r.input)) ignored.push(r);
    else inputs[r.input] = r.file;
  }
  return { routes: all.filter((r) => !ignored.includes(r)), ignored, unused, ambiguous, inputs };
}

/**
 * The order export and the plain bills among the tables content could not tell apart.
 * @template {{name: string}} F
 * @param {F[]} tables @param {boolean} billsByContent
 * @param {{internal: F | null, channel: readonly F[]}} current
 * @returns {{tableRoutes: Route<F>[], ambiguous: boolean}}
 */
function routeTables(tables, billsByContent, current) {
  /** @type {(file: F, input: 'internal' | 'channel', by: RoutedBy) => Route<F>} */
  const route = (file, input, by) => ({ file, input, by, format: null });
  if (tables.length === 0) return { tableRoutes: [], ambiguous: false };
  if (tables.length === 1) {
    const [f] = tables;
    const g = guessSide(f.name);
    // The one table left next to bills recognised by content is the order export; else it fills the
    // side the inputs leave open.
    const open = current.internal && current.channel.length === 0 ? 'channel' : 'internal';
    const side = g ?? (billsByContent ? 'internal' : open);
    return { tableRoutes: [route(f, side, g ? 'name' : 'left')], ambiguous: false };
  }
  if (tables.length === 2) {
    const [a, b] = tables;
    const ga = guessSide(a.name);
    const gb = guessSide(b.name);
    /** @type {[F, F, RoutedBy]} */
    let [internal, channel, by] = [a, b, 'order'];
    if (ga === 'internal' || gb === 'channel') [internal, channel, by] = [a, b, 'name'];
    else if (ga === 'channel' || gb === 'internal') [internal, channel, by] = [b, a, 'name'];
    return { tableRoutes: [route(internal, 'internal', by), route(channel, 'channel', by)], ambiguous: true };
  }
  // One order export and several plain bills: the table whose name says orders, else the first
  // dropped whose name does not say bill, else the first dropped. It goes first, so that Swap
  // exchanges it with the next table.
  const named = tables.find((f) => guessSide(f.name) === 'internal');
  const internal = named ?? tables.find((f) => guessSide(f.name) !== 'channel') ?? tables[0];
  const tableRoutes = [route(internal, 'internal', named ? 'name' : 'order')];
  for (const f of tables) {
    if (f !== internal) tableRoutes.push(route(f, 'channel', guessSide(f.name) === 'channel' ? 'name' : 'order'));
  }
  return { tableRoutes, ambiguous: true };
}
