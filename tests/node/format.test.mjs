// compareMoney orders the engine's money strings exactly: checked against BigInt on seeded strings,
// including amounts near 10^15 that a float cannot tell apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareMoney } from '../../www/js/format.js';

/** The amount in fen as a BigInt. @param {string} s */
const fen = (s) => BigInt(s.replace('.', ''));

test('compareMoney agrees with exact integer comparison', () => {
  let seed = 20261208;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  const amount = () => {
    const yuan = next() % 4 === 0 ? `99999999999999${next() % 10}` : String(next() % 100000);
    const s = `${yuan}.${String(next() % 100).padStart(2, '0')}`;
    return next() % 3 === 0 ? `-${s}` : s;
  };
  for (let n = 0; n < 5000; n += 1) {
    const [a, b] = [amount(), amount()];
    const exact = fen(a) < fen(b) ? -1 : fen(a) > fen(b) ? 1 : 0;
    assert.equal(compareMoney(a, b), exact, `${a} vs ${b}`);
  }
  assert.equal(compareMoney('999999999999999.99', '999999999999999.98'), 1, 'beyond a float');
  assert.equal(Number('999999999999999.99'), Number('999999999999999.98'), 'a float cannot tell these apart');
  assert.equal(compareMoney('-10.00', '-9.99'), -1);
  assert.equal(compareMoney('0.00', '0.00'), 0);
});
