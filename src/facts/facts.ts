// Facts about a Run that several rules (and diagnose) need: epoch means, GRL warm-up, divergence, source/target accuracy.
import type { Run, Series, SourceRef } from '../model/types.js';
import type { Evidence } from '../report/schema.js';
import { KEY } from '../model/metric-keys.js';
import { isSourceOnly } from '../understand/baseline-run.js';
import { epochMeansCached, type EpochMean } from '../signals/epoch-means.js';
import { grlWarmupEnd, grlCoefficient, TLLIB_DANN_GRL, type GrlSchedule } from '../signals/grl-schedule.js';
import { firstExplosion } from '../signals/first-explosion.js';
import { noiseModel, peakToEnd, swing, type NoiseModel, type PeakToEnd, type Swing } from '../signals/noise.js';
import { HYPER_NAMES, hyperNumber, hyperBool } from './hyper.js';
import { shownEpoch } from '../model/epoch-numbering.js';
import { labelledBaselineResult } from '../understand/final-results.js';

/** Algorithms trained against a domain discriminator through a gradient-reversal layer. */
export const DISCRIMINATOR_ALGORITHMS = new Set(['dann', 'cdan', 'adda', 'bsp']);

/** Share of the GRL's range after which the warm-up counts as over: 0.9 -> 2944 iterations with tllib's tanh(i/2000). */
export const WARMUP_FRACTION = 0.9;

/**
 * A loss this many times its starting level has blown up. Cross-entropy starts near ln(C) and falls; even a strong
 * discriminator's clamped BCE stays below 100 (PyTorch clamps log at -100), so a factor of 100 over a start >= 1 is
 * never reached by a healthy or merely unstable run, while lr-driven weight blow-ups reach 1e6 and more.
 */
export const EXPLOSION_FACTOR = 100;
/** Starting level = the first printed value: the loss at initialisation (about ln C + trade_off x ln 2); later prints may already be exploding. */
export const EXPLOSION_HEAD = 1;
/** Losses that start near 0 (e.g. a transfer loss at init) are measured against at least 1. */
export const EXPLOSION_FLOOR = 1;

export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1e5) return n.toExponential(2);
  return n.toFixed(digits).replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

export function itersPerEpochOf(run: Readonly<Run>): number | undefined {
  return run.itersPerEpoch ?? hyperNumber(run, HYPER_NAMES.itersPerEpoch)?.value;
}

export function seriesOf(run: Readonly<Run>, key: string): Series | undefined {
  const s = run.series[key];
  return s && s.points.length > 0 ? s : undefined;
}

/**
 * Without epoch numbers or iters_per_epoch (e.g. TensorBoard scalars by global step), iteration series are cut into
 * pseudo-epochs of tllib's default 1000 iterations, so per-epoch rules still see means over many batches.
 */
export const PSEUDO_EPOCH_ITERS = 1000;

/**
 * Epoch means of a run's series (iters/epoch from the run): a dozen rules and the cause ranking ask for the same
 * series' means; they are computed once per series (epochMeansCached). Callers must not mutate the returned array.
 */
export function epochMeansOf(run: Readonly<Run>, key: string): EpochMean[] {
  const s = seriesOf(run, key);
  if (!s) return [];
  const ems = epochMeansCached(s, itersPerEpochOf(run));
  if (!ems.length && s.granularity === 'iteration') return epochMeansCached(s, PSEUDO_EPOCH_ITERS);
  return ems;
}

export function hasDiscriminator(run: Readonly<Run>): boolean {
  return DISCRIMINATOR_ALGORITHMS.has(run.algorithm) || seriesOf(run, KEY.domainAcc) !== undefined;
}

/** No adaptation at all: erm/src_only, trade_off = 0, or nothing adversarial logged and no trade-off. */
export function isSourceOnlyRun(run: Readonly<Run>): boolean {
  if (isSourceOnly(run as Run)) return true;
  if (run.algorithm !== 'unknown') return false;
  return !seriesOf(run, KEY.domainAcc) && !seriesOf(run, KEY.transferLoss) && !hyperNumber(run, HYPER_NAMES.tradeOff);
}

export interface GrlInfo extends GrlSchedule {
  from: string;
}

