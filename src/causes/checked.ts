// "Healthy is an answer too": one-liners of what was checked and fine, and of what could not be checked and why.
import type { Run } from '../model/types.js';
import type { CheckedEntry, Finding } from '../report/schema.js';
import { KEY } from '../model/metric-keys.js';
import { HYPER_NAMES, hyperNumber, showHyper } from '../facts/hyper.js';
import {
  epochMeansOf, seriesOf, postWarmupEpochs, LOSS_KEYS, sourceAccuracyOf, targetResultOf, baselineTargetResult, targetValCurveOf, grlScheduleOf,
  totalIterationsOf, isSourceOnlyRun, fmt, targetCurveFactsOf, DEGRADATION,
} from '../facts/facts.js';
import { grlCoefficient } from '../signals/grl-schedule.js';
import { domainSignalOf } from '../facts/domain-signal.js';
import { trailingPlateau } from '../signals/plateau.js';
import { shownEpoch } from '../model/epoch-numbering.js';

/** Epoch means within this many points count as settled: a settled DANN drifts 1-3 points per epoch, and epoch means
 * averaged from a handful of logged batch values (CSV/TensorBoard, no running average) are noisier. */
const SETTLED_BAND = 5;
/** Below this held-out accuracy a linear probe barely tells the domains apart (A-distance < 1.2). */
const DOMAIN_PROBE_MIXED = 80;

type Entry = CheckedEntry;

const points = (n: number) => `${fmt(n)} point${fmt(n) === '1' ? '' : 's'}`;

/** The target-accuracy sentence: what the noise model says about peak and end, never contradicting the numbers. */
function targetLine(run: Readonly<Run>): Entry | undefined {
  const curve = targetValCurveOf(run).filter((v) => Number.isFinite(v.value));
  if (curve.length < 2) return undefined;
  const series = run.series[KEY.valAcc] ? KEY.valAcc : 'evaluations';
  const facts = targetCurveFactsOf(run);
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (!facts) {
    // Too few epochs for a noise model: only a plain "it did not fall" can be said, and only when it did not.
    const best = curve.reduce((b, v) => (v.value > b.value ? v : b), first);
    if (best.value - last.value >= DEGRADATION.minDrop) return undefined;
    return {
      claim: 'target-not-degrading', series, limit: DEGRADATION.minDrop,
      text: `target accuracy did not degrade (${fmt(first.value)}% at epoch ${shownEpoch(first.epoch, run.epochBase)} -> ${fmt(last.value)}% at epoch ${shownEpoch(last.epoch, run.epochBase)}, best ${fmt(best.value)}%)`,
      values: [
        { name: 'first', value: first.value, how: 'value', epoch: first.epoch },
        { name: 'last', value: last.value, how: 'value', epoch: last.epoch },
        { name: 'best', value: best.value, how: 'value', epoch: best.epoch },
      ],
    };
  }
  const { peak, model } = facts;
  const p = curve[peak.peakIndex];
  const values: NonNullable<Entry['values']> = [
    { name: 'peak', value: peak.peakLevel, how: peak.peakIndex === 0 || peak.peakIndex === curve.length - 1 ? 'value' : 'smoothed', epoch: p.epoch },
    { name: 'end', value: peak.endLevel, how: 'median', fromEpoch: curve[peak.endFrom].epoch, toEpoch: last.epoch },
    { name: 'noise', value: model.sigma, how: 'value' },
  ];
  // the end level counts only epochs from the peak on: a curve whose last epoch is its peak ends at that one value
  const end = peak.endCount === 1 ? `${fmt(peak.endLevel)}% (the final epoch)` : `${fmt(peak.endLevel)}% (median of the last ${peak.endCount} epochs)`;
  if (peak.drop < DEGRADATION.minDrop) {
    const where = peak.drop < 0.05 ? `at its smoothed peak` : `${points(peak.drop)} below its smoothed peak ${fmt(peak.peakLevel)}% (epoch ${shownEpoch(p.epoch, run.epochBase)})`;
    return { claim: 'target-not-degrading', series, limit: DEGRADATION.minDrop, values, text: `target accuracy did not degrade: it ends at ${end}, ${where}` };
  }
  if (facts.degrading) return undefined; // the rule was switched off or the run diverged: say nothing rather than "fine"
  return {
    claim: 'target-drop-within-noise', series, limit: DEGRADATION.minZ, values,
    text: `target accuracy ends ${points(peak.drop)} below its smoothed peak (${fmt(peak.peakLevel)}% at epoch ${shownEpoch(p.epoch, run.epochBase)} -> ${end}), within ${DEGRADATION.minZ}x its epoch-to-epoch noise (${fmt(model.sigma)} points): not called a degradation`,
  };
}

