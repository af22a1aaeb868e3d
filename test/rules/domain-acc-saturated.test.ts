// domain-acc-saturated: only epoch means after the GRL warm-up count; the real strong_disc run must NOT be called saturated.
import rule from '../../rules/domain-acc-saturated.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy settles at ~55%', run: sharedRun('healthy') },
    { name: 'healthy_lightning (per-step fractions, mean of values)', run: sharedRun('healthy_lightning') },
    // BatchNorm, hidden 2048, 10x lr: the configuration is strong but the numbers settle at 55%
    { name: 'strong_disc: strong config, GRL still wins', run: sharedRun('strong_disc') },
    { name: 'source_only has no discriminator', run: sharedRun('source_only'), notApplicable: /no domain/ },
    { name: 'A->W ended (2000 it) before the warm-up (~2944)', run: realLog('dh-a2w-2ep'), notApplicable: /before the GRL warm-up/ },
    {
      // made up: 95% in the first 3 epochs is the warm-up (lambda < 0.9), then it settles: healthy
      name: 'high only during the warm-up',
      run: makeRun({ series: [tllibSeries(KEY.domainAcc, [95, 93, 91, 65, 58, 56, 55])] }),
    },
    {
      // made up: a slower GRL (grl_max_iters=5000 -> warm-up ~14700 it) makes epochs 3..9 still warm-up
      name: 'grl_max_iters moves the warm-up end',
      run: makeRun({ hyperparameters: { grl_max_iters: 5000, epochs: 20 }, series: [tllibSeries(KEY.domainAcc, [97, 97, 96, 96, 95, 95, 94, 93, 92, 91, 88, 80, 70, 65, 60, 58])] }),
    },
  ],
  invalid: [
    {
      // made up: the discriminator wins after the warm-up, epochs 3..9 at 96-99%
      name: 'pinned near 100% after the warm-up',
      run: makeRun({ series: [tllibSeries(KEY.domainAcc, [90, 95, 97, 98, 98, 99, 99, 98, 99, 99])] }),
      errors: [{ messageId: 'saturated', data: { epochs: 7, level: 90, warmupStep: 2944, lambda: '0.9', mean: '98.6' }, evidence: { series: KEY.domainAcc, from: 3000, to: 9900 } }],
    },
    {
      name: 'level is an option',
      run: sharedRun('strong_disc'),
      options: { level: 55 },
      errors: [{ messageId: 'saturated', data: { level: 55, epochs: 1 } }],
    },
  ],
});

// made up: TensorBoard-style scalars by global step, no epoch numbers and no iters_per_epoch: pseudo-epochs of 1000
ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'no epoch structure: 1000-iteration pseudo-epochs',
      run: () => {
        const s = tllibSeries(KEY.domainAcc, [96, 97, 98, 98, 99, 99]);
        for (const p of s.points) {
          delete p.epoch;
          delete p.avg;
        }
        return makeRun({ itersPerEpoch: undefined, hyperparameters: { iters_per_epoch: null }, formats: ['tfevents'], series: [s] });
      },
      errors: [{ messageId: 'saturated', data: { epochs: 3 } }],
    },
  ],
});

// made up: a DANN run that logs only its losses (no Domain Acc): the BCE transfer loss falls to ~0.05 after the warm-up
ruleTester(rule, {
  valid: [
    { name: 'transfer loss near ln 2 (healthy game)', run: makeRun({ series: [tllibSeries(KEY.transferLoss, [0.6, 0.66, 0.68, 0.69, 0.69, 0.69])] }) },
    { name: 'DAN: its transfer loss is an MMD, not a BCE', run: makeRun({ algorithm: 'dan', series: [tllibSeries(KEY.transferLoss, [0.1, 0.05, 0.05, 0.04, 0.04, 0.04])] }), notApplicable: /no domain/ },
  ],
  invalid: [
    {
      name: 'transfer loss saturated after the warm-up',
      run: makeRun({ series: [tllibSeries(KEY.transferLoss, [0.3, 0.15, 0.08, 0.05, 0.05, 0.04])] }),
      errors: [{ messageId: 'lossSaturated', data: { epochs: 3, lossLevel: 0.2 }, evidence: { series: KEY.transferLoss, from: 3000 } }],
    },
  ],
});
