// trade-off-extreme: effective adversarial weight trade_off x grl_hi outside [0.05, 10].
import rule from '../../rules/trade-off-extreme.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: trade_off=1.0', run: sharedRun('healthy') },
    { name: 'A->W: lambda reached 0.76 after 2 epochs, weight 0.76 is fine', run: realLog('dh-a2w-2ep') },
    { name: 'trade_off=0.1 is a legitimate setting', run: makeRun({ hyperparameters: { trade_off: 0.1 } }) },
    { name: 'strong_disc: trade_off=1.0', run: sharedRun('strong_disc') },
    { name: 'source_only logs no trade-off', run: sharedRun('source_only'), notApplicable: /no trade-off/ },
    { name: 'trade_off=0 is a source-only run', run: makeRun({ hyperparameters: { trade_off: 0 } }), notApplicable: /source-only/ },
  ],
  invalid: [
    { name: 'trade_off=0.01', run: makeRun({ hyperparameters: { trade_off: 0.01 } }), errors: [{ messageId: 'tooLow', data: { setting: 'trade_off=0.01', effective: '0.01' }, evidence: { line: 1 }, causes: ['grl-coefficient-too-low'] }] },
    { name: 'trade_off=1 but grl_hi=0.02', run: makeRun({ hyperparameters: { grl_hi: 0.02 } }), errors: [{ messageId: 'tooLow', data: { setting: 'trade_off=1, GRL hi 0.02', effective: '0.02' } }] },
    { name: 'trade_off=30', run: makeRun({ hyperparameters: { trade_off: 30 } }), errors: [{ messageId: 'tooHigh', causes: ['trade-off-too-high'] }] },
    { name: 'trade_off=10', run: makeRun({ hyperparameters: { trade_off: 10 } }), errors: [{ messageId: 'tooHigh', data: { effective: '10' } }] },
    {
      // made up: a ramp 100x slower than tllib's: lambda(10000) = tanh(10000/200000) = 0.05
      name: 'grl_max_iters=100000: the reversal never ramps up',
      run: makeRun({ hyperparameters: { grl_max_iters: 100000 } }),
      errors: [{ messageId: 'tooLow', data: { effective: '0.05', setting: "trade_off=1, GRL coefficient only 0.05 after 10000 iterations (hyperparameters (grl_max_iters=100000))" } }],
    },
    { name: 'string values from a YAML/CLI are read', run: makeRun({ hyperparameters: { 'trade-off': '0.001', trade_off: null } }), errors: [{ messageId: 'tooLow' }] },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'GRL ceiling switched to 0 mid-run',
      run: makeRun({ hyperparameters: { grl_switch_iter: 2400, grl_switch_hi: 0 } }),
      errors: [{ messageId: 'tooLow', data: { effective: '0' }, causes: ['grl-coefficient-too-low'] }],
    },
    {
      name: 'GRL ceiling switched to 30 mid-run',
      run: makeRun({ hyperparameters: { grl_switch_iter: 2400, grl_switch_hi: 30 } }),
      errors: [{ messageId: 'tooHigh', causes: ['trade-off-too-high'] }],
    },
  ],
});
