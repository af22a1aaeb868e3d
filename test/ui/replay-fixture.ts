// A hand-made replay report for the UI tests: two variants, two seeds each, numbers chosen so means and sds are known.
import { TLLIB_DEFAULTS } from '../../src/replay/config.js';
import type { ReplayReport, ReplayTrial } from '../../src/report/replay-schema.js';

const trial = (targetAcc: number, domainAcc: number | null): ReplayTrial => ({
  seed: 0, iterations: 300, domainAcc, domainAccCurve: [], sourceAcc: 97, targetAcc, predictionEntropy: 0.9, topClassShare: 0.2, aDistance: 1.2, diverged: false, seconds: 3,
});
/** Two variants with two seeds each: means and sample sds worked out by hand below. */
export function replayReport(): ReplayReport {
  const v = (label: string, t: [number, number], d: [number, number] | null, verdict: string) => ({
    variant: { label, origin: 'run', changes: {}, config: TLLIB_DEFAULTS },
    trials: [trial(t[0], d?.[0] ?? null), trial(t[1], d?.[1] ?? null)],
    // mean and sd of the two seeds: (a+b)/2 and |a-b|/sqrt(2)
    domainAcc: d ? { mean: (d[0] + d[1]) / 2, sd: Math.abs(d[0] - d[1]) / Math.SQRT2 } : null,
    targetAcc: { mean: (t[0] + t[1]) / 2, sd: Math.abs(t[0] - t[1]) / Math.SQRT2 },
    sourceAcc: { mean: 97, sd: 0 },
    aDistance: { mean: 1.2, sd: 0 },
    domainState: d ? ('contested' as const) : null,
    collapsed: false,
    diverged: false,
    verdict,
  });
  return {
    caveat: 'A replay trains only the bottleneck, head and discriminator on frozen backbone features.',
    backend: 'onnxruntime-node',
    inputs: { source: 'source_backbone_features', target: 'target_backbone_features', sourceRows: 225, targetRows: 225, featureDim: 128, classes: 10, heldOutFraction: 0.3 },
    iterations: 300, seeds: 2, budgetSeconds: 30, budgetExhausted: false,
    variants: [v('as configured', [80, 82], [60, 62], 'reference point'), v('algorithm=cdan+e', [86, 88], [55, 57], 'better (+6.0 points target)')],
    notes: ['not stated by the run, replayed with tllib\'s defaults: lrGamma'],
  };
}

