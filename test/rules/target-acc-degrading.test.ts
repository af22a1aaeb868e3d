// target-acc-degrading: label_shift's smoothed peak is 57.6% (epoch 2) and it ends at 52.0%; healthy keeps improving.
// label_shift val/acc1 by hand: 54.67 59.56 59.11 56.89 53.78 57.33 53.78 57.78 54.67 54.67 55.11 53.33 53.78 50.22 52;
// median-5 at epochs 1..3 = 59.11, 56.89, 56.89 -> Hanning at epoch 2 = 59.11/4 + 56.89/2 + 56.89/4 = 57.4..57.6;
// end = median(53.78, 50.22, 52) = 52; first differences' MAD-based noise ~2.6 points.
import rule from '../../rules/target-acc-degrading.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, epochSeries, zigzag } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: best at the last epoch', run: sharedRun('healthy') },
    { name: 'healthy_lightning', run: sharedRun('healthy_lightning') },
    { name: 'strong_disc', run: sharedRun('strong_disc') },
    { name: 'source_only: flat around 49%', run: sharedRun('source_only') },
    { name: 'dh-digits-b1-b: 26.3 best, last three ~22.6 (drop < 5)', run: realLog('dh-digits-b1-b') },
    { name: 'A->W: two epochs', run: realLog('dh-a2w-2ep'), notApplicable: /fewer than 5/ },
    // healthy while it is written (the watcher re-analyses every prefix): its first 5 and 6 val/acc1 lines, read by
    // hand, climb every epoch; a median of the last three lags behind the climb and must not read as a drop
    { name: 'healthy in progress, 5 epochs', run: makeRun({ series: [epochSeries(KEY.valAcc, [48.889, 59.556, 63.111, 67.556, 72.889])] }) },
    { name: 'healthy in progress, 6 epochs', run: makeRun({ series: [epochSeries(KEY.valAcc, [48.889, 59.556, 63.111, 67.556, 72.889, 76.444])] }) },
    // and with its first dip (epoch 7: 78.222 -> 76.889), a single value within the noise
    { name: 'healthy in progress, 8 epochs ending in a dip', run: makeRun({ series: [epochSeries(KEY.valAcc, [48.889, 59.556, 63.111, 67.556, 72.889, 76.444, 78.222, 76.889])] }) },
    // made up: one bad final epoch after a plateau is noise, not a decline
    { name: 'one bad last epoch', run: makeRun({ series: [epochSeries(KEY.valAcc, [50, 60, 70, 72, 73, 72, 73, 60])] }) },
    // made up (the case): swinging 83-97% every epoch for 250 epochs, its luckiest epoch (97.4%) near the end:
    // the level never moved, so nothing degraded
    { name: 'oscillating around a flat level is not degrading', run: makeRun({ series: [epochSeries(KEY.valAcc, zigzag(250, 90, 5, 240, 97.4))] }) },
    // made up: an 8-point drop on a curve whose epoch-to-epoch noise is ~6 points is within its noise
    { name: 'a drop within the noise', run: makeRun({ series: [epochSeries(KEY.valAcc, [70, 80, 72, 84, 70, 78, 66, 77, 68, 74, 64, 75, 66, 72])] }) },
  ],
  invalid: [
    {
      name: 'label_shift: smoothed peak ~57.6 (epoch 2) -> median of 53.778, 50.222, 52.0 (final line 387)',
      run: sharedRun('label_shift'),
      errors: [{ messageId: 'degrading', data: { peak: '57.6', peakEpoch: 2, end: '52', final: '52', k: 3 }, evidence: { series: KEY.valAcc, endLine: 387, from: 2, to: 14 } }],
    },
    // dao-dan-l1: single epochs reach 57.5 (55), 52.9, 52.7 but the smoothed level peaks in the mid-40s near epoch 50
    // and the last five epochs are 38.42 31.55 32.32 37.15 33.33 (median 33.33)
    { name: 'DAN fork: smoothed ~44% around epoch 50 -> 33.3%', run: realLog('dao-dan-l1'), errors: [{ messageId: 'degrading', data: { end: '33.3', k: 5 } }] },
    {
      // made up (the case): best in the very first epoch (29.5%), then 8-17% for the rest of the run, slowly
      // recovering. The first epoch counts as the peak; a rising tail does not hide the drop.
      name: 'peak in the first epoch, never reached again',
      run: makeRun({ series: [epochSeries(KEY.valAcc, [29.5, 12, 9, 15, 8, 13, 11, 14, 10, 12, 15, 9, 13, 16, 12, 14, 11, 15, 16, 17.3])] }),
      errors: [{ messageId: 'degrading', data: { peak: '29.5', peakEpoch: 0, peakWhat: 'the first evaluated epoch, never reached again' } }],
    },
  ],
});
