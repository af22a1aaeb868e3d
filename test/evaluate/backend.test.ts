// The backend ladder: picks a rung that loads, says why, can be forced, and TF.js never loads statically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadBackend, parseBackendName, BACKEND_LADDER, UnknownBackendError, BackendUnavailableError } from '../../src/evaluate/backend.js';
import { REPO_ROOT } from '../helpers/shared.js';

test('auto: the chosen rung is named in the reason, and every rung above it is listed as skipped with why', async () => {
  const b = await loadBackend();
  assert.ok(BACKEND_LADDER.includes(b.name));
  assert.match(b.reason, new RegExp(`^${b.name}: `));
  for (const above of BACKEND_LADDER.slice(0, BACKEND_LADDER.indexOf(b.name))) {
    assert.match(b.reason, new RegExp(`skipped .*${above} \\(`), `reason should say why ${above} was skipped: ${b.reason}`);
  }
  assert.equal(typeof b.tf.matMul, 'function');
});

test('forcing wasm and cpu works and computes', async () => {
  for (const name of ['wasm', 'cpu'] as const) {
    const b = await loadBackend({ backend: name });
    assert.equal(b.name, name);
    assert.equal(b.tf.getBackend(), name);
    assert.match(b.reason, /^forced with --backend/);
    const y = b.tf.tidy(() => b.tf.matMul(b.tf.tensor2d([1, 2, 3, 4], [2, 2]), b.tf.tensor2d([1, 0, 0, 1], [2, 2])).dataSync());
    assert.deepEqual([...y], [1, 2, 3, 4]);
  }
});

test('an unknown backend name is a usage error listing the choices', () => {
  assert.throws(() => parseBackendName('tpu'), (e: unknown) => e instanceof UnknownBackendError && /wasm/.test((e as Error).message));
  assert.equal(parseBackendName(' WASM '), 'wasm');
  assert.equal(parseBackendName('cuda'), 'tfjs-node-gpu');
});

test('forcing a rung that cannot load says which and why instead of falling back', async () => {
  // tfjs-node needs its native addon, which no CI install here builds; skip where a user has it.
  let hasNode = true;
  try { await import('@tensorflow/tfjs-node' as string); } catch { hasNode = false; }
  if (hasNode) return;
  await assert.rejects(loadBackend({ backend: 'tfjs-node' }), (e: unknown) => e instanceof BackendUnavailableError && /tfjs-node/.test((e as Error).message));
});

test('no file of src/evaluate imports TF.js statically (a --format json run must not load it)', () => {
  const dir = resolve(REPO_ROOT, 'src/evaluate');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const src = readFileSync(resolve(dir, f), 'utf8');
    const staticImports = src.split('\n').filter((l) => /^\s*(import|export)\b(?!\s+type\b).*from\s+'(@tensorflow|onnxruntime|webgpu)/.test(l));
    assert.deepEqual(staticImports, [], `${f} imports a heavy package statically`);
  }
});
