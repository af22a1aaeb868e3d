// trade-off-extreme: effective adversarial weight trade_off x grl_hi outside [0.05, 10].
import rule from '../../rules/trade-off-extreme.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, makeRun } from './runs.js';

ruleTester(rule, {
  valid: [
    { name: 'healthy: trade_off=1.0', run: sharedRun('healthy') },
    { name: 'strong_disc: trade_off=1.0', run: sharedRun('strong_disc') },
    { name: 'source_only logs no trade-off', run: sharedRun('source_only'), notApplicable: /no trade-off/ },
    { name: 'trade_off=0 is a source-only run', run: makeRun({ hyperparameters: { trade_off: 0 } }), notApplicable: /source-only/ },
  ],
  invalid: [
    { name: 'trade_off=0.01', run: makeRun({ hyperparameters: { trade_off: 0.01 } }), errors: [{ messageId: 'tooLow', data: { setting: 'trade_off=0.01', effective: '0.01' }, evidence: { line: 1 }, causes: ['grl-coefficient-too-low'] }] },
    { name: 'trade_off=1 but grl_hi=0.02', run: makeRun({ hyperparameters: { grl_hi: 0.02 } }), errors: [{ messageId: 'tooLow', data: { setting: 'trade_off=1 with grl_hi=0.02' } }] },
    { name: 'trade_off=30', run: makeRun({ hyperparameters: { trade_off: 30 } }), errors: [{ messageId: 'tooHigh', causes: ['trade-off-too-high'] }] },
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
