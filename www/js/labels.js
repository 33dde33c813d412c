// What the page calls things: every code the engine reports, with the Chinese names users know and
// an English gloss, in report order. Pure data, no DOM.

/**
 * @typedef {import('../pkg/duizhang.js').Outcome} Outcome
 * @typedef {import('../pkg/duizhang.js').FundOutcome} FundOutcome
 * @typedef {import('../pkg/duizhang.js').Format} Format
 * @typedef {import('../pkg/duizhang.js').InputKind} InputKind
 * @typedef {import('../pkg/duizhang.js').Side} Side
 * @typedef {import('../pkg/duizhang.js').ItemView['kind'] | import('../pkg/duizhang.js').MatchView['kind']} FundKind
 * @typedef {[zh: string, en: string]} Names
 */

/**
 * What an item of an outcome is, as its row is styled: `break` (差错: the sides disagree), `timing`
 * (未达账项, in transit: not yet a break, shown apart and never as one) or null (agreed, or only not
 * reconciled). The engine says the same in vocabulary() (timing_outcomes, break_outcomes, …);
 * tests/node/labels.test.mjs keeps the two equal.
 * @typedef {'break' | 'timing' | null} Standing
 */

/** Outcome codes in report order, with the Chinese names users know and their standing. @type {[Outcome, string, string, Standing][]} */
export const OUTCOMES = [
  ['matched', '对平', 'matched', null],
  ['matched_within_tolerance', '容差内对平', 'matched within tolerance', null],
  ['amount_mismatch', '金额不符', 'amount mismatch', 'break'],
  ['status_mismatch', '状态不符', 'status mismatch', 'break'],
  ['internal_only', '单边账(平台有、渠道无)', 'internal only', 'break'],
  ['external_only', '单边账(渠道有、平台无)', 'external only', 'break'],
  ['duplicate', '重复', 'duplicate', 'break'],
  ['pending', '未达账项', 'pending', 'timing'],
];
/** The summary's totals: d over the breaks (长款, 短款), d over the timing items apart, and cross-day items. @type {['long_total' | 'short_total' | 'timing_total' | 'cross_day', string, string][]} */
export const TOTALS = [
  ['long_total', '长款合计', 'long total (d > 0)'],
  ['short_total', '短款合计', 'short total (d < 0)'],
  ['timing_total', '未达账项合计', 'timing total (not a break)'],
  ['cross_day', '跨日', 'cross-day items'],
];
/** The sides of transaction matching. @type {Record<Side, Names>} */
export const SIDES = {
  internal: ['内部订单', 'internal'],
  channel: ['渠道对账单', 'channel'],
};
/** Every input the page takes, with its label (the sides of matching and the fund-flow inputs). @type {Record<InputKind, Names>} */
export const INPUT_NAMES = {
  ...SIDES,
  bank: ['银行流水', 'bank statement'],
  payouts: ['代付指令', 'payouts'],
  sub_ledger: ['分户账', 'sub-ledger'],
  carry: ['昨日状态', 'carry state'],
  resolutions: ['差错处理', 'resolutions'],
};
/** Every input, in the order the page shows them (the keys of INPUT_NAMES, as a list). @type {InputKind[]} */
export const INPUTS = ['internal', 'channel', 'bank', 'payouts', 'sub_ledger', 'carry', 'resolutions'];
/** The actions of 差错处理 (`Action` codes), in the engine's order, with their Chinese names. @type {[import('./protocol.js').Action, string][]} */
export const ACTIONS = [
  ['create_order', '补单'],
  ['refund', '退款'],
  ['adjust', '调账'],
  ['suspend', '挂账'],
  ['write_off', '核销'],
  ['accept', '确认'],
];
/** Statement layouts (`Format` codes) a channel file can be forced to be read as. @type {[Format, string, string][]} */
export const FORMATS = [
  ['generic_csv', '通用 CSV', 'generic CSV'],
  ['wechat_trade', '微信交易账单', 'WeChat trade bill'],
  ['wechat_fund_flow', '微信资金账单', 'WeChat fund flow'],
  ['alipay_trade', '支付宝业务明细', 'Alipay trade detail'],
  ['alipay_summary', '支付宝业务汇总', 'Alipay summary'],
  ['alipay_account_flow', '支付宝账务明细', 'Alipay account flow'],
  ['unionpay_zm', '银联 ZM 文件', 'UnionPay ZM'],
  ['bank_statement', '银行流水', 'bank statement'],
];
/** Fund-flow outcome codes, in report order, with their standing. @type {[FundOutcome, string, string, Standing][]} */
export const FUND_OUTCOMES = [
  ['matched', '对平', 'matched', null],
  ['matched_within_tolerance', '容差内对平', 'matched within tolerance', null],
  ['amount_mismatch', '金额不符', 'amount mismatch (paired, differs)', 'break'],
  ['in_transit', '在途 / 未达账项', 'in transit', 'timing'],
  ['internal_only', '单边账(平台有、银行无)', 'internal only', 'break'],
  ['external_only', '单边账(银行有、平台无)', 'external only', 'break'],
  ['unexplained_movement', '无法识别款项', 'unexplained movement', 'break'],
  ['not_reconciled', '未核对(无代付指令)', 'not reconciled (no payouts)', null],
  ['balance_break', '余额不符', 'balance break', 'break'],
];

/** The standing of an outcome (the class of its rows). @param {Outcome} code @returns {Standing} */
export const standingOf = (code) => OUTCOMES.find(([c]) => c === code)?.[3] ?? null;
/** The standing of a fund-flow outcome (the class of its rows). @param {FundOutcome} code @returns {Standing} */
export const fundStandingOf = (code) => FUND_OUTCOMES.find(([c]) => c === code)?.[3] ?? null;
/** Kinds of fund-flow matches and open items. @type {Record<FundKind, Names>} */
export const FUND_KINDS = {
  batch: ['结算批次', 'settlement batch'],
  credit: ['银行入账', 'bank credit'],
  debit: ['银行出账', 'bank debit'],
  payout: ['代付', 'payout'],
  pair: ['金额不符配对', 'credit paired with its settlements'],
  settlement: ['结算', 'settlement'],
};
/** Progress phases as the worker reports them. @type {Record<import('./protocol.js').ProgressReply['phase'], string>} */
export const PHASES = {
  read: '读取文件 reading',
  match: '匹配中 matching',
  done: '生成报告 reporting',
};