/**
 * The run's GRL schedule: tllib's DomainAdversarialLoss default (tanh(i/2000)) adjusted by any grl_* hyperparameters.
 * Undefined when the run has no discriminator, or is not a tllib run and logged no GRL settings (schedule unknown).
 */
const grlCache = new WeakMap<object, { hp: object; value: GrlInfo | undefined }>();

export function grlScheduleOf(run: Readonly<Run>): GrlInfo | undefined {
  // asked by several rules per run; a pure function of the run's algorithm, series and hyperparameters
  const hit = grlCache.get(run);
  if (hit && hit.hp === run.hyperparameters) return hit.value;
  const value = computeGrlSchedule(run);
  grlCache.set(run, { hp: run.hyperparameters, value });
  return value;
}

function computeGrlSchedule(run: Readonly<Run>): GrlInfo | undefined {
  if (!hasDiscriminator(run)) return undefined;
  const hi = hyperNumber(run, HYPER_NAMES.grlHi);
  const lo = hyperNumber(run, HYPER_NAMES.grlLo);
  const alpha = hyperNumber(run, HYPER_NAMES.grlAlpha);
  const maxIters = hyperNumber(run, HYPER_NAMES.grlMaxIters);
  const logged = [hi, lo, alpha, maxIters].filter((h) => h !== undefined);
  const tllib = run.formats.includes('tllib');
  if (!tllib && logged.length === 0) return undefined;
  const s: GrlInfo = {
    alpha: alpha?.value ?? TLLIB_DANN_GRL.alpha,
    lo: lo?.value ?? TLLIB_DANN_GRL.lo,
    hi: hi?.value ?? TLLIB_DANN_GRL.hi,
    maxIters: maxIters?.value ?? TLLIB_DANN_GRL.maxIters,
    from: logged.length ? `hyperparameters (${logged.map((h) => `${h!.name}=${h!.value}`).join(', ')})` : "tllib's DomainAdversarialLoss default (tanh(i/2000))",
  };
  return s;
}

/** A scripted change of the GRL ceiling mid-run (grl_switch_iter / grl_switch_hi in a modified tllib script). */
export function grlSwitchOf(run: Readonly<Run>): { iter: number; hiBefore: number; hiAfter: number; text: string } | undefined {
  const iter = hyperNumber(run, HYPER_NAMES.grlSwitchIter);
  const hiAfter = hyperNumber(run, HYPER_NAMES.grlSwitchHi);
  if (!iter || !hiAfter) return undefined;
  const hiBefore = hyperNumber(run, HYPER_NAMES.grlHi)?.value ?? TLLIB_DANN_GRL.hi;
  return { iter: iter.value, hiBefore, hiAfter: hiAfter.value, text: `${iter.name}=${iter.value}, ${hiAfter.name}=${hiAfter.value}` };
}

/** The run's GRL coefficient at iteration `step`, with any scripted switch of the ceiling applied. */
export function grlCoefficientAt(run: Readonly<Run>, step: number): number | undefined {
  const s = grlScheduleOf(run);
  if (!s) return undefined;
  const sw = grlSwitchOf(run);
  const hi = sw && step >= sw.iter ? sw.hiAfter : s.hi;
  return grlCoefficient(step, { ...s, hi });
}

/** Iteration after which the GRL coefficient has covered `fraction` of its range; undefined without a known schedule. */
export function warmupEndOf(run: Readonly<Run>, fraction = WARMUP_FRACTION): { step: number; schedule: GrlInfo } | undefined {
  const schedule = grlScheduleOf(run);
  if (!schedule) return undefined;
  return { step: grlWarmupEnd(fraction, schedule), schedule };
}

export function grlAt(step: number, s: GrlSchedule): number {
  return grlCoefficient(step, s);
}

/** Total training iterations: planned (epochs x iters_per_epoch), else the last logged step + 1. */
export function totalIterationsOf(run: Readonly<Run>): { value: number; from: string } | undefined {
  const epochs = hyperNumber(run, HYPER_NAMES.epochs);
  const ipe = itersPerEpochOf(run);
  if (epochs && ipe) return { value: epochs.value * ipe, from: `${epochs.name}=${epochs.value} x ${ipe} iterations` };
  let last = -1;
  for (const s of Object.values(run.series)) {
    if (s.granularity !== 'iteration') continue;
    const p = s.points[s.points.length - 1];
    if (p && p.step > last) last = p.step;
  }
  return last >= 0 ? { value: last + 1, from: 'last logged step' } : undefined;
}

