// discriminator-batchnorm: strong_disc logs disc_batch_norm=True; the others log False or have no discriminator.
import rule from '../../rules/discriminator-batchnorm.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, tllibSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: disc_batch_norm=False', run: sharedRun('healthy'), notApplicable: /no BatchNorm/ },
    { name: 'healthy_lightning: hparams.yaml disc_batch_norm: false', run: sharedRun('healthy_lightning'), notApplicable: /no BatchNorm/ },
    { name: 'source_only has no discriminator', run: sharedRun('source_only'), notApplicable: /no domain discriminator/ },
    // unmodified tllib dann.py: BatchNorm by default, but the domain accuracy (58% after warm-up) shows no harm
    { name: 'tllib default, discriminator not winning', run: realLog('dh-digits-b1-b'), notApplicable: /shows no sign/ },
    { name: 'tllib default, run too short to judge', run: realLog('dh-a2w-2ep'), notApplicable: /no post-warm-up/ },
  ],
  invalid: [
    {
      name: 'strong_disc: disc_batch_norm=True, hidden 2048, 10x lr (Namespace line 1)',
      run: sharedRun('strong_disc'),
      errors: [{ messageId: 'explicit', data: { setting: 'disc_batch_norm=True', extra: ', hidden 2048, 10x discriminator lr' }, evidence: { line: 1 }, causes: ['discriminator-too-strong'] }],
    },
    {
      // made up: unmodified tllib DANN whose discriminator keeps winning after the warm-up
      name: 'tllib default with a winning discriminator',
      run: makeRun({ hyperparameters: {}, series: [tllibSeries(KEY.domainAcc, [95, 92, 90, 85, 84, 86, 85])] }),
      errors: [{ messageId: 'tllibDefault', data: { domainAcc: '85' } }],
    },
  ],
});
