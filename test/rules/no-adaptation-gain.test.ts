// no-adaptation-gain: against source_only (50.7% test_acc1) when given, else a huge source-target gap.
import rule from '../../rules/no-adaptation-gain.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: 85.8 vs 50.7', run: sharedRun('healthy'), baseline: sharedRun('source_only') },
    { name: 'healthy_lightning vs source_only', run: sharedRun('healthy_lightning'), baseline: sharedRun('source_only') },
    { name: 'strong_disc vs source_only', run: sharedRun('strong_disc'), baseline: sharedRun('source_only') },
    { name: 'label_shift: 59.6 vs 50.7 (+8.9)', run: sharedRun('label_shift'), baseline: sharedRun('source_only') },
    { name: 'label_shift without baseline: gap 40 < 65', run: sharedRun('label_shift') },
    { name: 'source_only is the baseline', run: sharedRun('source_only'), notApplicable: /baseline/ },
    { name: 'diverged: see loss-divergence', run: sharedRun('diverged'), baseline: sharedRun('source_only'), notApplicable: /diverged/ },
    { name: 'A->W: 85.9 vs 91.9', run: realLog('dh-a2w-2ep') },
  ],
  invalid: [
    {
      name: 'dh-digits-b1-b: 26.3% on USPS vs 100% on the (condensed) MNIST source',
      run: realLog('dh-digits-b1-b'),
      errors: [{ messageId: 'hugeGap', data: { result: '26.3', source: '100', gap: '73.7' }, evidence: { series: KEY.clsAcc } }],
    },
    {
      // made up: an adapted run that ends where the source-only baseline did
      name: 'no better than the baseline',
      run: makeRun({ testAcc1: 51.0, series: [tllibSeries(KEY.clsAcc, [90, 99])] }),
      baseline: sharedRun('source_only'),
      errors: [{ messageId: 'noGain', data: { gain: '+0.3', baseline: '50.7', baselineId: 'source_only' } }],
    },
  ],
});