export const LOSS_KEYS = [KEY.loss, KEY.clsLoss, KEY.transferLoss] as const;

export interface DivergenceHit {
  series: Series;
  index: number;
  kind: 'non-finite' | 'exploded';
  value: number;
  reference: number;
  ratio: number;
  maxValue: number;
}

/** The earliest NaN/Inf or blow-up (EXPLOSION_FACTOR x the starting level) among the training losses. */
const divergenceCache = new WeakMap<object, { series: object; value: DivergenceHit | undefined }>();

export function divergenceOf(run: Readonly<Run>, factor = EXPLOSION_FACTOR): DivergenceHit | undefined {
  if (factor !== EXPLOSION_FACTOR) return computeDivergence(run, factor);
  // asked by most rules (not applicable after a divergence) and by the causes: computed once per run
  const hit = divergenceCache.get(run);
  if (hit && hit.series === run.series) return hit.value;
  const value = computeDivergence(run, factor);
  divergenceCache.set(run, { series: run.series, value });
  return value;
}

function computeDivergence(run: Readonly<Run>, factor: number): DivergenceHit | undefined {
  let best: DivergenceHit | undefined;
  for (const key of LOSS_KEYS) {
    const s = seriesOf(run, key);
    if (!s) continue;
    const values = s.points.map((p) => p.value);
    const hit = firstExplosion(values, { factor, head: EXPLOSION_HEAD, floor: EXPLOSION_FLOOR });
    if (!hit) continue;
    const maxValue = values.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), -Infinity);
    const cand: DivergenceHit = { series: s, index: hit.index, kind: hit.kind, value: hit.value, reference: hit.reference, ratio: hit.ratio, maxValue };
    if (!best || s.points[hit.index].step < best.series.points[best.index].step) best = cand;
  }
  return best;
}

export interface AccuracyFact {
  value: number;
  from: string;
  series?: Series;
  epoch?: EpochMean;
  ref?: SourceRef;
}

/** Source accuracy at the end: source validation if logged, else the last epoch's mean training (batch) accuracy. */
export function sourceAccuracyOf(run: Readonly<Run>): AccuracyFact | undefined {
  for (const key of [KEY.sourceValAcc, KEY.clsAcc]) {
    const ems = epochMeansOf(run, key).filter((e) => Number.isFinite(e.mean));
    const last = ems[ems.length - 1];
    if (last) {
      return { value: last.mean, from: key === KEY.clsAcc ? `last epoch's mean training accuracy (epoch ${shownEpoch(last.epoch, run.epochBase)})` : `source validation (epoch ${shownEpoch(last.epoch, run.epochBase)})`, series: seriesOf(run, key), epoch: last };
    }
  }
  return undefined;
}

export interface ValPoint {
  epoch: number;
  value: number;
  file: string;
  line?: number;
}

/**
 * What is known of a run's target curve, computed once per run: the validation curve and its facts per thresholds
 * (asked by several rules, the cause ranking and the checked lines). Recomputed when the run's validation series,
 * its iterations per epoch or its evaluations change.
 */
interface TargetCache {
  series: Series | undefined;
  points: number;
  ipe: number | undefined;
  evaluations: object;
  evals: number;
  curve?: ValPoint[];
  facts: Map<string, TargetCurveFacts | undefined>;
}

const targetCache = new WeakMap<object, TargetCache>();

function targetCacheOf(run: Readonly<Run>): TargetCache {
  const series = run.series[KEY.valAcc];
  const points = series?.points.length ?? 0;
  const ipe = itersPerEpochOf(run);
  let c = targetCache.get(run);
  if (!c || c.series !== series || c.points !== points || c.ipe !== ipe || c.evaluations !== run.evaluations || c.evals !== run.evaluations.length) {
    targetCache.set(run, (c = { series, points, ipe, evaluations: run.evaluations, evals: run.evaluations.length, facts: new Map() }));
  }
  return c;
}

