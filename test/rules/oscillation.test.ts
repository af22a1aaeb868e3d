// oscillation: epoch-to-epoch zig-zag of domain or target accuracy; the shared runs settle.
import rule from '../../rules/oscillation.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries, epochSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy', run: sharedRun('healthy') },
    { name: 'healthy_lightning', run: sharedRun('healthy_lightning') },
    { name: 'strong_disc', run: sharedRun('strong_disc') },
    // label_shift's target acc moves 2-5 points per epoch: within noise of a 225-sample target set
    { name: 'label_shift (median swing ~3 points)', run: sharedRun('label_shift') },
    { name: 'dh-digits-b1-b', run: realLog('dh-digits-b1-b') },
    { name: 'diverged', run: sharedRun('diverged'), notApplicable: /diverged/ },
    { name: 'nothing to judge', run: makeRun(), notApplicable: /no domain accuracy/ },
  ],
  invalid: [
    {
      // made up: the adversarial game flips between 55% and 80% every epoch after the warm-up
      name: 'domain accuracy zig-zag after the warm-up',
      run: makeRun({ hyperparameters: { epochs: 12 }, series: [tllibSeries(KEY.domainAcc, [90, 80, 70, 55, 80, 55, 82, 54, 79, 56, 81, 55])] }),
      errors: [{ messageId: 'domain', data: { from: 3, to: 11, reversals: 100 }, evidence: { series: KEY.domainAcc, from: 3000 } }],
    },
    {
      // made up: target accuracy zig-zags by ~15 points per epoch
      name: 'target accuracy zig-zag',
      run: makeRun({ series: [epochSeries(KEY.valAcc, [30, 60, 45, 62, 44, 63, 47, 61, 45])] }),
      errors: [{ messageId: 'target', data: { from: 1, to: 8 }, evidence: { series: KEY.valAcc, from: 1, to: 8, unit: 'epoch' } }],
    },
  ],
});
