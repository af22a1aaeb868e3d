// The two schedules of a tllib DANN/CDAN run, compressed onto a replay of fewer iterations.
import { grlCoefficient } from '../signals/grl-schedule.js';
import type { ReplayConfig } from '../report/replay-schema.js';

/**
 * The run iteration that replay step `step` of `replaySteps` stands for. A replay is much shorter than the run
 * (heads on frozen features converge in hundreds of steps, not thousands), so the GRL ramp and the lr decay are
 * played at the same *fraction* of training: the reversal reaches the strength it reached in the run, the lr the
 * level it fell to. Cost O(1).
 */
export function runIterationAt(step: number, replaySteps: number, cfg: Pick<ReplayConfig, 'runIterations'>): number {
  if (replaySteps <= 0) return 0;
  return (step / replaySteps) * Math.max(cfg.runIterations, replaySteps);
}

/** tllib's LambdaLR: lr * (1 + gamma * i) ** -decay, times a parameter group's multiplier. */
export function learningRateAt(i: number, cfg: Pick<ReplayConfig, 'lr' | 'lrGamma' | 'lrDecay'>, mult = 1): number {
  return cfg.lr * mult * Math.pow(1 + cfg.lrGamma * i, -cfg.lrDecay);
}

/** WarmStartGradientReverseLayer's coefficient at run iteration i. */
export function reversalAt(i: number, cfg: Pick<ReplayConfig, 'grlAlpha' | 'grlLo' | 'grlHi' | 'grlMaxIters'>): number {
  return grlCoefficient(i, { alpha: cfg.grlAlpha, lo: cfg.grlLo, hi: cfg.grlHi, maxIters: cfg.grlMaxIters });
}
