// Rule: domain accuracy or target accuracy swinging back and forth from epoch to epoch, against its own trend.
import { createRule } from '../src/engine/create-rule.js';
import type { Series } from '../src/model/types.js';
import { KEY } from '../src/model/metric-keys.js';
import { swing } from '../src/signals/noise.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';
import {
  epochMeansOf, seriesOf, postWarmupEpochs, divergenceOf, targetCurveFactsOf, epochEvidence, fmt, noiseOf, isOscillating, OSCILLATION, DEGRADATION,
} from '../src/facts/facts.js';

export default createRule({
  meta: {
    id: 'oscillation',
    description: 'Domain accuracy or target accuracy swings back and forth epoch to epoch, by far more than its trend moves, instead of settling.',
    defaultSeverity: 'warn',
    needs: [KEY.domainAcc, KEY.valAcc],
    messages: {
      domain:
        'domain accuracy swings {{swing}} points epoch to epoch (median, direction reversing {{reversals}}% of the time, while its smoothed level moves {{trend}} points per epoch) over epochs {{from}}..{{to}} after the GRL warm-up: the adversarial game is not settling',
      target:
        'target accuracy is oscillating: it swings {{swing}} points epoch to epoch (median, direction reversing {{reversals}}% of the time, while its smoothed level moves {{trend}} points per epoch) over epochs {{from}}..{{to}}; its best epoch ({{best}}% at epoch {{bestEpoch}}) is a lucky draw of the swings, not a peak (it ends at {{level}}%, median of the last {{k}} epochs)',
    },
    causes: [
      { id: 'learning-rate-too-high', weight: 0.4 },
      { id: 'discriminator-too-strong', weight: 0.25 },
      { id: 'trade-off-too-high', weight: 0.3 },
    ],
    fixes: ['lower the lr (or the discriminator lr multiplier)', 'lower trade_off, or ramp the GRL more slowly', 'select the model by a smoothed validation curve, not a single epoch'],
    options: { ...OSCILLATION },
    optionDocs: {
      domainSwing:
        'An epoch mean of domain accuracy averages hundreds of batches, so its sampling noise is well under a point; a settled DANN moves 1-3 points per epoch. A median swing of 8 points is the game flipping back and forth.',
      targetSwing:
        'Epoch-to-epoch noise of a target accuracy measured on n samples is about sqrt(2 p(1-p)/n): ~4.7 points for n = 225, ~1.6 for n = 2000. A median swing of 6 points is beyond test-set noise for all but tiny target sets.',
      minReversalRate: 'Half of the epoch-to-epoch moves must reverse direction: a zig-zag, not a trend.',
      overTrend:
        'The spread around the smoothed level (running median + Hanning) must be at least twice the level\'s per-epoch move: the back-and-forth, not a climb or a fall, is what the curve does (a staircase climb reverses every epoch too, but its level moves more than it wobbles).',
      minEpochs: 'Five epochs after the warm-up give four swings, the fewest on which a median means anything.',
    },
  },
  check({ run, options, report }) {
    const dom = seriesOf(run, KEY.domainAcc);
    const facts = targetCurveFactsOf(run, DEGRADATION, options);
    if (!dom && !facts) return { notApplicable: 'no domain accuracy and no per-epoch target accuracy' };
    const div = divergenceOf(run);
    if (div) return { notApplicable: `the losses diverged (${div.series.key}); see loss-divergence` };
    let checked = false;
    if (dom) {
      const all = epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean));
      const ems = postWarmupEpochs(run, dom, all).epochs;
      const values = ems.map((e) => e.mean);
      const s = ems.length >= options.minEpochs ? swing(values, noiseOf(run, `${KEY.domainAcc}:post-warmup`, values)) : null;
      if (s) {
        checked = true;
        if (isOscillating(s, options.domainSwing, options)) {
          report({
            messageId: 'domain',
            data: { swing: fmt(s.medianSwing), reversals: Math.round(s.reversalRate * 100), trend: fmt(s.trendStep), from: shownEpoch(ems[0].epoch, run.epochBase), to: shownEpoch(ems[ems.length - 1].epoch, run.epochBase) },
            evidence: [epochEvidence(dom, ems, Number(s.medianSwing.toFixed(2)), `median swing >= ${options.domainSwing} points and >= ${options.overTrend}x the trend's step`)],
          });
        }
      }
    }
    if (facts?.swing) {
      checked = true;
      if (facts.oscillating) {
        const { curve, swing: s, peak, model } = facts;
        const judged = curve.slice(model.warmupEnd);
        const best = curve[peak.bestIndex];
        const last = curve[curve.length - 1];
        const sr = seriesOf(run, KEY.valAcc) as Series | undefined;
        report({
          messageId: 'target',
          data: {
            swing: fmt(s.medianSwing), reversals: Math.round(s.reversalRate * 100), trend: fmt(s.trendStep), from: shownEpoch(judged[0].epoch, run.epochBase), to: shownEpoch(last.epoch, run.epochBase),
            best: fmt(best.value), bestEpoch: shownEpoch(best.epoch, run.epochBase), level: fmt(peak.endLevel), k: peak.endCount,
          },
          evidence: [
            {
              file: sr?.file ?? judged[0].file, series: sr?.key ?? KEY.valAcc, from: judged[0].epoch, to: last.epoch, unit: 'epoch',
              ...(judged[0].line !== undefined ? { line: judged[0].line } : {}), ...(last.line !== undefined ? { endLine: last.line } : {}),
              observed: Number(s.medianSwing.toFixed(2)), threshold: `median swing >= ${options.targetSwing} points and >= ${options.overTrend}x the trend's step`,
            },
          ],
        });
      }
    }
    if (!checked) return { notApplicable: `fewer than ${options.minEpochs} epochs to judge swings` };
  },
});
