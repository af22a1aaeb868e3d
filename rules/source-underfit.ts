// Rule: the model does not even fit the labelled source domain.
import { createRule } from '../src/engine/create-rule.js';
import type { CauseId } from '../src/report/schema.js';
import { KEY } from '../src/model/metric-keys.js';
import { sourceAccuracyOf, numClassesOf, divergenceOf, epochEvidence, fmt } from '../src/facts/facts.js';

export default createRule({
  meta: {
    id: 'source-underfit',
    description: 'The model does not fit the labelled source domain.',
    defaultSeverity: 'error',
    needs: [KEY.clsAcc],
    messages: {
      atChance: 'source accuracy is {{acc}}% at the end ({{from}}), chance level for {{classes}} classes: the network learned nothing',
      underfit: 'source accuracy is only {{acc}}% at the end ({{from}}), below {{threshold}}%: the model does not fit the labelled domain, so there is nothing to transfer',
    },
    causes: [
      { id: 'insufficient-capacity-or-underfit', weight: 0.55 },
      { id: 'trade-off-too-high', weight: 0.3 },
      { id: 'learning-rate-too-high', weight: 0.25 },
    ],
    fixes: ['train source-only first (trade_off=0) and check it fits', 'lower trade_off if the adversarial term overrides classification', 'check the lr (too high diverges, too low never fits)'],
    options: { minAcc: 60, chanceMargin: 1.5, minEpochs: 2 },
    optionDocs: {
      minAcc:
        'Training-batch source accuracy of standard DA backbones reaches 90-100% within a few epochs (tllib logs show 90%+ on Office-31, 99% on digits); below 60% at the end the classifier has not fit the source.',
      chanceMargin: 'At most 1.5x chance (100/C %) counts as "at chance": nothing was learned.',
      minEpochs: 'A run that stopped (crashed, killed) within its first epoch has not had the chance to fit; finished runs are always judged.',
    },
  },
  check({ run, options, report }) {
    const acc = sourceAccuracyOf(run);
    if (!acc || !acc.series || !acc.epoch) return { notApplicable: 'no source accuracy (Cls Acc / source validation)' };
    if (acc.value >= options.minAcc) return;
    const epochs = acc.series.points.reduce((set, p) => set.add(p.epoch ?? -1), new Set<number>()).size;
    if (acc.series.granularity === 'iteration' && epochs < options.minEpochs && run.status !== 'finished') {
      return { notApplicable: `the run stopped after ${epochs} epoch(s); too early to judge the source fit` };
    }
    const C = numClassesOf(run);
    const diverged = divergenceOf(run);
    const causes: { id: CauseId; weight: number }[] = diverged
      ? [{ id: 'learning-rate-too-high', weight: 0.7 }, { id: 'insufficient-capacity-or-underfit', weight: 0.15 }]
      : [{ id: 'insufficient-capacity-or-underfit', weight: 0.55 }, { id: 'trade-off-too-high', weight: 0.3 }, { id: 'learning-rate-too-high', weight: 0.25 }];
    const evidence = [epochEvidence(acc.series, [acc.epoch], Number(acc.value.toFixed(2)), `>= ${options.minAcc}%`)];
    if (C && acc.value <= (100 / C) * options.chanceMargin) {
      report({ messageId: 'atChance', data: { acc: fmt(acc.value), from: acc.from, classes: C }, evidence, causes });
    } else {
      report({ messageId: 'underfit', data: { acc: fmt(acc.value), from: acc.from, threshold: options.minAcc }, evidence, causes });
    }
  },
});