/** Target validation accuracy per epoch (the val/acc1 series, else the logged evaluations). Callers must not mutate it. */
export function targetValCurveOf(run: Readonly<Run>): ValPoint[] {
  const c = targetCacheOf(run);
  return (c.curve ??= computeTargetValCurve(run));
}

function computeTargetValCurve(run: Readonly<Run>): ValPoint[] {
  const s = seriesOf(run, KEY.valAcc);
  if (s) {
    const ems = epochMeansCached(s, itersPerEpochOf(run));
    if (ems.length) return ems.map((e) => ({ epoch: e.epoch, value: e.mean, file: s.file, line: e.lastLine }));
  }
  const out = new Map<number, ValPoint>();
  for (const e of run.evaluations) {
    if (e.phase === 'val' && e.domain === 'target' && e.epoch !== undefined && e.acc1 !== undefined) {
      out.set(e.epoch, { epoch: e.epoch, value: e.acc1, file: e.file, line: e.line });
    }
  }
  return [...out.values()].sort((a, b) => a.epoch - b.epoch);
}

/** The run's reported target accuracy: test_acc1, else best_acc1, else the last validation. */
export function targetResultOf(run: Readonly<Run>): AccuracyFact | undefined {
  if (run.testAcc1 !== undefined) {
    const t = [...run.evaluations].reverse().find((e) => e.phase === 'test' && e.domain === 'target');
    return { value: run.testAcc1, from: 'test_acc1', ...(t ? { ref: { file: t.file, ...(t.line !== undefined ? { line: t.endLine ?? t.line } : {}) } } : {}) };
  }
  if (run.bestAcc1 !== undefined) return { value: run.bestAcc1, from: 'best_acc1' };
  const c = targetValCurveOf(run);
  const last = c[c.length - 1];
  return last ? { value: last.value, from: `target validation, epoch ${shownEpoch(last.epoch, run.epochBase)}`, ref: { file: last.file, line: last.line } } : undefined;
}

/**
 * The target accuracy of a source-only `baseline` to compare `run` with: the test evaluation labelled with the run's
 * task when the baseline was tested on several targets (SHOT's log_test.txt: `Task: AD`, `Task: AW`), null when none
 * matches (nothing comparable), else the baseline's own target result. Only a target split counts: a source-only run
 * whose only accuracy is source validation has no target result and gives no baseline number.
 */
export function baselineTargetResult(baseline: Readonly<Run>, run: Readonly<Run>): AccuracyFact | null | undefined {
  const hit = labelledBaselineResult(baseline, run);
  if (hit === null) return null;
  if (hit) return { value: hit.value, from: `test accuracy for ${hit.label}`, ref: { file: hit.file, ...(hit.line !== undefined ? { line: hit.line } : {}) } };
  return targetResultOf(baseline);
}

/** Where evaluated predictions came from, for evidence: the dump array and its rows (e.g. "target_logits, 225 rows"). */
export function predictionsSource(ev: { predictionsFrom: string; predictionsArray?: string; n: number }): string {
  return `predictions from ${ev.predictionsArray ?? ev.predictionsFrom}, ${ev.n} rows`;
}

export function numClassesOf(run: Readonly<Run>): number | undefined {
  for (const c of run.checkpoints) if (c.facts.numClasses) return c.facts.numClasses;
  if (run.eval?.numClasses) return run.eval.numClasses;
  const t = run.perClass.find((p) => p.rows.length > 1);
  if (t) return t.rows.length;
  return hyperNumber(run, HYPER_NAMES.numClasses)?.value;
}

/** BatchNorm in the discriminator: logged setting, checkpoint fact, or unknown. */
export function discriminatorBatchNormOf(run: Readonly<Run>): { value: boolean; from: string } | undefined {
  const h = hyperBool(run, HYPER_NAMES.discBatchNorm);
  if (h) return { value: h.value, from: `${h.name}=${h.value ? 'True' : 'False'}` };
  const c = run.checkpoints.find((k) => k.facts.discriminatorBatchNorm !== undefined);
  if (c) return { value: c.facts.discriminatorBatchNorm!, from: `checkpoint ${c.name}` };
  return undefined;
}

