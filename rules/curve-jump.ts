// Rule: an abrupt level shift (change point) in a training curve after a long stable stretch, and what it lines up with.
import { createRule } from '../src/engine/create-rule.js';
import type { Run, Series } from '../src/model/types.js';
import type { CauseId } from '../src/report/schema.js';
import { KEY } from '../src/model/metric-keys.js';
import { changePoint } from '../src/signals/change-point.js';
import { noiseLevel } from '../src/signals/noise.js';
import { theilSen } from '../src/signals/trend.js';
import type { EpochMean } from '../src/signals/epoch-means.js';
import { epochMeansOf, seriesOf, postWarmupEpochs, divergenceOf, epochEvidence, withLines, grlSwitchOf, itersPerEpochOf, fmt } from '../src/facts/facts.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';

/** Discriminator-driven curves are compared from the point the GRL ramp is half way (tanh(i/2000) = 0.5 at ~1100 it). */
const RAMP_HALF = 0.5;

/** Curves checked, with whether they are accuracies (shift in points) or losses (shift as a ratio). */
const CURVES: { key: string; kind: 'percent' | 'loss'; adversarial: boolean }[] = [
  { key: KEY.domainAcc, kind: 'percent', adversarial: true },
  { key: KEY.transferLoss, kind: 'loss', adversarial: true },
  { key: KEY.loss, kind: 'loss', adversarial: true },
  { key: KEY.clsLoss, kind: 'loss', adversarial: false },
  { key: KEY.clsAcc, kind: 'percent', adversarial: false },
  { key: KEY.valAcc, kind: 'percent', adversarial: false },
];

/** What a jump at the start of epoch `epoch` coincides with: an lr step, the GRL ramp, or nothing scheduled. */
function scheduleEvent(run: Readonly<Run>, epoch: number, stepAt: number | undefined, warmupStep: number, hasGrl: boolean, iterAt?: number): string {
  const sw = grlSwitchOf(run);
  const ipe = itersPerEpochOf(run) ?? 1000;
  if (sw && stepAt !== undefined && Math.abs(stepAt - sw.iter) <= ipe) return `the GRL switch at iteration ${sw.iter} (hi ${sw.hiBefore} -> ${sw.hiAfter}; ${sw.text})`;
  const lr = epochMeansOf(run, KEY.lr);
  const at = lr.findIndex((e) => e.epoch === epoch);
  if (at > 0) {
    const ratio = lr[at].mean / lr[at - 1].mean;
    // tllib's LambdaLR decays smoothly (ratio 0.8-1.0 per epoch); a step schedule drops 10x.
    if (Number.isFinite(ratio) && (ratio < 0.5 || ratio > 1.5)) return `an lr step (${fmt(lr[at - 1].mean, 6)} -> ${fmt(lr[at].mean, 6)})`;
  }
  if (hasGrl && stepAt !== undefined && stepAt < warmupStep) return 'the GRL warm-up ramp';
  // The first print of an epoch: a resumed checkpoint, a reshuffled or switched loader, or per-epoch code.
  if (iterAt === 0) return `the epoch boundary (first iteration of epoch ${shownEpoch(epoch, run.epochBase)}: a resume, a loader change or per-epoch code)`;
  return 'no scheduled event (lr decays smoothly; GRL already at full strength)';
}

