// grl-warmup-horizon: the GRL ramp tanh(i/2000) must reach 0.9 (2944 iterations) within the run.
import rule from '../../rules/grl-warmup-horizon.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: 15 x 300 = 4500 iterations, lambda 0.98', run: sharedRun('healthy') },
    { name: 'strong_disc: 10 x 300 = 3000 iterations, lambda 0.905', run: sharedRun('strong_disc') },
    { name: 'healthy_lightning: schedule from hparams.yaml', run: sharedRun('healthy_lightning') },
    { name: 'source_only has no GRL', run: sharedRun('source_only'), notApplicable: /no GRL/ },
  ],
  invalid: [
    {
      name: 'A->W: 2 x 1000 = 2000 iterations, lambda tanh(1) = 0.76',
      run: realLog('dh-a2w-2ep'),
      errors: [{ messageId: 'neverReached', data: { final: '0.76', total: 2000, needed: 2944 }, causes: ['grl-coefficient-too-low'] }],
    },
    {
      name: 'grl_max_iters=10000 over 20k iterations',
      run: makeRun({ hyperparameters: { grl_max_iters: 10000, epochs: 20 } }),
      errors: [{ messageId: 'neverReached', data: { final: '0.76', needed: 29444 } }],
    },
  ],
});
