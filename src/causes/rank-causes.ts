// Combines findings (cause weights) with hyperparameter and checkpoint evidence into causes ranked by confidence.
import type { Run } from '../model/types.js';
import type { CauseId, Finding, RankedCause, Severity } from '../report/schema.js';
import { CAUSE_IDS } from '../report/schema.js';
import { KEY } from '../model/metric-keys.js';
import { HYPER_NAMES, hyperNumber, showHyper } from '../facts/hyper.js';
import { discriminatorBatchNormOf, epochMeansOf, seriesOf, postWarmupEpochs, hasDiscriminator, fmt } from '../facts/facts.js';
import { fixesFor } from './fixes.js';
import { experimentFor } from './experiments.js';
import { shownEpoch } from '../model/epoch-numbering.js';

/** An info finding is a hint, not a symptom: it supports a cause at half weight and cannot raise one alone. */
const SEVERITY_FACTOR: Record<Severity, number> = { error: 1, warn: 1, info: 0.5 };
/** Causes below this confidence are noise and are not listed. */
export const MIN_CONFIDENCE = 0.1;
/** A discriminator that settles inside this band after the warm-up is not winning (healthy DANN: 50-70%). */
const BALANCED_DOMAIN_ACC = 70;
/**
 * A fresh linear probe separating final source and target features this well (A-distance >= 1.8) means the features
 * are still domain-specific; tllib's DANN on Office-31 A->W ends near A-distance 1.36 (probe ~84%).
 */
const DOMAIN_PROBE_SEPARABLE = 95;
/** Symptoms that noisy BatchNorm statistics (batch size < 8) produce in DANN training. */
const TINY_BATCH_SYMPTOMS = new Set(['domain-acc-saturated', 'domain-acc-at-chance', 'oscillation', 'curve-jump', 'source-underfit', 'target-acc-degrading']);
/** Causes that only exist where a domain discriminator and a gradient-reversal layer do. */
const DISCRIMINATOR_CAUSES = new Set<CauseId>(['discriminator-too-strong', 'discriminator-not-learning', 'grl-coefficient-too-low']);
/** Hidden width beyond tllib's 1024 and lr multipliers above 1 make the discriminator stronger. */
const STRONG_HIDDEN = 2048;

interface Acc {
  /** product of (1 - w) over the supporting evidence: confidence = 1 - miss (noisy-OR) */
  miss: number;
  /** multiplicative adjustments from evidence that lowers the cause */
  scale: number;
  evidence: string[];
  raisedBySymptom: boolean;
}

function add(acc: Map<CauseId, Acc>, id: CauseId, weight: number, line: string, symptom: boolean): void {
  let a = acc.get(id);
  if (!a) acc.set(id, (a = { miss: 1, scale: 1, evidence: [], raisedBySymptom: false }));
  a.miss *= 1 - Math.max(0, Math.min(1, weight));
  a.evidence.push(`${line} (+${weight.toFixed(2)})`);
  if (symptom) a.raisedBySymptom = true;
}

function lower(acc: Map<CauseId, Acc>, id: CauseId, factor: number, line: string): void {
  const a = acc.get(id);
  if (!a) return;
  a.scale *= factor;
  a.evidence.push(`${line} (x${factor.toFixed(2)})`);
}

/** The finding's message up to its explanation (after ': ') or 110 characters: the findings list has the rest. */
export function headline(message: string): string {
  const cut = message.indexOf(': ', 20);
  const head = cut > 0 ? message.slice(0, cut) : message;
  return head.length > 110 ? `${head.slice(0, 109)}…` : head;
}

