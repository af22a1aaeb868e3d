// NaN/Infinity in JSON output: null plus a pointer list, and back again (what merge does with shard reports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyFinite, restoreNonFinite } from '../../src/output/finite-json.js';

test('non-finite numbers become null, listed by RFC 6901 pointer (keys with / and ~ escaped)', () => {
  const doc = { a: 1, 'train/loss': { 'x~y': [0, Number.NaN, Infinity] }, s: 'NaN' };
  const parsed = JSON.parse(stringifyFinite(doc));
  assert.deepEqual(parsed['train/loss']['x~y'], [0, null, null]);
  assert.equal(parsed.s, 'NaN', 'a string stays a string');
  assert.deepEqual(parsed.nonFiniteFields, [
    { pointer: '/train~1loss/x~0y/1', value: 'NaN' },
    { pointer: '/train~1loss/x~0y/2', value: 'Infinity' },
  ]);
  const back = restoreNonFinite(parsed);
  assert.ok(Number.isNaN(back['train/loss']['x~y'][1]));
  assert.equal(back['train/loss']['x~y'][2], Infinity);
  assert.equal('nonFiniteFields' in back, false);
});

test('restore only fills nulls: a stale or hostile list never overwrites data or creates fields', () => {
  const parsed = { a: 5, b: null, nonFiniteFields: [{ pointer: '/a', value: 'NaN' }, { pointer: '/b', value: '-Infinity' }, { pointer: '/c/d', value: 'NaN' }, { pointer: '/__proto__/x', value: 'NaN' }, { pointer: 7 }] };
  const back = restoreNonFinite(parsed) as Record<string, unknown>;
  assert.equal(back.a, 5);
  assert.equal(back.b, -Infinity);
  assert.equal('c' in back, false);
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('a document without non-finite numbers is written as JSON.stringify writes it', () => {
  const doc = { a: [1, 2, { b: 'c' }], d: null };
  assert.equal(stringifyFinite(doc), JSON.stringify(doc, null, 2));
});
