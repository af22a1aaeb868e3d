// The replay against real retraining (../shared/runs: real DANN runs that differ in one setting; docs/replay.md has
// the full table, including where the replay disagrees). Only pairs where it agrees are asserted here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SHARED } from '../helpers/shared.js';
import { loadBackend } from '../../src/evaluate/backend.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { replayVariants } from '../../src/replay/replay-run.js';
import { TLLIB_DEFAULTS, variantsFor } from '../../src/replay/config.js';
import type { ReplayConfig } from '../../src/report/replay-schema.js';

// The healthy run's Namespace: bottleneck_dim=128, disc_batch_norm=False, disc_hidden=1024, 15 epochs x 300 iterations.
const HEALTHY: ReplayConfig = { ...TLLIB_DEFAULTS, bottleneckDim: 128, discBatchNorm: false, runIterations: 4500 };

test('lr 10 on the healthy run\'s features breaks the game, as the real lr-10 retraining (diverged: target ~10%) did', async () => {
  const be = await loadBackend();
  const arrays = await readNpz(join(SHARED, 'runs', 'healthy', 'features.npz'));
  const r = await replayVariants(be.tf, { arrays, file: 'features.npz' }, variantsFor(HEALTHY, [], [{ lr: 10 }], 2), { backendName: be.name, iterations: 150, maxSeeds: 1, budgetSeconds: 1e9 });
  const [base, lr10] = r.variants;
  assert.equal(lr10!.variant.label, 'lr=10');
  assert.ok(base!.targetAcc!.mean > 70, `as configured: target ${base!.targetAcc!.mean}`);
  assert.ok(lr10!.diverged || lr10!.collapsed || lr10!.targetAcc!.mean < base!.targetAcc!.mean - 30, `lr 10: ${JSON.stringify(lr10!.targetAcc)} diverged=${lr10!.diverged}`);
  assert.match(lr10!.verdict, /diverged|collapsed|worse/);
});

test('DANN on the source-only run\'s features beats source-only, as the real DANN retraining did (49.8 -> 85.8)', async () => {
  const be = await loadBackend();
  const arrays = await readNpz(join(SHARED, 'runs', 'source_only', 'features.npz'));
  const r = await replayVariants(be.tf, { arrays, file: 'features.npz' }, variantsFor(HEALTHY, [], [], 2), { backendName: be.name, iterations: 300, maxSeeds: 2, budgetSeconds: 1e9 });
  const [dann, sourceOnly] = r.variants;
  assert.equal(sourceOnly!.variant.config.algorithm, 'source-only');
  assert.ok(dann!.targetAcc!.mean > sourceOnly!.targetAcc!.mean, `DANN ${dann!.targetAcc!.mean} vs source-only ${sourceOnly!.targetAcc!.mean}`);
});
