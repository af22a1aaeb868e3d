// Rule: NaN/Inf or exploding training losses, with the first bad step.
import { createRule } from '../src/engine/create-rule.js';
import type { CauseId } from '../src/report/schema.js';
import { KEY } from '../src/model/metric-keys.js';
import { divergenceOf, seriesOf, fmt, withLines, EXPLOSION_FACTOR, LOSS_KEYS } from '../src/facts/facts.js';
import { HYPER_NAMES, hyperNumber } from '../src/facts/hyper.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';

export default createRule({
  meta: {
    id: 'loss-divergence',
    description: 'A training loss becomes NaN/Inf or explodes far above where it started.',
    defaultSeverity: 'error',
    needs: [KEY.loss, KEY.clsLoss, KEY.transferLoss],
    messages: {
      nonFinite: '{{name}} became {{value}} at step {{step}} (epoch {{epoch}}); {{count}} non-finite values follow',
      exploded:
        '{{name}} exploded to {{value}} at step {{step}} (epoch {{epoch}}), {{ratio}}x its starting level {{reference}}; it peaked at {{max}}',
    },
    causes: [
      { id: 'learning-rate-too-high', weight: 0.7 },
      { id: 'trade-off-too-high', weight: 0.2 },
    ],
    fixes: ['lower the lr (10x steps until the loss decreases in the first epoch)', 'clip gradients (e.g. clip_grad_norm_ 5.0)', 'check inputs for NaN and the loss for log(0)'],
    options: { factor: EXPLOSION_FACTOR },
    optionDocs: {
      factor:
        'Cross-entropy starts near ln(C) and falls; even a saturated discriminator BCE is capped at 100 by PyTorch\'s log clamp. 100x the starting level (the first printed value, the loss at initialisation; at least 1) is a weight blow-up, not a bad batch.',
    },
  },
  check({ run, options, report }) {
    if (!LOSS_KEYS.some((k) => seriesOf(run, k))) return { notApplicable: 'no training loss series' };
    const hit = divergenceOf(run, options.factor);
    if (!hit) return;
    const p = hit.series.points[hit.index];
    const lr = hyperNumber(run, HYPER_NAMES.lr);
    const causes: { id: CauseId; weight: number }[] =
      hit.series.key === KEY.transferLoss
        ? [{ id: 'learning-rate-too-high', weight: 0.5 }, { id: 'trade-off-too-high', weight: 0.35 }]
        : [{ id: 'learning-rate-too-high', weight: lr && lr.value > 0.1 ? 0.85 : 0.7 }, { id: 'trade-off-too-high', weight: 0.15 }];
    const count = hit.series.points.filter((q) => !Number.isFinite(q.value)).length;
    const evidence = [
      withLines({ file: hit.series.file, series: hit.series.key, from: p.step, to: p.step, unit: hit.series.granularity === 'epoch' ? 'epoch' : 'step', observed: Number.isFinite(hit.value) ? Number(hit.value.toPrecision(4)) : String(hit.value), threshold: hit.kind === 'exploded' ? `${options.factor}x starting level ${fmt(hit.reference, 2)}` : 'finite' }, p.line),
    ];
    if (hit.kind === 'non-finite') {
      report({ messageId: 'nonFinite', data: { name: hit.series.rawName, value: String(hit.value), step: p.step, epoch: p.epoch !== undefined ? shownEpoch(p.epoch, run.epochBase) : '?', count }, evidence, causes });
    } else {
      report({
        messageId: 'exploded',
        data: { name: hit.series.rawName, value: fmt(hit.value, 2), step: p.step, epoch: p.epoch !== undefined ? shownEpoch(p.epoch, run.epochBase) : '?', ratio: fmt(hit.ratio, 0), reference: fmt(hit.reference, 2), max: fmt(hit.maxValue, 2) },
        evidence,
        causes,
      });
    }
  },
});
