// "Healthy is an answer too": one-liners of what was checked and fine, and of what could not be checked and why.
import type { Run } from '../model/types.js';
import type { Finding } from '../engine/types.js';
import { KEY } from '../model/metric-keys.js';
import { HYPER_NAMES, hyperNumber, showHyper } from '../understand/hyper-aliases.js';
import {
  epochMeansOf, seriesOf, postWarmupEpochs, LOSS_KEYS, sourceAccuracyOf, targetResultOf, targetValCurveOf, grlScheduleOf,
  totalIterationsOf, isSourceOnlyRun, fmt,
} from '../../rules/support/facts.js';
import { grlCoefficient } from '../signals/grl-schedule.js';
import { trailingPlateau } from '../signals/plateau.js';

/** Epoch means within this many points count as settled: a settled DANN drifts 1-3 points per epoch, and epoch means
 * averaged from a handful of logged batch values (CSV/TensorBoard, no running average) are noisier. */
const SETTLED_BAND = 5;
/** Below this held-out accuracy a linear probe barely tells the domains apart (A-distance < 1.2). */
const DOMAIN_PROBE_MIXED = 80;

export function checkedLines(run: Readonly<Run>, findings: readonly Finding[], baseline?: Readonly<Run>): string[] {
  const fired = new Set(findings.map((f) => f.ruleId));
  const out: string[] = [];
  const dom = seriesOf(run, KEY.domainAcc);
  if (dom && !fired.has('domain-acc-saturated') && !fired.has('domain-acc-at-chance') && !fired.has('loss-divergence')) {
    const post = postWarmupEpochs(run, dom, epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean))).epochs;
    const last = post[post.length - 1];
    const settled = trailingPlateau(post.map((e) => e.mean), SETTLED_BAND, 2);
    if (last && settled) out.push(`domain acc settled at ${fmt(settled.mean)}% after the GRL warm-up (epochs ${post[settled.start].epoch}..${last.epoch} within ${SETTLED_BAND} points)`);
    else if (last) out.push(`domain acc at ${fmt(last.mean)}% after the GRL warm-up (epoch ${last.epoch})`);
  }
  const losses = LOSS_KEYS.filter((k) => seriesOf(run, k));
  if (losses.length && !fired.has('loss-divergence')) {
    const n = losses.reduce((a, k) => a + run.series[k].points.length, 0);
    out.push(`no NaN/Inf or blow-up in ${losses.length} loss series (${n} points)`);
  }
  const src = sourceAccuracyOf(run);
  if (src && !fired.has('source-underfit')) out.push(`source fits: ${fmt(src.value)}% (${src.from})`);
  const res = targetResultOf(run);
  const base = baseline ? targetResultOf(baseline) : undefined;
  if (res && base && !fired.has('no-adaptation-gain') && res.value - base.value > 0) {
    out.push(`target improved +${fmt(res.value - base.value)} over source-only ${baseline!.id} (${fmt(base.value)}% -> ${fmt(res.value)}%)`);
  }
  const curve = targetValCurveOf(run);
  if (curve.length >= 2 && !fired.has('target-acc-degrading') && !fired.has('loss-divergence')) {
    const last = curve[curve.length - 1];
    out.push(`target accuracy did not degrade (${fmt(curve[0].value)}% at epoch ${curve[0].epoch} -> ${fmt(last.value)}% at epoch ${last.epoch})`);
  }
  const s = grlScheduleOf(run);
  const total = totalIterationsOf(run);
  if (s && total && !fired.has('grl-warmup-horizon')) {
    out.push(`GRL warm-up normal: lambda reaches ${fmt((grlCoefficient(total.value, s) - s.lo) / (s.hi - s.lo || 1), 2)} of its maximum by iteration ${total.value} (${s.from})`);
  }
  if (run.perClass.some((t) => t.domain === 'target') && !fired.has('per-class-imbalance')) out.push('per-class target accuracy even enough (no class left far behind)');
  const t = hyperNumber(run, HYPER_NAMES.tradeOff);
  if (t && !fired.has('trade-off-extreme') && !isSourceOnlyRun(run)) out.push(`${showHyper(t)} in range`);
  const lr = hyperNumber(run, HYPER_NAMES.lr);
  if (lr && !fired.has('lr-out-of-range')) out.push(`${showHyper(lr)} in range`);
  const b = hyperNumber(run, HYPER_NAMES.batchSize);
  if (b && !fired.has('tiny-batch-batchnorm')) out.push(`${showHyper(b)} large enough for BatchNorm`);
  const probe = run.eval?.domainProbe;
  if (probe && probe.accuracy < DOMAIN_PROBE_MIXED) out.push(`final features are hard to tell apart by domain: a linear probe reaches ${fmt(probe.accuracy)}% (A-distance ${fmt(probe.aDistance, 2)})`);
  const pred = run.eval?.target;
  if (pred && pred.predHistogram.length > 1 && !fired.has('target-prediction-collapse')) out.push(`target predictions spread over the classes (normalised entropy ${fmt(pred.predEntropyNorm, 2)})`);
  if (run.status === 'finished') out.push('run finished normally');
  return out;
}

export function notCheckedLines(run: Readonly<Run>, notApplicable: readonly { ruleId: string; reason: string }[] = []): string[] {
  const out: string[] = [];
  if (run.features && !run.eval) out.push(`${run.features.path.split('/').pop()} not evaluated (run with --eval for predictions, per-class accuracy and a domain probe)`);
  if (!run.features && !run.eval && run.checkpoints.length === 0) out.push('no checkpoint or feature dump: predictions and features not checked');
  if (!run.perClass.length && !run.eval) out.push('no per-class table (tllib --per-class-eval) and no re-evaluation');
  if (!seriesOf(run, KEY.domainAcc) && !isSourceOnlyRun(run)) out.push('no domain (discriminator) accuracy logged');
  for (const n of notApplicable) out.push(`${n.ruleId}: ${n.reason}`);
  return out;
}
