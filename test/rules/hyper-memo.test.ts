// The rules' hyperparameter lookups (src/facts/hyper.ts) are memoised per hyperparameter object: the same hit for the
// table's names lists, a fresh lookup for a rule's own list, and nothing shared between two runs' objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HYPER_NAMES, hyperNumber, hyperBool, hyperString } from '../../src/facts/hyper.js';

test('hyperNumber/hyperBool/hyperString: per-object memo of the table lists, same answers as the lookup', () => {
  const a = { hyperparameters: { trade_off: '3', disc_bn: 'False', optimizer: 'SGD', 'config.train.lr': 0.01 }, hyperparametersFrom: { file: 'a.txt', line: 2 } };
  const b = { hyperparameters: { lambda: 0.5 }, hyperparametersFrom: undefined };
  const t = hyperNumber(a, HYPER_NAMES.tradeOff);
  assert.deepEqual(t, { name: 'trade_off', value: 3, ref: { file: 'a.txt', line: 2 } });
  assert.equal(hyperNumber(a, HYPER_NAMES.tradeOff), t); // memoised
  assert.deepEqual(hyperNumber(b, HYPER_NAMES.tradeOff), { name: 'lambda', value: 0.5, ref: undefined });
  assert.deepEqual(hyperNumber(a, HYPER_NAMES.lr), { name: 'config.train.lr', value: 0.01, ref: { file: 'a.txt', line: 2 } });
  assert.equal(hyperBool(a, HYPER_NAMES.discBatchNorm)?.value, false);
  assert.equal(hyperString(a, HYPER_NAMES.optimizer)?.value, 'SGD');
  assert.equal(hyperNumber(a, HYPER_NAMES.epochs), undefined);
  // an inline list is not memoised: each call its own lookup
  const inline = hyperString(a, ['optimizer']);
  assert.notEqual(hyperString(a, ['optimizer']), inline);
  assert.deepEqual(hyperString(a, ['optimizer']), inline);
});
