// The static list of every rule dann-doctor runs, in report order (symptoms of the run first, then config lints).
import type { AnyRule } from './create-rule.js';
import lossDivergence from '../../rules/loss-divergence.js';
import runCrashed from '../../rules/run-crashed.js';
import runIncomplete from '../../rules/run-incomplete.js';
import sourceUnderfit from '../../rules/source-underfit.js';
import targetPredictionCollapse from '../../rules/target-prediction-collapse.js';
import domainAccSaturated from '../../rules/domain-acc-saturated.js';
import domainAccAtChance from '../../rules/domain-acc-at-chance.js';
import perClassImbalance from '../../rules/per-class-imbalance.js';
import targetAccDegrading from '../../rules/target-acc-degrading.js';
import noAdaptationGain from '../../rules/no-adaptation-gain.js';
import curveJump from '../../rules/curve-jump.js';
import oscillation from '../../rules/oscillation.js';
import discriminatorBatchnorm from '../../rules/discriminator-batchnorm.js';
import tinyBatchBatchnorm from '../../rules/tiny-batch-batchnorm.js';
import tradeOffExtreme from '../../rules/trade-off-extreme.js';
import lrOutOfRange from '../../rules/lr-out-of-range.js';
import grlWarmupHorizon from '../../rules/grl-warmup-horizon.js';
import oracleModelSelection from '../../rules/oracle-model-selection.js';

export const RULES: readonly AnyRule[] = [
  lossDivergence,
  runCrashed,
  runIncomplete,
  sourceUnderfit,
  targetPredictionCollapse,
  domainAccSaturated,
  domainAccAtChance,
  perClassImbalance,
  targetAccDegrading,
  noAdaptationGain,
  curveJump,
  oscillation,
  discriminatorBatchnorm,
  tinyBatchBatchnorm,
  tradeOffExtreme,
  lrOutOfRange,
  grlWarmupHorizon,
  oracleModelSelection,
];

export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
