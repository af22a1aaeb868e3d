// domain-acc-at-chance: a discriminator that never learns, or a constant (saturated) one; not the healthy settle near 55%.
import rule from '../../rules/domain-acc-at-chance.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: rises to 82% in epoch 0, settles at 54-58%', run: sharedRun('healthy') },
    { name: 'healthy_lightning', run: sharedRun('healthy_lightning') },
    { name: 'strong_disc', run: sharedRun('strong_disc') },
    { name: 'label_shift', run: sharedRun('label_shift') },
    // the diverged run prints exactly 50.0 for epochs, but that is the dead network, reported by loss-divergence
    { name: 'diverged: a consequence of the divergence', run: sharedRun('diverged'), notApplicable: /diverged/ },
    { name: 'no discriminator', run: sharedRun('source_only'), notApplicable: /no domain/ },
    {
      // made up: batch size 1 prints 0/50/100 only; a live discriminator hits 50 often but not 20 times in a row
      name: 'batch 1 coarse values are not "pinned"',
      run: makeRun({ hyperparameters: { batch_size: 1 }, series: [tllibSeries(KEY.domainAcc, [80, 60, 55, 55], { value: (e, i) => [50, 100, 50, 0, 50, 50, 100, 50, 0, 100][i] })] }),
    },
  ],
  invalid: [
    {
      name: 'dh-digits-b1-b: exactly 50.0 from [0][500] (line 23) to [21][600] (line 297), Loss 50.00 = BCE clamp',
      run: realLog('dh-digits-b1-b'),
      errors: [{ messageId: 'pinned', data: { count: 212, fromEpoch: 0, toEpoch: 21 }, evidence: { series: KEY.domainAcc, line: 23, endLine: 297, from: 500, to: 21600 } }],
    },
    {
      // made up: features detached from the discriminator: 50-53% from the very first epoch, transfer loss ln 2
      name: 'never learned, transfer loss at ln 2',
      run: makeRun({ series: [tllibSeries(KEY.domainAcc, [51, 50.5, 50.2, 50.1, 50.3]), tllibSeries(KEY.transferLoss, [0.693, 0.693, 0.693, 0.693, 0.693])] }),
      errors: [{ messageId: 'neverLearned', data: { min: '50.1', max: '51' } }],
    },
  ],
});
