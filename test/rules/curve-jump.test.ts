// curve-jump: dh-digits-b1-b's loss drops from the BCE clamp (~50) to ~0.7 in epoch 21; gradual GRL-driven changes do not count.
import rule from '../../rules/curve-jump.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries, epochSeries, switchedOff } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: domain acc falls 82 -> 55 gradually over the warm-up', run: sharedRun('healthy') },
    { name: 'healthy_lightning', run: sharedRun('healthy_lightning') },
    { name: 'strong_disc: one-epoch loss spikes (epoch 1) are not a level shift', run: sharedRun('strong_disc') },
    { name: 'label_shift', run: sharedRun('label_shift') },
    { name: 'source_only', run: sharedRun('source_only') },
    { name: 'diverged is loss-divergence territory', run: sharedRun('diverged'), notApplicable: /diverged/ },
    { name: 'A->W: 2 epochs are too few', run: realLog('dh-a2w-2ep'), notApplicable: /fewer than 6 epochs/ },
    {
      // made up: a step lr schedule lifting target accuracy by 20 points is the schedule working
      name: 'accuracy rising at an lr step is not a symptom',
      run: makeRun({
        series: [
          epochSeries(KEY.valAcc, [40, 60, 61, 60, 61, 62, 82, 83, 82, 83]),
          epochSeries(KEY.lr, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01]),
        ],
      }),
    },
    // made up (the case): target accuracy climbing 48 -> 58 -> 69 -> 77 -> 88 in its first epochs, then settled:
    // a monotone rise during the warm-up is not a jump
    { name: 'warm-up climb', run: makeRun({ series: [epochSeries(KEY.valAcc, [48, 58, 69, 77, 88, 89, 88, 90, 89, 90, 89, 90])] }) },
    // made up: a steady climb with one larger step continues the trend, it does not leave a stable level
    { name: 'a step that continues a trend', run: makeRun({ series: [epochSeries(KEY.valAcc, [20, 26, 31, 37, 42, 48, 53, 72, 77, 83, 88, 94])] }) },
    // made up: a curve swinging +-10 points; its change point shift of 16 points is under 5x its noise
    { name: 'a noisy curve', run: makeRun({ series: [epochSeries(KEY.clsAcc, [50, 60, 48, 62, 47, 61, 70, 80, 66, 79, 68, 81])] }) },
  ],
  invalid: [
    {
      name: 'dh-digits-b1-b: Loss ~49 (epochs 1-21) -> 0.68 from epoch 22; first value past the midpoint is [21][600] = 6.23 (line 297)',
      run: realLog('dh-digits-b1-b'),
      errors: [{ messageId: 'jump', data: { epoch: 21, before: '49.104', after: '0.678', stable: 21 }, evidence: { series: KEY.loss, from: 1000, line: 31 } }],
    },
    {
      // made up: target accuracy collapses by 30 points in one epoch after a stable stretch
      name: 'target accuracy drops 30 points at epoch 6',
      run: makeRun({ series: [epochSeries(KEY.valAcc, [40, 70, 71, 70, 72, 71, 41, 40, 42, 41])] }),
      errors: [{ messageId: 'jump', data: { epoch: 6, stable: 5, before: '70.8%', after: '41%' } }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'domain accuracy jumps when the GRL ceiling is switched to 0',
      run: switchedOff,
      errors: [{ messageId: 'jump', data: { event: 'the GRL switch at iteration 2400 (hi 1 -> 0; grl_switch_iter=2400, grl_switch_hi=0)' }, causes: ['grl-coefficient-too-low'] }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      // made up: source accuracy drops by 40 points exactly at the first print of epoch 5 (a resumed, wrong checkpoint)
      name: 'a jump at an epoch boundary is named as such',
      run: makeRun({ series: [tllibSeries(KEY.clsAcc, [60, 90, 92, 93, 93, 52, 50, 51, 52, 53])] }),
      errors: [{ messageId: 'jump', data: { epoch: 5, event: 'the epoch boundary (first iteration of epoch 5: a resume, a loader change or per-epoch code)' }, evidence: { series: KEY.clsAcc } }],
    },
  ],
});
