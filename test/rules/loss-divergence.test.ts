// loss-divergence: the diverged run (lr 10) blows up at its second print; healthy and bounded spikes do not.
import rule from '../../rules/loss-divergence.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy tllib run', run: sharedRun('healthy') },
    { name: 'healthy run logged by Lightning', run: sharedRun('healthy_lightning') },
    // strong_disc has single-batch spikes to 7.42 after a start of 3.17: unstable, not divergent
    { name: 'strong_disc spikes are bounded', run: sharedRun('strong_disc') },
    // the BCE clamp keeps dh-digits-b1-b at 50.00 (16x its start): a dead discriminator, not a blow-up
    { name: 'loss pinned at the BCE clamp is not an explosion', run: realLog('dh-digits-b1-b') },
    { name: 'no loss series', run: makeRun(), notApplicable: /no training loss/ },
  ],
  invalid: [
    {
      name: 'diverged: Loss 1453032.62 at [0][50] (line 17) after 3.01 at init',
      run: sharedRun('diverged'),
      errors: [{ messageId: 'exploded', data: { step: 50, epoch: 0, reference: '3.01' }, evidence: { series: KEY.loss, line: 17, from: 50, to: 50 } }],
    },
    {
      // made up: the NaN branch, since none of the shared runs has a NaN
      name: 'a NaN in the transfer loss',
      run: makeRun({ series: [tllibSeries(KEY.transferLoss, [0.69, 0.69, 0.7], { value: (e, i) => (e === 2 && i >= 3 ? NaN : 0.69) })] }),
      errors: [{ messageId: 'nonFinite', data: { step: 2300, epoch: 2, count: 7 }, evidence: { series: KEY.transferLoss, from: 2300 } }],
    },
    {
      name: 'threshold is an option',
      run: sharedRun('strong_disc'),
      options: { factor: 2 },
      errors: [{ messageId: 'exploded' }],
    },
  ],
});
