// The static list of every rule dann-doctor runs, in report order (symptoms of the run first, then config lints).
import type { AnyRule } from '../src/engine/create-rule.js';
import lossDivergence from './loss-divergence.js';
import runCrashed from './run-crashed.js';
import runIncomplete from './run-incomplete.js';
import sourceUnderfit from './source-underfit.js';
import targetPredictionCollapse from './target-prediction-collapse.js';
import domainAccSaturated from './domain-acc-saturated.js';
import domainAccAtChance from './domain-acc-at-chance.js';
import perClassImbalance from './per-class-imbalance.js';
import targetAccDegrading from './target-acc-degrading.js';
import noAdaptationGain from './no-adaptation-gain.js';
import curveJump from './curve-jump.js';
import oscillation from './oscillation.js';
import discriminatorBatchnorm from './discriminator-batchnorm.js';
import tinyBatchBatchnorm from './tiny-batch-batchnorm.js';
import tradeOffExtreme from './trade-off-extreme.js';
import lrOutOfRange from './lr-out-of-range.js';
import grlWarmupHorizon from './grl-warmup-horizon.js';
import oracleModelSelection from './oracle-model-selection.js';

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
