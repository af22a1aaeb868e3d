// Cheap experiments that tell the two top-ranked causes apart.
import type { Run } from '../model/types.js';
import type { CauseId } from '../report/schema.js';
import { HYPER_NAMES, hyperNumber, showHyper } from '../facts/hyper.js';

type Pair = `${CauseId}|${CauseId}`;

function key(a: CauseId, b: CauseId): Pair {
  return (a < b ? `${a}|${b}` : `${b}|${a}`) as Pair;
}

export function experimentFor(top: CauseId, second: CauseId | undefined, run: Readonly<Run>): string | undefined {
  const lr = hyperNumber(run, HYPER_NAMES.lr);
  const t = hyperNumber(run, HYPER_NAMES.tradeOff);
  const lrText = lr ? `${lr.name}=${lr.value / 10}` : 'a 10x lower lr';
  if (!second) {
    if (top === 'learning-rate-too-high') return `rerun one epoch with ${lrText}: if the loss now falls steadily, the lr was the cause`;
    return undefined;
  }
  const pair = key(top, second);
  const table: Partial<Record<Pair, string>> = {
    [key('discriminator-too-strong', 'grl-coefficient-too-low')]:
      'rerun with DomainDiscriminator(batch_norm=False) and the same trade_off: if domain accuracy now settles at 55-70% after the warm-up the discriminator was too strong; if it stays high, raise trade_off instead',
    [key('class-imbalance-or-label-shift', 'conditional-shift')]:
      `compare the predicted target class frequencies with the source (${run.eval ? 'the re-evaluation above' : run.evalFailure ? 'a re-evaluation, which failed here' : 'run with --eval'}) or retrain with class-balanced target sampling: a skewed target label distribution, or accuracy recovering under balanced sampling, means label shift; balanced labels with the same weak classes mean conditional shift`,
    [key('learning-rate-too-high', 'insufficient-capacity-or-underfit')]:
      `rerun one epoch with ${lrText}: a loss that now falls means the lr; a loss that stays flat means the model/data`,
    [key('learning-rate-too-high', 'trade-off-too-high')]:
      `rerun one epoch with ${t ? `${t.name}=0` : 'trade_off=0'} (source-only): if it still blows up, it is the lr, not the adversarial term`,
    [key('discriminator-not-learning', 'conditional-shift')]:
      `rerun ~1000 iterations with ${t ? `${t.name}=0` : 'trade_off=0'} (discriminator trained, no reversal): domain accuracy should climb well above 50%; if it does not, the discriminator path is broken`,
    [key('discriminator-not-learning', 'discriminator-too-strong')]:
      'log the discriminator outputs (mean sigmoid on source and target) for a few hundred iterations: outputs stuck at 0 or 1 on both domains mean a saturated, dead discriminator; confident and correct outputs mean it is winning',
    [key('tiny-batch-batchnorm', 'learning-rate-too-high')]: 'rerun with batch_size 32 at the same lr: if training stabilises, BatchNorm statistics were the problem',
  };
  if (table[pair]) return table[pair];
  if (top === 'learning-rate-too-high' || second === 'learning-rate-too-high') return `rerun one epoch with ${lrText}: if the symptom goes away, it was the lr; otherwise look at ${top === 'learning-rate-too-high' ? second : top}`;
  if (t && (top === 'trade-off-too-high' || second === 'trade-off-too-high')) return `rerun with ${t.name}=${t.value / 3}: if the symptom shrinks, the adversarial weight was too high; otherwise look at ${top === 'trade-off-too-high' ? second : top}`;
  if (top === 'tiny-batch-batchnorm' || second === 'tiny-batch-batchnorm') {
    const other = top === 'tiny-batch-batchnorm' ? second : top;
    return `rerun with batch_size 32 (or BatchNorm statistics frozen), everything else unchanged: if the symptoms go away it was BatchNorm; if they stay, look at ${other}`;
  }
  return `change one thing: rerun with only the first fix for ${top}, everything else unchanged (${t ? showHyper(t) : 'same settings'}); if the symptoms behind ${second} remain, it is a separate problem`;
}
