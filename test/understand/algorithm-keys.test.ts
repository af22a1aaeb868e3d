// Issue 17 item 11: the algorithm comes from the setting that names the adaptation (DeepDA's transfer_loss, adv_loss,
// uda_method ...), never from the framework that wrote the log; a loss-name value in such a key is not an algorithm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectAlgorithm } from '../../src/understand/algorithm.js';
import { makeRun } from '../rules/runs.js';
import type { HyperValue } from '../../src/model/types.js';

const run = (hp: Record<string, HyperValue>) => makeRun({ algorithm: 'deepda', path: '/x/run', hyperparameters: { trade_off: null, ...hp } as never });

test("DeepDA transfer_loss: 'adv' is DANN, 'mmd' DAN, 'daan' an algorithm of its own (not DEEPDA)", () => {
  for (const [value, algorithm] of [['adv', 'dann'], ['mmd', 'dan'], ['coral', 'coral'], ['daan', 'other'], ['lmmd', 'other']] as const) {
    const r = run({ transfer_loss: value });
    const from = detectAlgorithm(r);
    assert.equal(r.algorithm, algorithm, value);
    assert.deepEqual(from, { name: value, from: 'config', detail: 'config key transfer_loss' });
  }
});

test('other keys that name the adaptation method count when their value is a known algorithm', () => {
  for (const key of ['adv_loss', 'uda_method', 'alignment_type', 'daMethod']) {
    const r = run({ [key]: 'CDAN+E' });
    assert.equal(detectAlgorithm(r)?.detail, `config key ${key}`, key);
    assert.equal(r.algorithm, 'cdan', key);
  }
  // a plain loss name in a domain-loss key is not an algorithm; nor is a key that is not about the adaptation
  for (const hp of [{ domain_loss: 'bce' }, { loss_type: 'dann' }, { adv_weight: 'dann' }] as Record<string, HyperValue>[]) {
    const r = run(hp);
    detectAlgorithm(r);
    assert.equal(r.algorithm, 'unknown', JSON.stringify(hp));
  }
});