export default createRule({
  meta: {
    id: 'curve-jump',
    description: 'An abrupt level shift in domain accuracy, losses or accuracies between two stable levels (flat against the curve\'s own noise), outside the warm-up.',
    defaultSeverity: 'warn',
    needs: [KEY.domainAcc, KEY.loss, KEY.clsAcc, KEY.valAcc],
    messages: {
      jump:
        '{{name}} jumped from {{before}} to {{after}} at epoch {{epoch}} after {{stable}} stable epochs; it lines up with {{event}}',
    },
    causes: [
      { id: 'discriminator-not-learning', weight: 0.3 },
      { id: 'learning-rate-too-high', weight: 0.3 },
      { id: 'discriminator-too-strong', weight: 0.2 },
    ],
    fixes: [
      'open the log at the jump and look at the iterations around it (lr, GRL coefficient, a data-loader change, a resumed checkpoint)',
      'if the adversarial loss flips: lower the discriminator lr or clip gradients',
    ],
    options: { minSegment: 3, minShiftPoints: 15, minLossRatio: 3, minScore: 4, abruptShare: 0.7, noiseSigmas: 5, flatSigmas: 3, flatShare: 0.25 },
    optionDocs: {
      minSegment: 'Three epochs on each side: a "long stable stretch" before, and a level that holds after (not a one-epoch spike).',
      minShiftPoints: 'Accuracy epoch means move by a few points between epochs in healthy runs; 15 points is a change of regime.',
      minLossRatio: 'Losses span orders of magnitude, so shifts are measured as ratios; a 3x change of the epoch-mean level is a regime change.',
      minScore: 'The shift must be at least 4 pooled within-segment standard deviations: the segments are flat compared to the jump.',
      noiseSigmas: "The shift must be at least 5x the curve's epoch-to-epoch noise (MAD of first differences): a noisy curve's swings are not jumps.",
      flatSigmas: 'Each side of the jump must be a stable level: its drift over the segment (Theil-Sen slope x span) within 3x the noise...',
      flatShare: '...or within a quarter of the shift. A warm-up climb (58 -> 69 -> 77 -> 88) or a change that continues a trend drifts more than that before the "jump".',
      abruptShare: 'At least 70% of the shift must happen within two epochs; a steady trend (the GRL ramp slowly lowering domain accuracy, target accuracy climbing) is not a jump.',
    },
  },
  check({ run, options, report }) {
    const present = CURVES.filter((c) => seriesOf(run, c.key));
    if (present.length === 0) return { notApplicable: 'no training curves' };
    const div = divergenceOf(run);
    if (div) return { notApplicable: `the losses diverged (${div.series.key}); see loss-divergence` };
    let enough = false;
    for (const c of present) {
      const series = seriesOf(run, c.key) as Series;
      const all = epochMeansOf(run, c.key).filter((e) => Number.isFinite(e.mean));
      // Epoch 0 is initial fitting; for discriminator-driven curves the early GRL ramp moves the level by design.
      const useLog = c.kind === 'loss' && all.every((e) => e.mean > 0);
      const scale = (e: EpochMean) => (useLog ? Math.log10(e.mean) : e.mean);
      // The curve's own noise and warm-up: a monotone climb (or fall) at the start is the warm-up, never a "stable
      // level" a jump could leave.
      const model = noiseLevel(all.map(scale));
      const warm = all[model.warmupEnd]?.epoch ?? 0;
      const afterHalf = c.adversarial ? new Set(postWarmupEpochs(run, series, all, RAMP_HALF).epochs) : undefined;
      const ems: EpochMean[] = (afterHalf ? all.filter((e) => e.epoch > 0 && afterHalf.has(e)) : all.filter((e) => e.epoch > 0)).filter((e) => e.epoch >= warm);
      if (ems.length < 2 * options.minSegment) continue;
      enough = true;
      const vals = ems.map(scale);
      const cp = changePoint(vals, options.minSegment);
      if (!cp) continue;
      const big = c.kind === 'percent' ? Math.abs(cp.shift) >= options.minShiftPoints : useLog ? Math.abs(cp.shift) >= Math.log10(options.minLossRatio) : false;
      if (!big || cp.score < options.minScore) continue;
      const sigma = Number.isFinite(model.sigma) ? model.sigma : 0;
      if (Math.abs(cp.shift) < options.noiseSigmas * sigma) continue;
      const k = cp.index;
      // Stable before and after: each side's drift (Theil-Sen slope x span) stays within the noise, or within a small
      // share of the shift. A change that continues a trend has a drifting "before" side.
      const flatLimit = Math.max(options.flatSigmas * sigma, options.flatShare * Math.abs(cp.shift));
      const drift = (xs: number[]) => {
        const t = theilSen(xs.map((_, i) => i), xs);
        return t ? Math.abs(t.slope) * (xs.length - 1) : 0;
      };
      let abrupt = 0;
      for (let j = Math.max(2, k - 1); j <= Math.min(vals.length - 1, k + 1); j++) abrupt = Math.max(abrupt, Math.abs(vals[j] - vals[j - 2]));
      for (let j = Math.max(1, k - 1); j <= Math.min(vals.length - 1, k + 1); j++) abrupt = Math.max(abrupt, Math.abs(vals[j] - vals[j - 1]));
      if (abrupt < options.abruptShare * Math.abs(cp.shift)) continue;
      // checked after the abruptness: a Theil-Sen drift is O(n^2) in the segment's length, the abruptness O(1)
      if (drift(vals.slice(0, k)) > flatLimit || drift(vals.slice(k)) > flatLimit) continue;
      const before = ems.slice(0, k);
      const after = ems.slice(k);
      const mBefore = before.reduce((a, e) => a + e.mean, 0) / before.length;
      const mAfter = after.reduce((a, e) => a + e.mean, 0) / after.length;
      // Locate the crossing of the midpoint inside the iterations around the change.
      const mid = (mBefore + mAfter) / 2;
      const near = [ems[k - 1], ems[k]].flatMap((e) => e.points);
      const crossing = near.find((p) => (mAfter > mBefore ? p.value >= mid : p.value <= mid)) ?? ems[k].points[0];
      const jumpEpoch = crossing.epoch ?? ems[k].epoch;
      const event = scheduleEvent(run, jumpEpoch, crossing.step, postWarmupEpochs(run, series, all).warmupStep, c.adversarial, series.granularity === 'iteration' ? crossing.iter : undefined);
      // An accuracy rising / loss falling at an lr step is the step schedule doing its job, not a symptom.
      const improving = c.key !== KEY.domainAcc && (c.kind === 'percent' ? mAfter > mBefore : mAfter < mBefore);
      if (improving && event.startsWith('an lr step')) continue;
      const unit = c.kind === 'percent' ? '%' : '';
      const sw = grlSwitchOf(run);
      const causes: { id: CauseId; weight: number }[] =
        sw && event.startsWith('the GRL switch')
          ? sw.hiAfter < sw.hiBefore ? [{ id: 'grl-coefficient-too-low', weight: 0.7 }] : [{ id: 'trade-off-too-high', weight: 0.6 }]
          : c.key === KEY.domainAcc || c.key === KEY.transferLoss || c.key === KEY.loss
          ? [{ id: 'discriminator-not-learning', weight: 0.35 }, { id: 'discriminator-too-strong', weight: 0.25 }, { id: 'learning-rate-too-high', weight: 0.2 }]
          : [{ id: 'learning-rate-too-high', weight: 0.35 }, { id: 'trade-off-too-high', weight: 0.2 }];
      report({
        messageId: 'jump',
        data: {
          name: `${series.rawName} (${c.key})`,
          before: `${fmt(mBefore, c.kind === 'loss' ? 3 : 1)}${unit}`,
          after: `${fmt(mAfter, c.kind === 'loss' ? 3 : 1)}${unit}`,
          epoch: shownEpoch(jumpEpoch, run.epochBase),
          stable: before.length,
          event,
        },
        evidence: [
          epochEvidence(series, before, Number(mBefore.toFixed(3)), undefined, 'level before'),
          epochEvidence(series, after, Number(mAfter.toFixed(3)), c.kind === 'percent' ? `shift >= ${options.minShiftPoints} points` : `ratio >= ${options.minLossRatio}x`, 'level after'),
          withLines({ file: series.file, series: series.key, from: crossing.step, to: crossing.step, unit: series.granularity === 'epoch' ? 'epoch' : 'step', observed: crossing.value, note: 'first value past the midpoint' }, crossing.line),
        ],
        causes,
      });
    }
    if (!enough) return { notApplicable: `fewer than ${2 * options.minSegment} epochs to compare (after the GRL warm-up for discriminator curves)` };
  },
});