/** Evidence pointing at a stretch of epochs of one series (steps and log lines of its first and last points). */
export function epochEvidence(series: Series, ems: readonly EpochMean[], observed: Evidence['observed'], threshold?: string | number, note?: string): Evidence {
  const first = ems[0];
  const last = ems[ems.length - 1];
  const ev: Evidence = { file: series.file, series: series.key, observed };
  if (first) {
    ev.from = series.granularity === 'epoch' ? first.epoch : first.firstStep;
    ev.to = series.granularity === 'epoch' ? last.epoch : last.lastStep;
    ev.unit = series.granularity === 'epoch' ? 'epoch' : 'step';
    if (first.firstLine !== undefined) ev.line = first.firstLine;
    if (last.lastLine !== undefined && last.lastLine !== ev.line) ev.endLine = last.lastLine;
  }
  if (threshold !== undefined) ev.threshold = threshold;
  if (note) ev.note = note;
  return ev;
}

/** Evidence pointing at the hyperparameter line. */
export function hyperEvidence(run: Readonly<Run>, observed: Evidence['observed'], threshold?: string | number, note?: string): Evidence {
  const ref = run.hyperparametersFrom;
  const ev: Evidence = { file: ref?.file ?? run.files[0] ?? run.path, observed };
  if (ref?.line !== undefined) ev.line = ref.line;
  if (threshold !== undefined) ev.threshold = threshold;
  if (note) ev.note = note;
  return ev;
}

/** Without iteration numbers, tllib's warm-up (~2944 iterations) spans about 3 epochs of 1000 iterations. */
export const FALLBACK_WARMUP_EPOCHS = 3;

export interface PostWarmup {
  /** epoch means whose last iteration is at or after the warm-up end */
  epochs: EpochMean[];
  warmupStep: number;
  /** GRL coefficient at the warm-up end (as a share of hi for display) */
  lambda: number;
  how: string;
}

/**
 * The epoch means of `series` that lie after the GRL warm-up. With an unknown schedule, tllib's default is
 * assumed (it is the common case and the guard errs on the side of not calling the warm-up a failure).
 */
export function postWarmupEpochs(run: Readonly<Run>, series: Series, ems: EpochMean[], fraction = WARMUP_FRACTION): PostWarmup {
  const warm = warmupEndOf(run, fraction);
  const schedule = warm?.schedule ?? { ...TLLIB_DANN_GRL, from: 'assumed tllib default' };
  const warmupStep = warm?.step ?? grlWarmupEnd(fraction, TLLIB_DANN_GRL);
  const lambda = grlCoefficient(warmupStep, schedule);
  if (series.granularity === 'iteration') {
    return { epochs: ems.filter((e) => e.lastStep >= warmupStep), warmupStep, lambda, how: schedule.from };
  }
  const ipe = itersPerEpochOf(run);
  if (ipe) return { epochs: ems.filter((e) => (e.epoch + 1) * ipe - 1 >= warmupStep), warmupStep, lambda, how: schedule.from };
  return { epochs: ems.filter((e) => e.epoch >= FALLBACK_WARMUP_EPOCHS), warmupStep, lambda, how: `no iteration counts: epochs >= ${FALLBACK_WARMUP_EPOCHS} assumed past the warm-up` };
}

/** Adds line / endLine to evidence only when known (keeps the JSON free of undefined). */
export function withLines(ev: Evidence, line?: number, endLine?: number): Evidence {
  if (line !== undefined) ev.line = line;
  if (endLine !== undefined && endLine !== line) ev.endLine = endLine;
  return ev;
}

// ---- Noise model per curve (computed once per run and curve, shared by the rules and the checked lines) ----

const NOISE_CACHE = new WeakMap<object, Map<string, NoiseModel>>();

/** The noise model of a run's curve (`name` names the curve, `values` are its per-epoch values); cached per run. */
export function noiseOf(run: Readonly<Run>, name: string, values: readonly number[]): NoiseModel {
  let byRun = NOISE_CACHE.get(run);
  if (!byRun) NOISE_CACHE.set(run, (byRun = new Map()));
  const key = `${name}#${values.length}#${values[0]}#${values[values.length - 1]}`;
  let m = byRun.get(key);
  if (!m) byRun.set(key, (m = noiseModel(values)));
  return m;
}

