// The discriminator's state, from whichever signal the run logged: domain accuracy, or else the domain (BCE) loss.
import type { Run, Series } from '../model/types.js';
import { KEY } from '../model/metric-keys.js';
import type { EpochMean } from '../signals/epoch-means.js';
import { epochMeansOf, seriesOf, DISCRIMINATOR_ALGORITHMS, fmt } from './facts.js';

/** Algorithms whose "transfer loss" is a discrepancy (MMD, CORAL, classifier disagreement), not a discriminator's BCE. */
const DISCREPANCY_ALGORITHMS = new Set(['dan', 'jan', 'mdd', 'mcd', 'afn', 'mcc', 'self_ensemble', 'fixmatch', 'cc_loss', 'erm']);
/** Raw names that say "discriminator / domain classifier / adversarial". */
const DOMAIN_LOSS_NAME = /dom|disc|adv|(^|[^a-z])d_?loss|loss_?d($|[^a-z])/i;
/** Raw names that say "discrepancy": never a BCE. */
const DISCREPANCY_NAME = /mmd|coral|mk|jmmd|wasserstein|entropy|mcc/i;

/**
 * A BCE summing a source and a target term sits at 2 ln 2 = 1.386 at chance; a single (or averaged) term at
 * ln 2 = 0.693, and it only falls from there as the discriminator learns. Early epoch means above 1.5 ln 2 = 1.04
 * are therefore a sum of two terms: one term that high would mean confidently wrong answers from the start.
 */
export const TWO_TERM_LEVEL = 1.5 * Math.LN2;

export interface DomainSignal {
  kind: 'accuracy' | 'bce-loss';
  series: Series;
  /** finite epoch means */
  ems: EpochMean[];
  /** chance level in the series' unit: 50 (%), ln 2, or 2 ln 2 */
  chance: number;
  /** BCE terms summed in the logged loss (1 for accuracy) */
  terms: 1 | 2;
  /** how reports name it, e.g. 'domain accuracy (train/domain_acc)' or 'domain loss Domain_loss (BCE, chance 2 ln 2 = 1.386)' */
  label: string;
}

/** Whether the run's transfer loss is a discriminator's binary cross-entropy. */
export function isDomainBce(run: Readonly<Run>, s: Series): boolean {
  if (DISCREPANCY_ALGORITHMS.has(run.algorithm) || DISCREPANCY_NAME.test(s.rawName)) return false;
  return DISCRIMINATOR_ALGORITHMS.has(run.algorithm) || DOMAIN_LOSS_NAME.test(s.rawName);
}

/**
 * The domain signal of a run: the domain accuracy when logged, else the domain loss when it is a BCE.
 * Undefined when neither exists or the loss has no epoch structure.
 */
export function domainSignalOf(run: Readonly<Run>): DomainSignal | undefined {
  const acc = seriesOf(run, KEY.domainAcc);
  if (acc) {
    const ems = epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean));
    return { kind: 'accuracy', series: acc, ems, chance: 50, terms: 1, label: `domain accuracy (${acc.rawName})` };
  }
  const loss = seriesOf(run, KEY.transferLoss);
  if (!loss || !isDomainBce(run, loss)) return undefined;
  const ems = epochMeansOf(run, KEY.transferLoss).filter((e) => Number.isFinite(e.mean));
  if (ems.length === 0) return undefined;
  const head = ems.slice(0, Math.max(1, Math.min(3, Math.ceil(ems.length / 10)))).map((e) => e.mean).sort((a, b) => a - b);
  const terms: 1 | 2 = head[head.length >> 1] > TWO_TERM_LEVEL ? 2 : 1;
  const chance = terms * Math.LN2;
  return {
    kind: 'bce-loss', series: loss, ems, chance, terms,
    label: `domain loss ${loss.rawName} (BCE${terms === 2 ? ' summed over source and target' : ''}, chance ${terms === 2 ? '2 ln 2' : 'ln 2'} = ${fmt(chance, 3)})`,
  };
}
