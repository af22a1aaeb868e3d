// oscillation: epoch-to-epoch zig-zag of domain or target accuracy; the shared runs settle.
import rule from '../../rules/oscillation.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries, epochSeries, zigzag } from './runs.js';

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
    // made up: a fast climb with small wobbles moves more per epoch than it swings
    { name: 'a climb is not an oscillation', run: makeRun({ series: [epochSeries(KEY.valAcc, [20, 35, 31, 46, 42, 57, 53, 68, 64, 79])] }) },
  ],
  invalid: [
    {
      // made up (the case): validation accuracy swings 83-97% every epoch for 250 epochs; its best epoch
      // (97.4% at 240) is a lucky draw, not a peak
      name: 'target accuracy swinging 83-97% for 250 epochs',
      run: makeRun({ series: [epochSeries(KEY.valAcc, zigzag(250, 90, 5, 240, 97.4))] }),
      errors: [{ messageId: 'target', data: { best: '97.4', bestEpoch: 240, from: 0, to: 249 } }],
    },
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
      errors: [{ messageId: 'target', data: { from: 0, to: 8, best: '63', bestEpoch: 5 }, evidence: { series: KEY.valAcc, from: 0, to: 8, unit: 'epoch' } }],
    },
  ],
});
