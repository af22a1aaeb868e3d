// target-prediction-collapse: from re-evaluation histograms (truth.json) or a per-class table; needs predictions.
import rule from '../../rules/target-prediction-collapse.js';
import { ruleTester } from './rule-tester.js';
import { sharedRun, makeRun, FAKE_LOG } from './runs.js';
import type { EvalResults } from '../../src/model/types.js';

function entropyNorm(h: number[]): number {
  const n = h.reduce((a, b) => a + b, 0);
  return -h.filter((c) => c > 0).reduce((a, c) => a + (c / n) * Math.log(c / n), 0) / Math.log(h.length);
}
function evalWith(pred: number[], labels: number[]): EvalResults {
  return {
    backend: 'test', backendReason: 'test', numClasses: pred.length, seconds: 0, notes: [],
    target: { n: 225, accuracy: 0, perClassAcc: [], confusion: [], predHistogram: pred, labelHistogram: labels, predEntropyNorm: entropyNorm(pred), predictionsFrom: 'logits' },
  };
}
// truth.json: target_pred_histogram / target_label_histogram
const LABELS = [22, 23, 22, 23, 23, 23, 23, 22, 22, 22];
const DIVERGED = [0, 0, 0, 0, 0, 0, 0, 0, 225, 0];
const LABEL_SHIFT = [10, 13, 12, 35, 11, 25, 34, 20, 23, 42];
const SOURCE_ONLY = [20, 6, 6, 9, 58, 50, 13, 9, 10, 44];

ruleTester(rule, {
  valid: [
    // healthy log alone: target 85.8% (truth.json), 10 classes from the checkpoint: far above chance
    { name: 'no predictions, no table, target far above chance', run: sharedRun('healthy') },
    { name: 'no predictions, no table, no class count', run: makeRun({ evaluations: [{ file: FAKE_LOG, line: 9, phase: 'val', domain: 'target', epoch: 0, acc1: 10 }] }), notApplicable: /number of classes is unknown/ },
    // 2 classes: chance 50%, margin min(5, max(1, 25)) = 5 points -> 56% is not at chance
    { name: 'binary target at 56%', run: makeRun({ hyperparameters: { num_classes: 2 }, evaluations: [{ file: FAKE_LOG, line: 9, phase: 'val', domain: 'target', epoch: 0, acc1: 56 }] }) },
    { name: 'label_shift per-class table is uneven, not collapsed', run: sharedRun('label_shift') },
    { name: 'label_shift predictions (entropy 0.96)', run: makeRun({ eval: evalWith(LABEL_SHIFT, LABELS) }) },
    { name: 'source_only predictions (26% in one class)', run: makeRun({ eval: evalWith(SOURCE_ONLY, LABELS) }) },
    { name: 'concentrated labels explain concentrated predictions', run: makeRun({ eval: evalWith([5, 5, 150], [5, 5, 150]) }) },
  ],
  invalid: [
    {
      name: 'diverged: all 225 target predictions in class 8',
      run: makeRun({ eval: evalWith(DIVERGED, LABELS), features: { path: '/fake/run/features.npz', arrays: [] } }),
      errors: [{ messageId: 'collapsed', data: { top: '8', share: '100', entropy: '0' }, evidence: { file: '/fake/run/features.npz' } }],
    },
    {
      // made up: a logged per-class table where one class takes every sample
      name: 'per-class table with one class at 100%',
      run: makeRun({
        perClass: [{ file: FAKE_LOG, line: 50, endLine: 60, domain: 'target', origin: 'log', phase: 'val', epoch: 3, rows: [0, 0, 0, 100, 0, 1.5, 0].map((acc, i) => ({ name: `c${i}`, acc })) }],
      }),
      errors: [{ messageId: 'tableCollapsed', data: { top: 'c3', zero: 6, classes: 7 }, evidence: { line: 50, endLine: 60 } }],
    },
  ],
});

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      // the diverged log alone: last target validation " * Acc@1 9.778" (epoch 14), 10 classes (checkpoint head)
      name: 'diverged from the log alone: target at chance level is a collapse, blamed on the lr',
      run: sharedRun('diverged'),
      errors: [{ messageId: 'atChance', data: { acc: '9.8', classes: 10, chance: '10' }, causes: ['learning-rate-too-high', 'trade-off-too-high'] }],
    },
    {
      name: 'binary target at 55%: at chance (50% + 5 points)',
      run: makeRun({ hyperparameters: { num_classes: 2 }, evaluations: [{ file: FAKE_LOG, line: 9, phase: 'val', domain: 'target', epoch: 0, acc1: 55 }] }),
      errors: [{ messageId: 'atChance', data: { acc: '55', classes: 2, chance: '50' }, evidence: { line: 9 } }],
    },
    {
      name: 'diverged re-evaluated: the collapse is blamed on the lr',
      run: async () => ({ ...(await sharedRun('diverged')()), eval: evalWith(DIVERGED, LABELS) }),
      errors: [{ messageId: 'collapsed', causes: ['learning-rate-too-high', 'trade-off-too-high'] }],
    },
  ],
});
