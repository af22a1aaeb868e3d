// Rule: the domain discriminator keeps winning (epoch-mean domain accuracy near 100%) after the GRL warm-up.
import { createRule } from '../src/engine/create-rule.js';
import { KEY } from '../src/model/metric-keys.js';
import { saturationRun } from '../src/signals/saturation-run.js';
import type { CheckResult, FindingDraft } from '../src/engine/types.js';
import type { CauseId } from '../src/report/schema.js';
import type { Run } from '../src/model/types.js';
import { HYPER_NAMES, hyperNumber } from '../src/facts/hyper.js';
import { epochMeansOf, seriesOf, postWarmupEpochs, epochEvidence, fmt, WARMUP_FRACTION } from '../src/facts/facts.js';
import { domainSignalOf } from '../src/facts/domain-signal.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';

/** trade_off x GRL hi below a third of tllib's default 1.0: the reversal is too weak to hold a discriminator. */
const WEAK_REVERSAL = 0.34;

type Opts = { level: number; minEpochs: number; warmupFraction: number; lossLevel: number };

/** Saturation read off the domain loss when no domain accuracy is logged (a discriminator BCE, see domainSignalOf). */
function checkDomainLoss(run: Readonly<Run>, options: Opts, report: (d: FindingDraft<'saturated' | 'lossSaturated'>) => void): CheckResult {
  const sig = domainSignalOf(run);
  if (!sig || sig.kind !== 'bce-loss') return { notApplicable: 'no domain (discriminator) accuracy series and no domain BCE loss' };
  const post = postWarmupEpochs(run, sig.series, sig.ems, options.warmupFraction);
  if (post.epochs.length === 0) return { notApplicable: 'no domain-loss epochs after the GRL warm-up' };
  const level = options.lossLevel * sig.terms;
  const stretch = saturationRun(post.epochs.map((e) => e.mean), level, 'below');
  if (!stretch || stretch.length < Math.min(options.minEpochs, post.epochs.length)) return;
  const seg = post.epochs.slice(stretch.start, stretch.end + 1);
  const mean = seg.reduce((a, e) => a + e.mean, 0) / seg.length;
  report({
    messageId: 'lossSaturated',
    data: { label: sig.label, mean: fmt(mean, 3), lossLevel: Number(level.toFixed(3)), epochs: seg.length },
    evidence: [epochEvidence(sig.series, seg, Number(mean.toFixed(4)), `<= ${fmt(level, 3)} epoch mean after step ${Math.round(post.warmupStep)}`, `no domain accuracy logged: read from ${sig.label}`)],
  });
}

export default createRule({
  meta: {
    id: 'domain-acc-saturated',
    description: 'Discriminator accuracy stays near 100% after the GRL warm-up: the discriminator wins and the features stay domain-specific.',
    defaultSeverity: 'error',
    needs: [KEY.domainAcc, KEY.transferLoss],
    messages: {
      lossSaturated:
        'no domain accuracy is logged, but the {{label}} stayed at {{mean}} (epoch means <= {{lossLevel}}) for {{epochs}} epochs after the GRL warm-up: the discriminator wins and the features stay domain-specific',
      saturated:
        'domain accuracy stayed at {{mean}}% (epoch means >= {{level}}%) for {{epochs}} epochs after the GRL warm-up (lambda >= {{lambda}} from step {{warmupStep}}): the discriminator wins and the features stay domain-specific',
    },
    causes: [
      { id: 'discriminator-too-strong', weight: 0.6 },
      { id: 'grl-coefficient-too-low', weight: 0.45 },
      { id: 'learning-rate-mismatch', weight: 0.25 },
    ],
    fixes: [
      'weaken the discriminator: DomainDiscriminator(batch_norm=False), smaller hidden size, discriminator lr multiplier 1.0',
      'strengthen the reversal: raise trade_off (e.g. 1.0) or the GRL hi',
    ],
    options: { level: 90, minEpochs: 2, warmupFraction: WARMUP_FRACTION, lossLevel: 0.2 },
    optionDocs: {
      level:
        'At chance the discriminator scores 50%; a healthy DANN settles around 50-70% once the GRL is at full strength. Epoch means at or above 90% mean it separates the domains almost perfectly.',
      lossLevel:
        'Without a domain accuracy series, the discriminator\'s BCE loss tells the same story: ln 2 = 0.693 per term at chance, and an epoch mean at or below 0.2 per term means the discriminator gives the right domain about 82% probability on average (-ln 0.82 = 0.2). A loss summing a source and a target term is held to twice that.',
      minEpochs: 'Two consecutive epoch means (each averaging hundreds of batches) rule out one noisy epoch; shorter runs need all their post-warm-up epochs saturated.',
      warmupFraction:
        "Only epochs after the GRL coefficient passed this share of its range count: tllib's reversal ramps as tanh(i/2000), so a high domain accuracy in the first ~3000 iterations is expected.",
    },
  },
  check({ run, options, report }) {
    const series = seriesOf(run, KEY.domainAcc);
    if (!series) return checkDomainLoss(run, options, report);
    const ems = epochMeansOf(run, KEY.domainAcc);
    if (ems.length === 0) return { notApplicable: 'domain accuracy has no epoch structure (no epoch numbers or iters_per_epoch)' };
    const post = postWarmupEpochs(run, series, ems, options.warmupFraction);
    const after = post.epochs;
    const warmStep = post.warmupStep;
    if (after.length === 0) {
      return { notApplicable: `the run ended (epoch ${shownEpoch(ems[ems.length - 1].epoch, run.epochBase)}) before the GRL warm-up finished (~step ${Math.round(warmStep)})` };
    }
    const stretch = saturationRun(after.map((e) => e.mean), options.level, 'above');
    const need = Math.min(options.minEpochs, after.length);
    if (!stretch || stretch.length < need) return;
    const seg = after.slice(stretch.start, stretch.end + 1);
    const mean = seg.reduce((a, e) => a + e.mean, 0) / seg.length;
    // With a weak reversal (tiny trade_off x GRL hi) the discriminator wins by default: blame the reversal first.
    const weight = (hyperNumber(run, HYPER_NAMES.tradeOff)?.value ?? 1) * (hyperNumber(run, HYPER_NAMES.grlHi)?.value ?? 1);
    const causes: { id: CauseId; weight: number }[] | undefined = weight < WEAK_REVERSAL
      ? [{ id: 'grl-coefficient-too-low', weight: 0.7 }, { id: 'discriminator-too-strong', weight: 0.3 }]
      : undefined;
    report({
      ...(causes ? { causes } : {}),
      messageId: 'saturated',
      data: { mean: fmt(mean), level: options.level, epochs: seg.length, lambda: fmt(post.lambda, 2), warmupStep: Math.round(warmStep) },
      evidence: [epochEvidence(series, seg, Number(mean.toFixed(2)), `>= ${options.level}% epoch mean after step ${Math.round(warmStep)}`, `epochs ${shownEpoch(seg[0].epoch, run.epochBase)}..${shownEpoch(seg[seg.length - 1].epoch, run.epochBase)}`)],
    });
  },
});
