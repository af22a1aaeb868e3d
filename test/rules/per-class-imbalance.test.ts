// per-class-imbalance: label_shift's final per-class table (9.1%..100%, lines 388-404) vs the even tables of healthy runs.
import rule from '../../rules/per-class-imbalance.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, realLog, makeRun, FAKE_LOG } from './runs.js';
import type { EvalResults, DomainEval } from '../../src/model/types.js';

// truth.json per-class target accuracy of healthy and source_only (percent), for re-evaluation cases
const HEALTHY = [100.0, 69.57, 95.45, 86.96, 91.3, 82.61, 100.0, 63.64, 68.18, 100.0];
const LABEL_SHIFT = [45.45, 30.43, 50.0, 60.87, 30.43, 78.26, 100.0, 9.09, 27.27, 86.36];

function domainEval(perClassAcc: number[]): DomainEval {
  return { n: 225, accuracy: 0, perClassAcc, confusion: [], predHistogram: [], labelHistogram: [], predEntropyNorm: 1, predictionsFrom: 'logits' };
}
function evalWith(target: number[], source?: number[]): EvalResults {
  return { backend: 'test', backendReason: 'test', numClasses: target.length, target: domainEval(target), ...(source ? { source: domainEval(source) } : {}), seconds: 0, notes: [] };
}

ruleTester(rule, {
  valid: [
    { name: 'healthy without tables', run: sharedRun('healthy'), notApplicable: /no per-class/ },
    { name: 'source_only is the unadapted baseline', run: sharedRun('source_only'), notApplicable: /source-only/ },
    { name: 'healthy re-evaluated (63.6%..100%, CV 0.16)', run: makeRun({ eval: evalWith(HEALTHY), features: { path: '/fake/run/features.npz', arrays: [] } }) },
    { name: 'threshold is an option', run: sharedRun('label_shift'), options: { minCv: 0.6 } },
  ],
  invalid: [
    {
      name: 'label_shift: epoch-14 table, class 7 at 9.1%',
      run: sharedRun('label_shift'),
      errors: [{ messageId: 'uneven', data: { min: '9.1', max: '100', low: '7 - seven' }, evidence: { line: 388, endLine: 404, from: 14, to: 14 } }],
    },
    {
      name: 'DAN fork with --per-class-eval (3 classes, one at 1.3%)',
      run: realLog('dao-dan-l1'),
      errors: [{ messageId: 'uneven', data: { low: 'Video on-demand' } }],
    },
    {
      name: 'label_shift numbers from re-evaluation',
      run: makeRun({ eval: evalWith(LABEL_SHIFT), features: { path: '/fake/run/features.npz', arrays: [] } }),
      errors: [{ messageId: 'uneven', data: { min: '9.1', max: '100', where: 're-evaluated final model' }, evidence: { file: '/fake/run/features.npz' } }],
    },
    {
      // made up: the source is uneven too, so the classes are not learned at all
      name: 'source uneven as well',
      run: makeRun({ eval: evalWith(LABEL_SHIFT, [100, 20, 90, 95, 30, 99, 100, 10, 90, 95]), files: [FAKE_LOG] }),
      errors: [{ messageId: 'sourceToo', causes: ['insufficient-capacity-or-underfit', 'class-imbalance-or-label-shift'] }],
    },
  ],
});
