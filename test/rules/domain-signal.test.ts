// The domain signal from losses: with no domain accuracy logged, a discriminator BCE near 0 means the discriminator
// wins and near ln 2 (2 ln 2 for a sum of two terms) means chance. Made-up series; real ones in test/corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import saturated from '../../rules/domain-acc-saturated.js';
import atChance from '../../rules/domain-acc-at-chance.js';
import { KEY } from '../../src/model/metric-keys.js';
import { domainSignalOf } from '../../src/facts/domain-signal.js';
import { ruleTester } from './rule-tester.js';
import { makeRun, tllibSeries } from './runs.js';

const lossRun = (means: number[], rawName: string, algorithm: 'unknown' | 'dann' | 'dan' = 'unknown') =>
  makeRun({ algorithm, series: [tllibSeries(KEY.transferLoss, means, { rawName })] });

// a discriminator that wins completely: its loss falls to ~0.001 (the case), no domain accuracy logged
const wins = () => lossRun([0.6, 0.2, 0.05, 0.01, 0.003, 0.001, 0.001, 0.001], 'd_loss');
// a sum of source and target BCE that never leaves 2 ln 2 = 1.386
const chance2 = () => lossRun([1.39, 1.386, 1.38, 1.39, 1.385, 1.387], 'domain_loss');
// healthy: the discriminator wins early (loss falls), then the GRL pulls it back towards ln 2
const healthy = () => lossRun([0.45, 0.55, 0.62, 0.66, 0.67, 0.68, 0.68], 'disc_loss');

test('domainSignalOf: accuracy first, else a discriminator BCE with its terms; never an MMD', () => {
  assert.equal(domainSignalOf(wins())?.kind, 'bce-loss');
  assert.equal(domainSignalOf(wins())?.terms, 1);
  assert.equal(domainSignalOf(chance2())?.terms, 2);
  assert.ok(Math.abs(domainSignalOf(chance2())!.chance - 2 * Math.LN2) < 1e-12);
  assert.equal(domainSignalOf(lossRun([0.3, 0.2, 0.1], 'mmd_loss', 'dan')), undefined);
  assert.equal(domainSignalOf(lossRun([0.3, 0.2, 0.1], 'transfer_loss', 'dan')), undefined);
  const both = makeRun({ series: [tllibSeries(KEY.domainAcc, [80, 60, 55]), tllibSeries(KEY.transferLoss, [0.5, 0.6, 0.7], { rawName: 'd_loss' })] });
  assert.equal(domainSignalOf(both)?.kind, 'accuracy');
});

ruleTester(saturated, {
  valid: [
    { name: 'healthy BCE back near ln 2', run: healthy },
    { name: 'two-term BCE at chance is not winning', run: chance2 },
  ],
  invalid: [
    { name: 'd_loss falls to 0.001: the discriminator wins', run: wins, errors: [{ messageId: 'lossSaturated', data: { mean: '0.003', lossLevel: 0.2 }, evidence: { series: KEY.transferLoss } }] },
  ],
});

ruleTester(atChance, {
  valid: [
    { name: 'healthy BCE departs from ln 2 during the warm-up', run: healthy },
    { name: 'a winning discriminator is not at chance', run: wins },
  ],
  invalid: [
    { name: 'two-term BCE pinned at 2 ln 2', run: chance2, errors: [{ messageId: 'lossNeverLearned', data: { band: '0.06' } }] },
  ],
});
