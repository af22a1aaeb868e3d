// tiny-batch-batchnorm: batch size below 8 with known BatchNorm layers.
import rule from '../../rules/tiny-batch-batchnorm.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: batch_size=32', run: sharedRun('healthy') },
    { name: 'A->W: batch_size=16', run: realLog('dh-a2w-2ep') },
    { name: 'no batch size logged', run: makeRun({ hyperparameters: { batch_size: null } }), notApplicable: /not logged/ },
    // made up: a BN-free model (non-tllib, no checkpoint facts) with batch 2
    { name: 'batch 2 but no BatchNorm known', run: makeRun({ formats: ['csv'], algorithm: 'unknown', hyperparameters: { batch_size: 2, arch: 'vit_small' } }), notApplicable: /no BatchNorm/ },
  ],
  invalid: [
    {
      name: 'DAN fork: batch_size=4 with a ResNet-50 backbone (8 samples per forward)',
      run: realLog('dao-dan-l1'),
      errors: [{ messageId: 'tiny', data: { setting: 'batch_size=4', perForward: '8 (source + target)' }, evidence: { line: 1 } }],
    },
    {
      // made up: batch 1 in tllib DANN: bottleneck BN1d and discriminator BN see 2 samples
      name: 'tllib DANN with batch_size=1',
      run: makeRun({ hyperparameters: { batch_size: 1 } }),
      errors: [{ messageId: 'tiny', data: { setting: 'batch_size=1', perForward: '2 (source + target)' }, causes: ['tiny-batch-batchnorm'] }],
    },
  ],
});
