// What the page calls things (www/js/labels.js) against the engine's own vocabulary(): the same codes
// in the same report order, and the same standing of every outcome — timing items (未达账项, in
// transit) apart from the breaks, as the page styles their rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIONS, FUND_OUTCOMES, INPUTS, OUTCOMES, fundStandingOf, standingOf } from '../../www/js/labels.js';
import { freshModule, requireBuilt } from './helpers.mjs';

requireBuilt();
const vocabulary = (await freshModule()).vocabulary();

/**
 * @template {string} C
 * @param {[C, string, string, import('../../www/js/labels.js').Standing][]} table
 * @param {'break' | 'timing'} standing
 */
const codesOf = (table, standing) => table.filter(([, , , s]) => s === standing).map(([code]) => code);

test('the outcome codes are the engine’s, in report order, with its Chinese names', () => {
  assert.deepEqual(OUTCOMES.map(([code]) => code), vocabulary.outcomes.map((t) => t.code));
  assert.deepEqual(OUTCOMES.map(([, zh]) => zh), vocabulary.outcomes.map((t) => t.zh));
  assert.deepEqual(FUND_OUTCOMES.map(([code]) => code), vocabulary.fund_outcomes.map((t) => t.code));
  assert.deepEqual(INPUTS, vocabulary.input_kinds.map((t) => t.code));
  assert.deepEqual(ACTIONS, vocabulary.actions.map((t) => [t.code, t.zh]), 'the 差错处理 actions');
});

test('timing items stand apart from the breaks, as the engine says', () => {
  assert.deepEqual(codesOf(OUTCOMES, 'timing'), vocabulary.timing_outcomes);
  assert.deepEqual(codesOf(OUTCOMES, 'break'), vocabulary.break_outcomes);
  assert.deepEqual(codesOf(FUND_OUTCOMES, 'timing'), vocabulary.timing_fund_outcomes);
  assert.deepEqual(codesOf(FUND_OUTCOMES, 'break'), vocabulary.break_fund_outcomes);
  assert.equal(standingOf('pending'), 'timing');
  assert.equal(standingOf('amount_mismatch'), 'break');
  assert.equal(standingOf('matched_within_tolerance'), null);
  assert.equal(fundStandingOf('in_transit'), 'timing');
  assert.equal(fundStandingOf('unexplained_movement'), 'break');
  assert.equal(fundStandingOf('not_reconciled'), null, 'not reconciled is neither');
});
