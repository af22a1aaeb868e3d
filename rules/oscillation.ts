// Rule: domain accuracy or target accuracy swinging widely from epoch to epoch.
import { createRule } from '../src/engine/create-rule.js';
import type { Series } from '../src/model/types.js';
import { KEY } from '../src/model/metric-keys.js';
import { oscillation } from '../src/signals/oscillation.js';
import { epochMeansOf, seriesOf, postWarmupEpochs, divergenceOf, targetValCurveOf, epochEvidence, fmt } from './support/facts.js';

export default createRule({
  meta: {
    id: 'oscillation',
    description: 'Domain accuracy or target accuracy swings widely epoch to epoch instead of settling.',
    defaultSeverity: 'warn',
    needs: [KEY.domainAcc, KEY.valAcc],
    messages: {
      domain:
        'domain accuracy swings {{swing}} points epoch to epoch (median, direction reversing {{reversals}}% of the time) over epochs {{from}}..{{to}} after the GRL warm-up: the adversarial game is not settling',
      target:
        'target accuracy swings {{swing}} points epoch to epoch (median, direction reversing {{reversals}}% of the time) over epochs {{from}}..{{to}}: the target decision boundary is unstable',
    },
    causes: [
      { id: 'learning-rate-too-high', weight: 0.4 },
      { id: 'discriminator-too-strong', weight: 0.25 },
      { id: 'trade-off-too-high', weight: 0.3 },
    ],
    fixes: ['lower the lr (or the discriminator lr multiplier)', 'lower trade_off, or ramp the GRL more slowly', 'select the model by a smoothed validation curve, not a single epoch'],
    options: { domainSwing: 8, targetSwing: 6, minReversalRate: 0.5, minEpochs: 5 },
    optionDocs: {
      domainSwing:
        'An epoch mean of domain accuracy averages hundreds of batches, so its sampling noise is well under a point; a settled DANN moves 1-3 points per epoch. A median swing of 8 points is the game flipping back and forth.',
      targetSwing:
        'Epoch-to-epoch noise of a target accuracy measured on n samples is about sqrt(2 p(1-p)/n): ~4.7 points for n = 225, ~1.6 for n = 2000. A median swing of 6 points is beyond test-set noise for all but tiny target sets.',
      minReversalRate: 'Half of the epoch-to-epoch moves must reverse direction: a zig-zag, not a trend.',
      minEpochs: 'Five epochs give four swings, the fewest on which a median means anything.',
    },
  },
  check({ run, options, report }) {
    const dom = seriesOf(run, KEY.domainAcc);
    const val = targetValCurveOf(run);
    if (!dom && val.length === 0) return { notApplicable: 'no domain accuracy and no per-epoch target accuracy' };
    const div = divergenceOf(run);
    if (div) return { notApplicable: `the losses diverged (${div.series.key}); see loss-divergence` };
    let checked = false;
    if (dom) {
      const all = epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean));
      const ems = postWarmupEpochs(run, dom, all).epochs;
      const o = ems.length >= options.minEpochs ? oscillation(ems.map((e) => e.mean)) : null;
      if (o) {
        checked = true;
        if (o.medianAbsSwing >= options.domainSwing && o.reversalRate >= options.minReversalRate) {
          report({
            messageId: 'domain',
            data: { swing: fmt(o.medianAbsSwing), reversals: Math.round(o.reversalRate * 100), from: ems[0].epoch, to: ems[ems.length - 1].epoch },
            evidence: [epochEvidence(dom, ems, Number(o.medianAbsSwing.toFixed(2)), `median swing >= ${options.domainSwing} points`, `largest swing ${fmt(o.maxAbsSwing)} points after epoch ${ems[o.maxSwingAt].epoch}`)],
          });
        }
      }
    }
    const curve = val.filter((v) => v.epoch > 0 && Number.isFinite(v.value));
    const o = curve.length >= options.minEpochs ? oscillation(curve.map((v) => v.value)) : null;
    if (o) {
      checked = true;
      if (o.medianAbsSwing >= options.targetSwing && o.reversalRate >= options.minReversalRate) {
        const s = seriesOf(run, KEY.valAcc) as Series | undefined;
        report({
          messageId: 'target',
          data: { swing: fmt(o.medianAbsSwing), reversals: Math.round(o.reversalRate * 100), from: curve[0].epoch, to: curve[curve.length - 1].epoch },
          evidence: [
            {
              file: s?.file ?? curve[0].file, series: s?.key ?? KEY.valAcc, from: curve[0].epoch, to: curve[curve.length - 1].epoch, unit: 'epoch',
              ...(curve[0].line !== undefined ? { line: curve[0].line } : {}), ...(curve[curve.length - 1].line !== undefined ? { endLine: curve[curve.length - 1].line } : {}),
              observed: Number(o.medianAbsSwing.toFixed(2)), threshold: `median swing >= ${options.targetSwing} points`,
            },
          ],
        });
      }
    }
    if (!checked) return { notApplicable: `fewer than ${options.minEpochs} epochs to judge swings` };
  },
});