export function checkedLines(run: Readonly<Run>, findings: readonly Finding[], baseline?: Readonly<Run>): CheckedEntry[] {
  const fired = new Set(findings.map((f) => f.ruleId));
  const out: Entry[] = [];
  const dom = seriesOf(run, KEY.domainAcc);
  if (dom && !fired.has('domain-acc-saturated') && !fired.has('domain-acc-at-chance') && !fired.has('loss-divergence')) {
    const post = postWarmupEpochs(run, dom, epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean))).epochs;
    const last = post[post.length - 1];
    const settled = trailingPlateau(post.map((e) => e.mean), SETTLED_BAND, 2);
    if (last && settled) {
      out.push({
        claim: 'domain-settled', series: KEY.domainAcc, limit: SETTLED_BAND,
        text: `domain acc settled at ${fmt(settled.mean)}% after the GRL warm-up (epochs ${shownEpoch(post[settled.start].epoch, run.epochBase)}..${shownEpoch(last.epoch, run.epochBase)} within ${SETTLED_BAND} points)`,
        values: [{ name: 'settled', value: settled.mean, how: 'mean', fromEpoch: post[settled.start].epoch, toEpoch: last.epoch }],
      });
    } else if (last) {
      out.push({
        claim: 'domain-final', series: KEY.domainAcc,
        text: `domain acc at ${fmt(last.mean)}% after the GRL warm-up (epoch ${shownEpoch(last.epoch, run.epochBase)})`,
        values: [{ name: 'final', value: last.mean, how: 'value', epoch: last.epoch }],
      });
    }
  }
  const sig = dom ? undefined : domainSignalOf(run);
  if (sig && !fired.has('domain-acc-saturated') && !fired.has('domain-acc-at-chance') && !fired.has('loss-divergence')) {
    const post = postWarmupEpochs(run, sig.series, sig.ems).epochs;
    const last = post[post.length - 1];
    if (last) {
      out.push({
        claim: 'domain-loss-final', series: sig.series.key,
        text: `no domain accuracy logged; the ${sig.label} is at ${fmt(last.mean, 3)} after the GRL warm-up (epoch ${shownEpoch(last.epoch, run.epochBase)}), not near 0: the discriminator does not win`,
        values: [{ name: 'final', value: last.mean, how: 'value', epoch: last.epoch }, { name: 'chance', value: sig.chance, how: 'value' }],
      });
    }
  }
  const losses = LOSS_KEYS.filter((k) => seriesOf(run, k));
  if (losses.length && !fired.has('loss-divergence')) {
    const n = losses.reduce((a, k) => a + run.series[k].points.length, 0);
    out.push({ claim: 'losses-finite', text: `no NaN/Inf or blow-up in ${losses.length} loss series (${n} points)`, values: losses.map((k) => ({ name: k, value: run.series[k].points.length, how: 'count' as const })) });
  }
  const src = sourceAccuracyOf(run);
  if (src && !fired.has('source-underfit')) {
    out.push({
      claim: 'source-fits', text: `source fits: ${fmt(src.value)}% (${src.from})`, ...(src.series ? { series: src.series.key } : {}),
      values: [{ name: 'source', value: src.value, how: 'value', ...(src.epoch ? { epoch: src.epoch.epoch } : {}) }],
    });
  }
  const res = targetResultOf(run);
  const own = run.inRunBaseline;
  const base = own ? { value: own.value } : baseline ? baselineTargetResult(baseline, run) : undefined;
  const baseName = own ? `(${own.from}, stated by the run)` : `${baseline?.id}`;
  if (res && base && !fired.has('no-adaptation-gain') && res.value - base.value > 0) {
    out.push({
      claim: 'target-improved', text: `target improved +${fmt(res.value - base.value)} over source-only ${baseName} (${fmt(base.value)}% -> ${fmt(res.value)}%)`,
      values: [{ name: 'baseline', value: base.value, how: 'value' }, { name: 'target', value: res.value, how: 'value' }],
    });
  }
  if (!fired.has('target-acc-degrading') && !fired.has('loss-divergence')) {
    const t = targetLine(run);
    if (t) out.push(t);
  }
  const s = grlScheduleOf(run);
  const total = totalIterationsOf(run);
  // only a run that trained has a warm-up to speak of (planned epochs alone are not a schedule that ran)
  const trained = Object.values(run.series).some((x) => x.points.length > 0);
  if (s && total && trained && !fired.has('grl-warmup-horizon')) {
    const share = (grlCoefficient(total.value, s) - s.lo) / (s.hi - s.lo || 1);
    out.push({
      claim: 'grl-warmup', text: `GRL warm-up normal: lambda reaches ${fmt(share, 2)} of its maximum by iteration ${total.value} (${s.from})`,
      values: [{ name: 'share', value: share, how: 'value' }, { name: 'iterations', value: total.value, how: 'count' }],
    });
  }
  if (run.perClass.some((t) => t.domain === 'target') && !fired.has('per-class-imbalance')) out.push({ claim: 'per-class-even', text: 'per-class target accuracy even enough (no class left far behind)' });
  const t = hyperNumber(run, HYPER_NAMES.tradeOff);
  if (t && !fired.has('trade-off-extreme') && !isSourceOnlyRun(run)) out.push({ claim: 'hyper-in-range', text: `${showHyper(t)} in range`, values: [{ name: t.name, value: t.value, how: 'setting' }] });
  const lr = hyperNumber(run, HYPER_NAMES.lr);
  if (lr && !fired.has('lr-out-of-range')) out.push({ claim: 'hyper-in-range', text: `${showHyper(lr)} in range`, values: [{ name: lr.name, value: lr.value, how: 'setting' }] });
  const b = hyperNumber(run, HYPER_NAMES.batchSize);
  if (b && !fired.has('tiny-batch-batchnorm')) out.push({ claim: 'batch-size', text: `${showHyper(b)} large enough for BatchNorm`, values: [{ name: b.name, value: b.value, how: 'setting' }] });
  const probe = run.eval?.domainProbe;
  if (probe && probe.accuracy < DOMAIN_PROBE_MIXED) {
    out.push({ claim: 'domain-probe', text: `final features are hard to tell apart by domain: a linear probe reaches ${fmt(probe.accuracy)}% (A-distance ${fmt(probe.aDistance, 2)})`, limit: DOMAIN_PROBE_MIXED, values: [{ name: 'probe', value: probe.accuracy, how: 'value' }] });
  }
  const pred = run.eval?.target;
  if (pred && pred.predHistogram.length > 1 && !fired.has('target-prediction-collapse')) {
    out.push({ claim: 'predictions-spread', text: `target predictions spread over the classes (normalised entropy ${fmt(pred.predEntropyNorm, 2)})`, values: [{ name: 'entropy', value: pred.predEntropyNorm, how: 'value' }] });
  }
  if (run.status === 'finished') out.push({ claim: 'finished', text: 'run finished normally' });
  return out;
}

export function notCheckedLines(run: Readonly<Run>, notApplicable: readonly { ruleId: string; reason: string }[] = []): string[] {
  const out: string[] = [];
  if (run.features && !run.eval) {
    const name = run.features.path.split('/').pop();
    out.push(run.evalFailure ? `${name} not evaluated: the evaluation failed (see above)` : `${name} not evaluated (--no-eval)`);
  }
  if (!run.features && !run.eval && run.evalFailure) out.push('predictions and features not checked: the evaluation failed (see above)');
  else if (!run.features && !run.eval && run.checkpoints.length === 0) out.push('no checkpoint or feature dump: predictions and features not checked');
  if (!run.perClass.length && !run.eval) out.push('no per-class table (tllib --per-class-eval) and no re-evaluation');
  if (!seriesOf(run, KEY.domainAcc) && !isSourceOnlyRun(run)) {
    const sig = domainSignalOf(run);
    out.push(sig ? `no domain (discriminator) accuracy logged: the discriminator is judged from the ${sig.label}` : 'no domain (discriminator) accuracy logged');
  }
  for (const n of notApplicable) out.push(`${n.ruleId}: ${n.reason}`);
  return out;
}
