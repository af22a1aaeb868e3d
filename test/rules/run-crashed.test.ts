// run-crashed: a traceback (crash info) or a failed tracker status; finished runs pass.
import rule from '../../rules/run-crashed.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, makeRun, FAKE_LOG } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy finished', run: sharedRun('healthy') },
    { name: 'Lightning run without an end marker is not a crash', run: sharedRun('healthy_lightning') },
  ],
  invalid: [
    {
      // made up: the tllib logger tees stderr, so an OOM traceback ends the log
      name: 'CUDA OOM traceback',
      run: makeRun({ status: 'crashed', epochsCompleted: 3, crash: { file: FAKE_LOG, line: 812, type: 'RuntimeError', message: 'CUDA out of memory. Tried to allocate 20.00 MiB' } }),
      errors: [{ messageId: 'crashed', data: { type: 'RuntimeError', after: ' after 3 completed epochs' }, evidence: { file: FAKE_LOG, line: 812 }, causes: ['crash'] }],
    },
    {
      // an exception raised without a message: no dangling colon
      name: 'AttributeError with an empty message',
      run: makeRun({ status: 'crashed', crash: { file: FAKE_LOG, line: 40, type: 'AttributeError', message: '' } }),
      errors: [{ messageId: 'crashedNoMessage', data: { type: 'AttributeError' }, evidence: { file: FAKE_LOG, line: 40 } }],
    },
    { name: 'MLflow FAILED without text', run: makeRun({ status: 'failed', formats: ['mlflow'] }), errors: [{ messageId: 'failed', data: { status: 'failed' } }] },
  ],
});
