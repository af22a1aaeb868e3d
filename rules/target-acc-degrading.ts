// Rule: target (validation) accuracy peaks early and then falls: negative transfer over time.
import { createRule } from '../src/engine/create-rule.js';
import { KEY } from '../src/model/metric-keys.js';
import { theilSen } from '../src/signals/trend.js';
import { targetValCurveOf, divergenceOf, fmt } from './support/facts.js';

export default createRule({
  meta: {
    id: 'target-acc-degrading',
    description: 'Target (validation) accuracy falls during training after an early peak: negative transfer over time.',
    defaultSeverity: 'warn',
    needs: [KEY.valAcc],
    messages: {
      degrading:
        'target accuracy fell from {{best}}% (epoch {{bestEpoch}}) to {{tail}}% (mean of the last {{k}} epochs, final {{final}}%), a drop of {{drop}} points with a downward trend of {{slope}} points/epoch since the peak',
    },
    causes: [
      { id: 'class-imbalance-or-label-shift', weight: 0.35 },
      { id: 'conditional-shift', weight: 0.35 },
      { id: 'trade-off-too-high', weight: 0.25 },
      { id: 'discriminator-too-strong', weight: 0.15 },
    ],
    fixes: ['compare per-class target accuracy at the peak and at the end to see which classes were pulled away', 'lower trade_off or stop earlier using a source-side criterion', 'class-aware alignment (CDAN, importance weighting) when label distributions differ'],
    options: { minDrop: 5, tailEpochs: 3, minEpochs: 5 },
    optionDocs: {
      minDrop:
        'Best minus the mean of the last epochs of at least 5 points. The best epoch is a maximum of noisy values, so it sits ~1-2 SE above the truth; 5 points exceeds that for target sets of a few hundred samples and more.',
      tailEpochs: 'The end level is the mean of the last 3 epochs, so one unlucky final epoch does not count as a decline.',
      minEpochs: 'At least 5 evaluated epochs to tell a peak from the start of training.',
    },
  },
  check({ run, options, report }) {
    const curve = targetValCurveOf(run).filter((v) => Number.isFinite(v.value));
    if (curve.length < options.minEpochs) return { notApplicable: `fewer than ${options.minEpochs} per-epoch target accuracies` };
    if (divergenceOf(run)) return { notApplicable: 'the losses diverged; see loss-divergence' };
    let b = 0;
    curve.forEach((v, i) => {
      if (v.value > curve[b].value) b = i;
    });
    const k = Math.min(options.tailEpochs, curve.length - 1);
    if (b >= curve.length - k) return;
    const tail = curve.slice(curve.length - k);
    const tailMean = tail.reduce((a, v) => a + v.value, 0) / tail.length;
    const drop = curve[b].value - tailMean;
    if (drop < options.minDrop) return;
    const since = curve.slice(b);
    const tr = theilSen(since.map((v) => v.epoch), since.map((v) => v.value));
    if (!tr || tr.slope >= 0) return;
    const last = curve[curve.length - 1];
    report({
      messageId: 'degrading',
      data: { best: fmt(curve[b].value), bestEpoch: curve[b].epoch, tail: fmt(tailMean), k, final: fmt(last.value), drop: fmt(drop), slope: fmt(tr.slope, 2) },
      evidence: [
        {
          file: curve[b].file, series: run.series[KEY.valAcc] ? KEY.valAcc : 'evaluations', from: curve[b].epoch, to: last.epoch, unit: 'epoch',
          ...(curve[b].line !== undefined ? { line: curve[b].line } : {}), ...(last.line !== undefined ? { endLine: last.line } : {}),
          observed: Number(drop.toFixed(2)), threshold: `drop >= ${options.minDrop} points`,
        },
      ],
    });
  },
});
