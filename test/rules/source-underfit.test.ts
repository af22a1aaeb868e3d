// source-underfit: the diverged run sits at chance on the source; runs that fit the source pass.
import rule from '../../rules/source-underfit.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy (99.9%)', run: sharedRun('healthy') },
    { name: 'Lightning fractions are converted (1.0 -> 100%)', run: sharedRun('healthy_lightning') },
    { name: 'source_only fits the source', run: sharedRun('source_only') },
    { name: 'A->W after 2 epochs (91.9%)', run: realLog('dh-a2w-2ep') },
    { name: 'no accuracy series', run: makeRun(), notApplicable: /no source accuracy/ },
    {
      // made up: a crash inside the first epoch is too early to call underfit
      name: 'crashed in epoch 0',
      run: makeRun({ status: 'crashed', series: [tllibSeries(KEY.clsAcc, [35])] }),
      notApplicable: /too early/,
    },
  ],
  invalid: [
    {
      name: 'diverged: 9.9% on 10 classes (epoch 14 running avg, lines 142-147)',
      run: sharedRun('diverged'),
      errors: [{ messageId: 'atChance', data: { acc: '9.9', classes: 10 }, evidence: { series: KEY.clsAcc, line: 142, endLine: 147, from: 4200, to: 4450 } }],
    },
    {
      // made up: underfit but above chance (no class count known)
      name: '45% source accuracy after 5 epochs',
      run: makeRun({ series: [tllibSeries(KEY.clsAcc, [20, 30, 38, 42, 45])] }),
      errors: [{ messageId: 'underfit', data: { acc: '45', threshold: 60 }, causes: ['insufficient-capacity-or-underfit', 'trade-off-too-high', 'learning-rate-too-high'] }],
    },
  ],
});
