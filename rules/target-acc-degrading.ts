// Rule: target (validation) accuracy ends well below its smoothed peak, judged against the curve's own noise.
import { createRule } from '../src/engine/create-rule.js';
import { KEY } from '../src/model/metric-keys.js';
import { targetCurveFactsOf, divergenceOf, fmt, DEGRADATION, OSCILLATION } from '../src/facts/facts.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';

export default createRule({
  meta: {
    id: 'target-acc-degrading',
    description: 'Target (validation) accuracy ends well below its smoothed peak, by more than its own epoch-to-epoch noise: negative transfer over time.',
    defaultSeverity: 'warn',
    needs: [KEY.valAcc],
    messages: {
      degrading:
        'target accuracy fell from {{peak}}% ({{peakWhat}}, epoch {{peakEpoch}}) to {{end}}% (median of the last {{k}} epochs, final {{final}}%): a drop of {{drop}} points, {{against}}',
    },
    causes: [
      { id: 'class-imbalance-or-label-shift', weight: 0.35 },
      { id: 'conditional-shift', weight: 0.35 },
      { id: 'trade-off-too-high', weight: 0.25 },
      { id: 'discriminator-too-strong', weight: 0.15 },
    ],
    fixes: ['compare per-class target accuracy at the peak and at the end to see which classes were pulled away', 'lower trade_off or stop earlier using a source-side criterion', 'class-aware alignment (CDAN, importance weighting) when label distributions differ'],
    options: { minDrop: DEGRADATION.minDrop, minZ: DEGRADATION.minZ, minEpochs: DEGRADATION.minEpochs },
    optionDocs: {
      minDrop:
        'The smoothed peak (running median + Hanning, so one lucky epoch is not a peak) must exceed the end level by 3 points: the gap between adaptation methods on standard benchmarks is 1-3 points, so losing 3 to longer training matters. Whether the drop is more than noise is minZ\'s job.',
      minZ:
        'The drop must also be 2.5x its own noise: the epoch-to-epoch noise (MAD of first differences) scaled to the difference of two levels averaged over a few epochs. A one-sided 2.5-sigma gap arises from noise alone about once in 160 comparisons. A peak in the first epoch counts: a target accuracy that only falls has no warm-up.',
      minEpochs: 'At least 5 evaluated epochs to tell a peak from noise.',
    },
  },
  check({ run, options, report }) {
    const facts = targetCurveFactsOf(run, options, { ...OSCILLATION, minEpochs: options.minEpochs });
    if (!facts || facts.curve.length < options.minEpochs) return { notApplicable: `fewer than ${options.minEpochs} per-epoch target accuracies` };
    if (divergenceOf(run)) return { notApplicable: 'the losses diverged; see loss-divergence' };
    if (!facts.degrading) return;
    const { curve, peak, model } = facts;
    const p = curve[peak.peakIndex];
    const last = curve[curve.length - 1];
    const first = peak.peakIndex === 0;
    report({
      messageId: 'degrading',
      data: {
        peak: fmt(peak.peakLevel),
        peakWhat: first ? 'the first evaluated epoch, never reached again' : 'smoothed peak',
        peakEpoch: shownEpoch(p.epoch, run.epochBase),
        end: fmt(peak.endLevel),
        k: peak.endCount,
        final: fmt(last.value),
        drop: fmt(peak.drop),
        z: Number.isFinite(peak.z) ? fmt(peak.z) : 'inf',
        noise: fmt(model.sigma),
        against: Number.isFinite(peak.z) ? `${fmt(peak.z)}x its noise (epoch-to-epoch noise ${fmt(model.sigma)} points)` : 'on a curve with no epoch-to-epoch noise',
      },
      evidence: [
        {
          file: p.file, series: run.series[KEY.valAcc] ? KEY.valAcc : 'evaluations', from: p.epoch, to: last.epoch, unit: 'epoch',
          ...(p.line !== undefined ? { line: p.line } : {}), ...(last.line !== undefined ? { endLine: last.line } : {}),
          observed: Number(peak.drop.toFixed(2)), threshold: `drop >= ${options.minDrop} points and >= ${options.minZ}x noise`,
          note: `peak ${fmt(peak.peakLevel, 2)} at epoch ${shownEpoch(p.epoch, run.epochBase)}, end ${fmt(peak.endLevel, 2)} over epochs ${shownEpoch(curve[peak.endFrom].epoch, run.epochBase)}..${shownEpoch(last.epoch, run.epochBase)}`,
        },
      ],
    });
  },
});
