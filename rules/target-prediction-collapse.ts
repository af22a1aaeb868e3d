// Rule: target predictions concentrated on a few classes (needs predictions from re-evaluation or a per-class table).
import { createRule } from '../src/engine/create-rule.js';
import type { CauseId } from '../src/report/schema.js';
import { divergenceOf, fmt, numClassesOf, predictionsSource, targetValCurveOf } from '../src/facts/facts.js';
import { shownEpoch } from '../src/model/epoch-numbering.js';

/** After a divergence the collapse is the dead network's, not the alignment's. */
const AFTER_DIVERGENCE: { id: CauseId; weight: number }[] = [{ id: 'learning-rate-too-high', weight: 0.7 }, { id: 'trade-off-too-high', weight: 0.1 }];

export default createRule({
  meta: {
    id: 'target-prediction-collapse',
    description: 'Target predictions are concentrated on few classes.',
    defaultSeverity: 'error',
    needs: ['eval.target.predHistogram, or a per-class target table, or the final target accuracy and the number of classes'],
    messages: {
      collapsed:
        '{{share}}% of target predictions fall in class {{top}} (normalised prediction entropy {{entropy}}; the labels put {{labelShare}}% there): the classifier collapsed on the target',
      tableCollapsed:
        'the per-class target table shows class {{top}} at {{topAcc}}% and {{zero}} of {{classes}} classes at or near 0%: nearly every target sample gets the same label',
      atChance:
        'target accuracy is {{acc}}% ({{from}}), chance level for {{classes}} classes ({{chance}}%): the classifier does no better than a guess on the target, the mark of collapsed predictions (no predictions were read to see which class they fall in)',
    },
    causes: [
      { id: 'learning-rate-too-high', weight: 0.4 },
      { id: 'trade-off-too-high', weight: 0.35 },
      { id: 'class-imbalance-or-label-shift', weight: 0.25 },
    ],
    fixes: ['check for divergence first (lr, NaN)', 'lower trade_off so alignment cannot override the classifier', 'add a diversity / entropy term (e.g. MCC, CDAN+E)'],
    options: { maxEntropy: 0.5, maxShare: 50, tableTop: 90, tableZero: 10, chanceMargin: 0.5, chanceMarginMin: 1, chanceMarginMax: 5 },
    optionDocs: {
      maxEntropy: 'Entropy of the prediction histogram / ln C below 0.5: fewer than about C^0.5 classes effectively in use.',
      maxShare: 'Half of all target predictions in one class is a collapse unless the labels are that concentrated too (checked against the label histogram).',
      tableTop: 'In a per-class table, one class recalled at >= 90% ...',
      tableZero: '... while most classes sit at <= 10% means almost every sample gets that one label.',
      chanceMargin:
        'Without predictions: a final target accuracy at most chance (100/C %) plus half of chance counts as "at chance" (a dead or collapsed classifier; sampling noise of a few hundred test images moves an at-chance score by about that much) ...',
      chanceMarginMin: '... the margin is at least 1 point (65 classes: chance 1.5%, noise still about a point) ...',
      chanceMarginMax: '... and at most 5 points, so 2 classes (chance 50%) needs <= 55%.',
    },
  },
  check({ run, options, report }) {
    const causes = divergenceOf(run) ? AFTER_DIVERGENCE : undefined;
    const ev = run.eval?.target;
    if (ev && ev.predHistogram.length > 1) {
      const total = ev.predHistogram.reduce((a, b) => a + b, 0);
      if (total === 0) return { notApplicable: 'empty prediction histogram' };
      let top = 0;
      ev.predHistogram.forEach((c, i) => {
        if (c > ev.predHistogram[top]) top = i;
      });
      const share = (100 * ev.predHistogram[top]) / total;
      const labelTotal = ev.labelHistogram.reduce((a, b) => a + b, 0);
      const labelShare = labelTotal ? (100 * (ev.labelHistogram[top] ?? 0)) / labelTotal : NaN;
      const concentratedLabels = Number.isFinite(labelShare) && labelShare >= share / 2;
      if ((ev.predEntropyNorm < options.maxEntropy || share >= options.maxShare) && !concentratedLabels) {
        const name = run.eval?.classNames?.[top] ?? String(top);
        report({
          messageId: 'collapsed',
          data: { share: fmt(share), top: name, entropy: fmt(ev.predEntropyNorm, 2), labelShare: fmt(labelShare) },
          evidence: [{ file: run.features?.path ?? run.path, observed: `${fmt(share)}% in class ${name}`, threshold: `entropy < ${options.maxEntropy} or share >= ${options.maxShare}%`, note: predictionsSource(ev) }],
          ...(causes ? { causes } : {}),
        });
      }
      return;
    }
    const tables = run.perClass.filter((t) => t.domain === 'target' && t.rows.length > 2);
    const t = tables.filter((x) => x.phase === 'val').at(-1) ?? tables.at(-1);
    if (!t) return atChanceCheck(run, options, report, causes);
    const rows = t.rows.filter((r) => Number.isFinite(r.acc));
    const top = rows.reduce((a, r) => (r.acc > a.acc ? r : a), rows[0]);
    const zero = rows.filter((r) => r !== top && r.acc <= options.tableZero).length;
    if (top.acc >= options.tableTop && zero >= Math.ceil((rows.length - 1) * 0.8)) {
      report({
        messageId: 'tableCollapsed',
        data: { top: top.name, topAcc: fmt(top.acc), zero, classes: rows.length },
        evidence: [{ file: t.file, ...(t.line !== undefined ? { line: t.line } : {}), ...(t.endLine !== undefined ? { endLine: t.endLine } : {}), observed: `${zero} classes <= ${options.tableZero}%`, threshold: `one class >= ${options.tableTop}%` }],
        ...(causes ? { causes } : {}),
      });
    }
  },
});

type Options = { chanceMargin: number; chanceMarginMin: number; chanceMarginMax: number };
type Report = Parameters<Parameters<typeof createRule>[0]['check']>[0]['report'];

/** From the log alone: the final target accuracy at chance level for a known number of classes. */
function atChanceCheck(run: Parameters<Parameters<typeof createRule>[0]['check']>[0]['run'], options: Options, report: Report, causes: { id: CauseId; weight: number }[] | undefined) {
  const C = numClassesOf(run);
  if (!C || C < 2) return { notApplicable: 'no target predictions (no features.npz), no per-class table, and the number of classes is unknown' };
  const curve = targetValCurveOf(run);
  const last = curve[curve.length - 1];
  const acc = last
    ? { value: last.value, from: `target validation, epoch ${shownEpoch(last.epoch, run.epochBase)}`, file: last.file, line: last.line }
    : run.testAcc1 !== undefined ? { value: run.testAcc1, from: 'test_acc1', file: run.files[0] ?? run.path, line: undefined } : undefined;
  if (!acc) return { notApplicable: 'no target predictions (no features.npz), no per-class table and no target accuracy' };
  const chance = 100 / C;
  const margin = Math.min(options.chanceMarginMax, Math.max(options.chanceMarginMin, options.chanceMargin * chance));
  if (acc.value > chance + margin) return;
  report({
    messageId: 'atChance',
    data: { acc: fmt(acc.value), from: acc.from, classes: C, chance: fmt(chance) },
    evidence: [{ file: acc.file, ...(acc.line !== undefined ? { line: acc.line } : {}), observed: acc.value, threshold: `<= ${fmt(chance + margin)}% (chance ${fmt(chance)}% + ${fmt(margin)})`, note: `${C} classes` }],
    ...(causes ? { causes } : {}),
  });
  return undefined;
}
