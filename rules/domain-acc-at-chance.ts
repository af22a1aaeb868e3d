// Rule: the discriminator never learns (domain accuracy ~50% from the start) or its output freezes at chance.
import { createRule } from '../src/engine/create-rule.js';
import { KEY } from '../src/model/metric-keys.js';
import { saturationRun } from '../src/signals/saturation-run.js';
import { HYPER_NAMES, hyperNumber } from '../src/facts/hyper.js';
import { epochMeansOf, seriesOf, divergenceOf, epochEvidence, withLines, fmt } from '../src/facts/facts.js';
import { domainSignalOf } from '../src/facts/domain-signal.js';
import type { Evidence, CauseId } from '../src/report/schema.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';

/** trade_off x GRL hi above 3x tllib's default: the reversal alone can pin the discriminator at chance. */
const STRONG_REVERSAL = 3;

/** PyTorch's BCE clamps log(p) at -100, so a sigmoid saturated on the wrong side costs exactly 100 per sample. */
const BCE_LOG_CLAMP = 100;

export default createRule({
  meta: {
    id: 'domain-acc-at-chance',
    description:
      'Discriminator accuracy ~50% (transfer loss ~ln 2) from the first steps and never departs, or frozen at exactly 50% for a long stretch: the discriminator is not learning.',
    defaultSeverity: 'warn',
    needs: [KEY.domainAcc, KEY.transferLoss],
    messages: {
      neverLearned:
        'domain accuracy stayed within {{band}} points of chance in every epoch (epoch means {{min}}%..{{max}}%), even during the GRL warm-up when the discriminator should win easily: it never learned to tell the domains apart',
      lossNeverLearned:
        'no domain accuracy is logged, but the {{label}} stayed within {{band}} of chance in every epoch (epoch means {{min}}..{{max}}), even during the GRL warm-up when the discriminator should win easily: it never learned to tell the domains apart',
      pinned:
        'domain accuracy sat at exactly {{value}}% in {{count}} consecutive logged batches (epochs {{fromEpoch}}..{{toEpoch}}){{lossNote}}: the discriminator output is constant, so no adversarial gradient reaches the features',
    },
    causes: [
      { id: 'discriminator-not-learning', weight: 0.7 },
      { id: 'trade-off-too-high', weight: 0.2 },
    ],
    fixes: [
      'check that the discriminator gets the features (not detached) and is in the optimizer with a sane lr',
      'for a frozen sigmoid: lower the discriminator lr, use BCEWithLogits on logits, clip gradients',
      'ramp the reversal up (tllib WarmStartGradientReverseLayer) instead of full strength from step 0',
    ],
    options: { band: 7, lossBand: 0.03, minEpochs: 2, minPinnedPoints: 20 },
    optionDocs: {
      band:
        'During the warm-up (GRL coefficient near 0) a working discriminator separates two shifted domains well above chance: real runs show 67-95% epoch means in epoch 0. A run whose every epoch mean stays within 7 points of 50% never got there.',
      lossBand:
        'Without a domain accuracy, the domain BCE stands for it: an epoch mean within 0.03 of ln 2 per term means the discriminator gives the right domain at most exp(-0.663) = 51.5% probability on average, its outputs never leave 0.5. A loss summing source and target terms is held to twice the band around 2 ln 2.',
      minEpochs: 'At least two epochs are needed to say the curve "never departs".',
      minPinnedPoints:
        'With batch size 1 a live discriminator still prints exactly 50% about half the time; 20 consecutive exact 50s then happen by chance with probability 0.5^20 ~ 1e-6. Larger batches make it rarer still.',
    },
  },
  check({ run, options, report }) {
    const series = seriesOf(run, KEY.domainAcc);
    const sig = series ? undefined : domainSignalOf(run);
    if (!series && !sig) return { notApplicable: 'no domain (discriminator) accuracy series and no domain BCE loss' };
    const div = divergenceOf(run);
    if (div) return { notApplicable: `the losses diverged (${div.series.key} at step ${div.series.points[div.index].step}); a dead network leaves the discriminator at chance as a consequence` };
    if (!series) {
      // No domain accuracy: the domain BCE says the same. Every epoch mean within lossBand (per term) of chance,
      // warm-up included, means the discriminator's outputs never left 0.5.
      const s = sig!;
      if (s.ems.length < options.minEpochs) return { notApplicable: `fewer than ${options.minEpochs} epochs of ${s.label}` };
      const means = s.ems.map((e) => e.mean);
      const min = Math.min(...means);
      const max = Math.max(...means);
      const band = options.lossBand * s.terms;
      if (min < s.chance - band || max > s.chance + band) return;
      report({
        messageId: 'lossNeverLearned',
        data: { label: s.label, min: fmt(min, 3), max: fmt(max, 3), band: fmt(band, 3) },
        evidence: [epochEvidence(s.series, s.ems, `${fmt(min, 3)}..${fmt(max, 3)}`, `${fmt(s.chance, 3)} +- ${fmt(band, 3)}`, `no domain accuracy logged: read from ${s.label}`)],
      });
      return;
    }
    const ems = epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean));
    // A reversal far stronger than tllib's default keeps the discriminator at chance by brute force.
    const weight = (hyperNumber(run, HYPER_NAMES.tradeOff)?.value ?? 1) * (hyperNumber(run, HYPER_NAMES.grlHi)?.value ?? 1);
    const causes: { id: CauseId; weight: number }[] | undefined = weight > STRONG_REVERSAL
      ? [{ id: 'trade-off-too-high', weight: 0.6 }, { id: 'discriminator-not-learning', weight: 0.3 }]
      : undefined;
    if (ems.length >= options.minEpochs) {
      const means = ems.map((e) => e.mean);
      const min = Math.min(...means);
      const max = Math.max(...means);
      if (max <= 50 + options.band && min >= 50 - options.band) {
        const tl = epochMeansOf(run, KEY.transferLoss).filter((e) => Number.isFinite(e.mean));
        const evidence = [epochEvidence(series, ems, `${fmt(min)}..${fmt(max)}%`, `50 +- ${options.band}%`)];
        if (tl.length) {
          const m = tl.reduce((a, e) => a + e.mean, 0) / tl.length;
          evidence.push(epochEvidence(run.series[KEY.transferLoss], tl, Number(m.toFixed(3)), 'ln 2 = 0.693 at chance', 'mean transfer loss'));
        }
        report({ messageId: 'neverLearned', data: { band: options.band, min: fmt(min), max: fmt(max) }, evidence, ...(causes ? { causes } : {}) });
        return;
      }
    }
    // Exactly-50% stretch: a constant discriminator output (every sample on one side) scores 0.5*(100+0).
    const b = hyperNumber(run, HYPER_NAMES.batchSize)?.value;
    const tol = b && b > 0 ? 100 / (2 * b) / 2 : 0.05;
    const pts = series.points;
    const stretch = saturationRun(pts.map((p) => Math.abs(p.value - 50)), tol, 'below');
    if (!stretch || stretch.length < options.minPinnedPoints) return;
    const first = pts[stretch.start];
    const last = pts[stretch.end];
    const evidence: Evidence[] = [
      withLines({ file: series.file, series: series.key, from: first.step, to: last.step, unit: 'step', observed: `${stretch.length} x 50%`, threshold: `>= ${options.minPinnedPoints} consecutive` }, first.line, last.line),
    ];
    let lossNote = '';
    const loss = seriesOf(run, KEY.transferLoss) ?? seriesOf(run, KEY.loss);
    const inside = loss ? loss.points.filter((p) => p.step >= first.step && p.step <= last.step) : [];
    if (loss && inside.length) {
      const sorted = inside.map((p) => p.value).sort((x, y) => x - y);
      const med = sorted[sorted.length >> 1];
      const tradeOff = hyperNumber(run, HYPER_NAMES.tradeOff)?.value ?? 1;
      const clamp = (BCE_LOG_CLAMP / 2) * tradeOff;
      lossNote = Math.abs(med - clamp) / clamp < 0.05
        ? `, with ${loss.rawName} stuck at ${fmt(med, 2)} = ${tradeOff === 1 ? '' : `${tradeOff} x `}0.5 x 100 (PyTorch's BCE clamps log(0) at -100, so the sigmoid is saturated)`
        : `, with ${loss.rawName} at ${fmt(med, 2)}`;
      evidence.push(withLines({ file: loss.file, series: loss.key, from: first.step, to: last.step, unit: 'step', observed: `median ${fmt(med, 3)}`, threshold: 'ln 2 = 0.693 for a live discriminator at chance' }, inside[0].line, inside[inside.length - 1].line));
    }
    report({
      messageId: 'pinned',
      data: { value: fmt(first.value), count: stretch.length, fromEpoch: first.epoch !== undefined ? shownEpoch(first.epoch, run.epochBase) : '?', toEpoch: last.epoch !== undefined ? shownEpoch(last.epoch, run.epochBase) : '?', lossNote },
      evidence,
      ...(causes ? { causes } : {}),
    });
  },
});
