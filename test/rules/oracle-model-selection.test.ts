// oracle-model-selection: best_acc1 picked on labelled target data, reported when it differs from the final epoch.
import rule from '../../rules/oracle-model-selection.js';
import { KEY } from '../../src/model/metric-keys.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, makeRun, epochSeries } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: best is the last epoch, selection changed nothing', run: sharedRun('healthy') },
    { name: 'one evaluation', run: makeRun({ series: [epochSeries(KEY.valAcc, [50])] }), notApplicable: /fewer than two/ },
  ],
  invalid: [
    {
      name: 'label_shift: best_acc1 59.6 at epoch 1 (line 49), final 52.0',
      run: sharedRun('label_shift'),
      errors: [{ messageId: 'oracle', data: { best: '59.6', bestEpoch: 1, final: '52', diff: '-7.6' }, evidence: { line: 49, from: 1, to: 14 } }],
    },
  ],
});
