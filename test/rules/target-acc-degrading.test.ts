// target-acc-degrading: label_shift peaks at 59.6% (epoch 1) and ends at 52.0%; healthy keeps improving.
import rule from '../../rules/target-acc-degrading.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, epochSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: best at the last epoch', run: sharedRun('healthy') },
    { name: 'healthy_lightning', run: sharedRun('healthy_lightning') },
    { name: 'strong_disc', run: sharedRun('strong_disc') },
    { name: 'source_only: flat around 49%', run: sharedRun('source_only') },
    { name: 'dh-digits-b1-b: 26.3 best, last three ~22.6 (drop < 5)', run: realLog('dh-digits-b1-b') },
    { name: 'A->W: two epochs', run: realLog('dh-a2w-2ep'), notApplicable: /fewer than 5/ },
    // made up: one bad final epoch after a plateau is noise, not a decline
    { name: 'one bad last epoch', run: makeRun({ series: [epochSeries(KEY.valAcc, [50, 60, 70, 72, 73, 72, 73, 60])] }) },
  ],
  invalid: [
    {
      name: 'label_shift: 59.556 (line 49) -> mean of 53.778, 50.222, 52.0 (final line 387)',
      run: sharedRun('label_shift'),
      errors: [{ messageId: 'degrading', data: { best: '59.6', bestEpoch: 1, tail: '52', final: '52', drop: '7.6' }, evidence: { series: KEY.valAcc, line: 49, endLine: 387, from: 1, to: 14 } }],
    },
    { name: 'DAN fork: 57.5% at epoch 55 -> ~34%', run: realLog('dao-dan-l1'), errors: [{ messageId: 'degrading', data: { bestEpoch: 55 } }] },
  ],
});
