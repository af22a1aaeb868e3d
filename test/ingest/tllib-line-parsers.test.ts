// The in-place tllib line parsers give what their plain string definitions give (split/trim/slice), on random lines
// with the whitespace String#trim knows beyond ' ' (tabs, NBSP, ideographic space) and empty cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { badMeterFields, numberFrom, parseMeterNumber, parseTableRow } from '../../src/ingest/tllib/line-parsers.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [' ', '  ', '\t', '\u00a0', '\u3000', '', 'bike', 'desk chair', 'x|y', '14.457830429077148', '8.0', 'nan', '-', '|'];

test('parseTableRow cells are the row split at | and trimmed', () => {
  const r = rng(11);
  const pick = () => PIECES[Math.floor(r() * PIECES.length)]!;
  for (let i = 0; i < 3000; i++) {
    const cells = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick() + pick() + pick());
    const row = `|${cells.join('|')}|${r() < 0.3 ? ' ' : ''}`;
    const t = row.trimEnd();
    const expected = t.startsWith('|') && t.endsWith('|') && t.length >= 3 ? t.slice(1, -1).split('|').map((c) => c.trim()) : undefined;
    assert.deepEqual(parseTableRow(row)?.cells, expected, JSON.stringify(row));
  }
});

test('badMeterFields lists the fields that are not `Name val (avg)`, blank ones skipped', () => {
  assert.equal(badMeterFields('Test: [ 0/99]\tTime  0.099 ( 0.099)\tLoss 1.0410e+00 (1.0410e+00)\tAcc@1  50.00 ( 50.00)', 13), undefined);
  assert.deepEqual(badMeterFields('Test: [ 0/99]\tTime 0.1 (0.1)\t  \tLoss 1.0\tAcc@1 x (2)\t 5 (5)', 13), ['Loss 1.0', 'Acc@1 x (2)', ' 5 (5)']);
  assert.deepEqual(badMeterFields('Test: [ 0/9]\t\u00a0 1.0 (2.0)\t\u00a0\t', 12), ['\u00a0 1.0 (2.0)']);
});

test('numberFrom reads the number after a position as parseMeterNumber of the trimmed rest', () => {
  for (const s of ['mean correct:30.8', 'global correct: 24.2 ', 'x = 0.17852', 'x =\t0.5\t', 'x = \u00a00.5', 'x = nan', 'x = 1e-3', 'x = ', 'x = 1 2', 'x = 14.457830429077148']) {
    const from = s.search(/[:=]/) + 1;
    assert.equal(numberFrom(s, from), parseMeterNumber(s.slice(from).trim()), JSON.stringify(s));
  }
});