/** Ranked causes for a run given its findings. Only causes raised by at least one warn/error finding are listed. */
export function rankCauses(run: Readonly<Run>, findings: readonly Finding[]): RankedCause[] {
  const acc = new Map<CauseId, Acc>();
  const active = findings.filter((f) => !f.suppressed);
  for (const f of active) {
    const weights = f.causeWeights ?? f.causes.map((id) => ({ id, weight: 0.5 }));
    for (const w of weights) {
      add(acc, w.id, w.weight * SEVERITY_FACTOR[f.severity], `${f.ruleId}: ${headline(f.message)}`, f.severity !== 'info');
    }
  }
  const has = (ruleId: string, messageId?: string) => active.some((f) => f.ruleId === ruleId && (!messageId || f.messageId === messageId));

  // Hyperparameter and checkpoint evidence: only strengthens or weakens causes some symptom already raised.
  const lr = hyperNumber(run, HYPER_NAMES.lr);
  if (lr && lr.value >= 0.1 && (has('loss-divergence') || has('oscillation'))) {
    add(acc, 'learning-rate-too-high', 0.3, `${showHyper(lr)} together with unstable losses`, false);
  }
  const bn = discriminatorBatchNormOf(run);
  const hidden = hyperNumber(run, HYPER_NAMES.discHidden);
  const mult = hyperNumber(run, HYPER_NAMES.discLrMult);
  if (acc.has('discriminator-too-strong')) {
    if (hidden && hidden.value >= STRONG_HIDDEN) add(acc, 'discriminator-too-strong', 0.1, `${showHyper(hidden)} (wider than tllib's 1024)`, false);
    if (mult && mult.value > 1) add(acc, 'discriminator-too-strong', 0.1, `${showHyper(mult)} (discriminator learns faster than the features)`, false);
    const steps = hyperNumber(run, HYPER_NAMES.discSteps);
    if (steps && steps.value > 1) add(acc, 'discriminator-too-strong', 0.1, `${showHyper(steps)} (several discriminator updates per feature update)`, false);
    if (bn?.value === false) lower(acc, 'discriminator-too-strong', 0.7, `${bn.from}: no BatchNorm in the discriminator`);
    const dom = seriesOf(run, KEY.domainAcc);
    if (dom) {
      const post = postWarmupEpochs(run, dom, epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean))).epochs;
      const last = post[post.length - 1];
      if (last && last.mean < BALANCED_DOMAIN_ACC && !has('domain-acc-saturated')) {
        lower(acc, 'discriminator-too-strong', 0.45, `domain accuracy settled at ${fmt(last.mean)}% after the GRL warm-up (epoch ${shownEpoch(last.epoch, run.epochBase)}): the reversal is holding, the discriminator is not winning`);
      }
    }
  }
  const cf = run.eval?.discriminatorCounterfactual;
  if (cf && acc.has('discriminator-too-strong')) {
    const w = cf.withBatchNorm.stepsToSeparate;
    const wo = cf.withoutBatchNorm.stepsToSeparate;
    // with early stopping a variant that never separated ran stepsRun steps, not the whole budget
    const show = (n: number | null, ran?: number) => (n === null ? `not within ${ran ?? cf.budgetSteps} steps` : `in ${n} steps`);
    const ranW = cf.stepsRun?.withBatchNorm;
    const ranWo = cf.stepsRun?.withoutBatchNorm;
    if (w !== null && (wo === null || w <= wo / 2)) {
      add(acc, 'discriminator-too-strong', 0.15, `on this run's features a BatchNorm discriminator separates the domains ${show(w, ranW)}, without BatchNorm ${show(wo, ranWo)}`, false);
    } else {
      lower(acc, 'discriminator-too-strong', 0.8, `BatchNorm does not make the discriminator much faster on this run's features (${show(w, ranW)} vs ${show(wo, ranWo)})`);
    }
  }
  const probe = run.eval?.domainProbe;
  if (probe && probe.accuracy >= DOMAIN_PROBE_SEPARABLE) {
    for (const id of ['discriminator-too-strong', 'grl-coefficient-too-low', 'discriminator-not-learning'] as CauseId[]) {
      if (acc.has(id)) add(acc, id, 0.1, `a fresh linear probe still separates the final source/target features at ${fmt(probe.accuracy)}% (A-distance ${fmt(probe.aDistance, 2)})`, false);
    }
  }
  if (acc.has('class-imbalance-or-label-shift') && run.eval?.targetLabelDistribution && run.eval.sourceLabelDistribution) {
    const t = run.eval.targetLabelDistribution;
    const s = run.eval.sourceLabelDistribution;
    const tv = 0.5 * t.reduce((a, v, i) => a + Math.abs(v - (s[i] ?? 0)), 0);
    if (tv >= 0.2) add(acc, 'class-imbalance-or-label-shift', 0.3, `estimated target label distribution differs from the source's (total variation ${fmt(tv, 2)})`, false);
    else lower(acc, 'class-imbalance-or-label-shift', 0.7, `estimated target label distribution close to the source's (total variation ${fmt(tv, 2)})`);
  }
  if (has('trade-off-extreme', 'tooLow')) {
    // With almost no reversal any discriminator wins; its strength is not the story.
    lower(acc, 'discriminator-too-strong', 0.6, 'the adversarial weight is too low for any discriminator to be held (trade-off-extreme)');
  }
  if (has('tiny-batch-batchnorm')) {
    // BatchNorm over 2B samples makes batch statistics noise: the symptoms below are what that produces.
    for (const f of active) {
      if (f.severity !== 'info' && TINY_BATCH_SYMPTOMS.has(f.ruleId)) add(acc, 'tiny-batch-batchnorm', 0.2, `${f.ruleId} is what BatchNorm on a tiny batch produces`, true);
    }
  }
  // tllib prints nan for classes with no target samples: the target label space is smaller than the source's
  // (partial DA), and marginal alignment then pulls target samples onto the missing classes.
  const tables = run.perClass.filter((t) => t.domain === 'target' && t.rows.length > 1);
  const table = tables[tables.length - 1];
  const absent = table ? table.rows.filter((r) => !Number.isFinite(r.acc)) : [];
  if (absent.length && active.some((f) => f.severity !== 'info')) {
    const names = absent.slice(0, 5).map((r) => r.name).join(', ') + (absent.length > 5 ? ', ...' : '');
    add(acc, 'label-space-mismatch', 0.5, `${absent.length} of ${table!.rows.length} classes have no target samples in the per-class table (${names}; ${table!.file}${table!.line !== undefined ? `:${table!.line}` : ''})`, true);
  }
  if (has('loss-divergence')) {
    // A diverged network explains underfit, collapse and a flat discriminator; do not blame the data for it.
    for (const id of ['insufficient-capacity-or-underfit', 'class-imbalance-or-label-shift', 'conditional-shift', 'discriminator-not-learning'] as CauseId[]) {
      lower(acc, id, 0.5, 'the losses diverged, which explains this symptom by itself');
    }
  }

  const out: RankedCause[] = [];
  const discriminator = hasDiscriminator(run);
  for (const [id, a] of acc) {
    if (!a.raisedBySymptom) continue;
    // MMD-style methods (DAN, JAN) have no discriminator and no GRL: those causes cannot apply.
    if (!discriminator && DISCRIMINATOR_CAUSES.has(id)) continue;
    const confidence = Math.round((1 - a.miss) * a.scale * 100) / 100;
    if (confidence < MIN_CONFIDENCE) continue;
    out.push({ id, confidence, evidence: a.evidence, fixes: fixesFor(id, run, active) });
  }
  out.sort((x, y) => y.confidence - x.confidence || CAUSE_IDS.indexOf(x.id) - CAUSE_IDS.indexOf(y.id));
  if (out.length) {
    const exp = experimentFor(out[0].id, out[1]?.id, run);
    if (exp) out[0].experiment = exp;
  }
  return out;
}