/**
 * Degradation thresholds (target-acc-degrading's defaults; the checked line uses the same ones).
 * minDrop: the smoothed peak must exceed the end level by 3 points: the gap between domain-adaptation methods on
 * standard benchmarks is 1-3 points, so losing 3 points to training longer matters; whether such a drop is more than
 * noise is minZ's job (a small target set's noisy curve needs a far larger drop).
 * minZ: and by 2.5x the noise of that difference (two levels, each the average of a few epochs): a one-sided
 * 2.5-sigma gap arises from noise alone about once in 160 comparisons.
 */
export const DEGRADATION = { minDrop: 3, minZ: 2.5, minEpochs: 5 } as const;

/**
 * Oscillation thresholds (the oscillation rule's defaults; the degradation check uses the same ones).
 * targetSwing: epoch-to-epoch noise of an accuracy measured on n samples is about sqrt(2 p(1-p)/n): ~4.7 points
 * for n = 225, ~1.6 for n = 2000. A median swing of 6 points is beyond test-set noise for all but tiny target sets.
 * minReversalRate: half of the moves reverse direction: a zig-zag, not a climb or a fall.
 * overTrend: the swing around the smoothed level (robust spread of the residual) is at least twice the level's own
 * per-epoch move: the back-and-forth, not a climb or a fall, is what the curve does (a staircase climb reverses
 * every epoch too, but its level moves more than it wobbles).
 */
export const OSCILLATION = { targetSwing: 6, domainSwing: 8, minReversalRate: 0.5, overTrend: 2, minEpochs: 5 } as const;

export interface TargetCurveFacts {
  curve: ValPoint[];
  model: NoiseModel;
  peak: PeakToEnd;
  /** swing of the curve after its warm-up */
  swing: Swing | null;
  /** the curve zig-zags (OSCILLATION thresholds, or the ones given) */
  oscillating: boolean;
  /** the end is below the smoothed peak by more than minDrop points and minZ x its noise */
  degrading: boolean;
}

type DegradationOptions = { minDrop: number; minZ: number; minEpochs: number };
type OscillationOptions = { targetSwing: number; minReversalRate: number; overTrend: number; minEpochs: number };

/** Target-accuracy curve with its noise model, peak-to-end drop and swing; undefined with fewer than minEpochs values. */
export function targetCurveFactsOf(run: Readonly<Run>, deg: DegradationOptions = DEGRADATION, osc: OscillationOptions = OSCILLATION): TargetCurveFacts | undefined {
  // target-acc-degrading, oscillation and the checked lines ask with the same (default) thresholds
  const c = targetCacheOf(run);
  const key = [deg.minDrop, deg.minZ, deg.minEpochs, osc.targetSwing, osc.minReversalRate, osc.overTrend, osc.minEpochs].join(',');
  if (c.facts.has(key)) return c.facts.get(key);
  const facts = computeTargetCurveFacts(run, deg, osc);
  c.facts.set(key, facts);
  return facts;
}

function computeTargetCurveFacts(run: Readonly<Run>, deg: DegradationOptions, osc: OscillationOptions): TargetCurveFacts | undefined {
  const curve = targetValCurveOf(run).filter((v) => Number.isFinite(v.value));
  if (curve.length < Math.min(deg.minEpochs, osc.minEpochs) || curve.length < 3) return undefined;
  const values = curve.map((v) => v.value);
  const model = noiseOf(run, 'target', values);
  const peak = peakToEnd(values, model);
  if (!peak) return undefined;
  const sw = curve.length - model.warmupEnd >= osc.minEpochs ? swing(values, model, model.warmupEnd) : null;
  const oscillating = !!sw && isOscillating(sw, osc.targetSwing, osc);
  const degrading = curve.length >= deg.minEpochs && peak.drop >= deg.minDrop && peak.z >= deg.minZ;
  return { curve, model, peak, swing: sw, oscillating, degrading };
}

export function isOscillating(s: Swing, minSwing: number, o: { minReversalRate: number; overTrend: number } = OSCILLATION): boolean {
  return s.medianSwing >= minSwing && s.reversalRate >= o.minReversalRate && s.amplitude >= o.overTrend * s.trendStep;
}
