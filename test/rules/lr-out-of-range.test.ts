// lr-out-of-range: diverged's lr=10 (1000x tllib's 0.01); discriminator lr after its multiplier; Adam limits.
import rule from '../../rules/lr-out-of-range.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, makeRun } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: lr=0.01', run: sharedRun('healthy') },
    { name: 'strong_disc: 0.01 x 10 = 0.1 for the discriminator is still trainable', run: sharedRun('strong_disc') },
    { name: 'no lr logged', run: makeRun({ hyperparameters: { lr: null } }), notApplicable: /not logged/ },
  ],
  invalid: [
    { name: 'diverged: lr=10 (line 1)', run: sharedRun('diverged'), errors: [{ messageId: 'tooHigh', data: { setting: 'lr=10', limit: 1 }, evidence: { line: 1 }, causes: ['learning-rate-too-high'] }] },
    { name: 'Adam at 0.1', run: makeRun({ hyperparameters: { lr: 0.1, optimizer: 'Adam' } }), errors: [{ messageId: 'tooHigh', data: { limit: 0.01, optimizer: 'Adam' } }] },
    { name: 'lr=1e-8', run: makeRun({ hyperparameters: { lr: 1e-8 } }), errors: [{ messageId: 'tooLow' }] },
    { name: 'discriminator at 0.5 x 10', run: makeRun({ hyperparameters: { lr: 0.5, disc_lr_mult: 10 } }), errors: [{ messageId: 'discTooHigh', data: { discLr: '5' }, causes: ['learning-rate-mismatch', 'discriminator-too-strong'] }] },
  ],
});
