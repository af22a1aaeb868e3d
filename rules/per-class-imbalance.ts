// Rule: per-class target accuracy very uneven (from a per-class table or re-evaluation) while the source fits.
import { createRule } from '../src/engine/create-rule.js';
import type { Evidence, CauseId } from '../src/report/schema.js';
import type { PerClassTable } from '../src/model/types.js';
import type { EpochBase } from '../src/model/epoch-numbering.js';
import { finalPerClassTable, perClassTableLabel } from '../src/model/per-class-table.js';
import { isSourceOnlyRun, divergenceOf, fmt, predictionsSource } from '../src/facts/facts.js';

/** A class at or below this recall counts as "never predicted" when telling imbalance from collapse. */
const COLLAPSE_ZERO = 10;

interface ClassAccs {
  names: string[];
  accs: number[];
  evidence: Evidence;
  where: string;
}

function fromTable(t: PerClassTable, base: EpochBase | undefined): ClassAccs {
  const rows = t.rows.filter((r) => Number.isFinite(r.acc));
  const label = perClassTableLabel(t, base);
  const ev: Evidence = { file: t.file, observed: '', note: `per-class ${label}` };
  if (t.line !== undefined) ev.line = t.line;
  if (t.endLine !== undefined) ev.endLine = t.endLine;
  if (t.epoch !== undefined) {
    ev.from = t.epoch;
    ev.to = t.epoch;
    ev.unit = 'epoch';
  }
  return { names: rows.map((r) => r.name), accs: rows.map((r) => r.acc), evidence: ev, where: label };
}

function stats(accs: number[]) {
  const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
  const sd = Math.sqrt(accs.reduce((a, b) => a + (b - mean) ** 2, 0) / accs.length);
  return { mean, sd, cv: mean > 0 ? sd / mean : Infinity, min: Math.min(...accs), max: Math.max(...accs) };
}

export default createRule({
  meta: {
    id: 'per-class-imbalance',
    description: 'Per-class target accuracy is very uneven while the source classes are fine.',
    defaultSeverity: 'error',
    needs: ['perClass (target) or eval.target.perClassAcc'],
    messages: {
      uneven:
        'target per-class accuracy {{min}}%..{{max}}% ({{where}}; spread {{spread}} points, CV {{cv}}); classes {{low}} below {{lowLevel}}%',
      sourceToo:
        'per-class accuracy is uneven on the target ({{min}}%..{{max}}%) and on the source too (CV {{sourceCv}}): some classes are not learned at all, not only misaligned',
    },
    causes: [
      { id: 'class-imbalance-or-label-shift', weight: 0.7 },
      { id: 'conditional-shift', weight: 0.35 },
    ],
    fixes: [
      'estimate the target class priors (from predictions, BBSE) and compare them with the source',
      'class-weighted / importance-weighted adversarial loss (IWDAN), or CDAN+E, instead of marginal DANN alignment',
    ],
    options: { minSpread: 40, minCv: 0.3, lowShare: 0.5 },
    optionDocs: {
      minSpread: 'Best minus worst class of at least 40 points: with ~20 target samples per class, sampling noise alone moves a class by about 10 points.',
      minCv:
        'Coefficient of variation (sd/mean) of the per-class accuracies of at least 0.3. Healthy adapted runs measured 0.15-0.16; noise alone with 20 samples per class at 85% gives about 0.09.',
      lowShare: 'Classes below half the mean per-class accuracy are named as the ones left behind.',
    },
  },
  check({ run, options, report }) {
    if (isSourceOnlyRun(run)) return { notApplicable: 'source-only run: uneven target classes are the unadapted domain shift itself (compare an adapted run)' };
    if (divergenceOf(run)) return { notApplicable: 'the losses diverged; see loss-divergence' };
    let target: ClassAccs | undefined;
    const ev = run.eval?.target;
    if (ev && ev.perClassAcc.length > 1) {
      const names = run.eval?.classNames ?? ev.perClassAcc.map((_, i) => String(i));
      const idx = ev.perClassAcc.map((a, i) => [a, i] as const).filter(([a]) => Number.isFinite(a));
      target = { names: idx.map(([, i]) => names[i]), accs: idx.map(([a]) => a), evidence: { file: run.features?.path ?? run.path, observed: '', note: `per-class accuracy from re-evaluation (${predictionsSource(ev)})` }, where: 're-evaluated final model' };
    } else {
      const pick = finalPerClassTable(run.perClass, 'target', 2);
      if (pick) target = fromTable(pick, run.epochBase);
    }
    if (!target || target.accs.length < 3) return { notApplicable: 'no per-class target accuracy (log with --per-class-eval, or dump features.npz with labels and logits)' };
    const t = stats(target.accs);
    // One class recalled and the rest near 0 is every sample getting one label: a collapse, reported by its own rule.
    if (target.accs.filter((a) => a > COLLAPSE_ZERO).length <= 1) return { notApplicable: 'all but one class at ~0%: a prediction collapse; see target-prediction-collapse' };
    const spread = t.max - t.min;
    if (spread < options.minSpread || t.cv < options.minCv) return;
    const lowLevel = t.mean * options.lowShare;
    const low = target.names.filter((_, i) => target!.accs[i] < lowLevel);
    const data = { min: fmt(t.min), max: fmt(t.max), where: target.where, spread: fmt(spread), cv: fmt(t.cv, 2), low: low.length ? low.join(', ') : 'none', lowLevel: fmt(lowLevel) };
    target.evidence.observed = `${fmt(t.min)}..${fmt(t.max)}% (CV ${fmt(t.cv, 2)})`;
    target.evidence.threshold = `spread >= ${options.minSpread} and CV >= ${options.minCv}`;
    const src = run.eval?.source?.perClassAcc.filter((a) => Number.isFinite(a));
    if (src && src.length > 2 && stats(src).cv >= options.minCv) {
      const causes: { id: CauseId; weight: number }[] = [{ id: 'insufficient-capacity-or-underfit', weight: 0.6 }, { id: 'class-imbalance-or-label-shift', weight: 0.3 }];
      report({ messageId: 'sourceToo', data: { ...data, sourceCv: fmt(stats(src).cv, 2) }, evidence: [target.evidence], causes });
      return;
    }
    report({ messageId: 'uneven', data, evidence: [target.evidence] });
  },
});
