// run-incomplete: stopped without a final result or traceback; running and crashed runs are someone else's business.
import rule from '../../rules/run-incomplete.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, makeRun, FAKE_LOG } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy finished', run: sharedRun('healthy') },
    { name: 'still running', run: makeRun({ status: 'running' }), notApplicable: /still running/ },
    { name: 'crashed', run: makeRun({ status: 'crashed', crash: { file: FAKE_LOG, type: 'KeyError', message: 'x' } }), notApplicable: /crashed/ },
  ],
  invalid: [
    // made up: log ends after epoch 6 of 20 with no best_acc1 line and no traceback (killed by the scheduler)
    { name: 'killed after 6 of 20 epochs', run: makeRun({ status: 'incomplete', epochsCompleted: 6, hyperparameters: { epochs: 20 } }), errors: [{ messageId: 'incomplete', data: { done: 6, planned: 20 } }] },
  ],
});
