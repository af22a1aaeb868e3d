// Info lint: the best checkpoint was chosen on labelled target data (tllib's validation set is the target test set).
import { createRule } from '../src/engine/create-rule.js';
import { targetValCurveOf, fmt } from '../src/facts/facts.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';

export default createRule({
  meta: {
    id: 'oracle-model-selection',
    description: 'best.pth / best_acc1 are picked on labelled target data (tllib validates on the target test set): an optimistic, oracle estimate.',
    defaultSeverity: 'info',
    needs: ['per-epoch target validation'],
    messages: {
      oracle:
        'best_acc1 {{best}}% (epoch {{bestEpoch}}) was picked with target labels that unsupervised adaptation does not have; the final epoch scored {{final}}% ({{diff}} points)',
    },
    causes: [],
    fixes: ['report the final epoch, or select with a source-side criterion (source validation, DEV, SND)'],
    options: {},
    optionDocs: {},
  },
  check({ run, report }) {
    const curve = targetValCurveOf(run).filter((v) => Number.isFinite(v.value));
    if (curve.length < 2) return { notApplicable: 'fewer than two target validations' };
    let b = 0;
    curve.forEach((v, i) => {
      if (v.value > curve[b].value) b = i;
    });
    const last = curve[curve.length - 1];
    // When the best epoch is the last one, selection changed nothing: the reported number is the final model's.
    if (b === curve.length - 1 || curve[b].value === last.value) return;
    const best = run.bestAcc1 ?? curve[b].value;
    report({
      messageId: 'oracle',
      data: { best: fmt(best), bestEpoch: shownEpoch(curve[b].epoch, run.epochBase), final: fmt(last.value), diff: fmt(last.value - curve[b].value) },
      evidence: [{ file: curve[b].file, ...(curve[b].line !== undefined ? { line: curve[b].line } : {}), from: curve[b].epoch, to: last.epoch, unit: 'epoch', observed: best, note: 'target labels used for model selection' }],
    });
  },
});
