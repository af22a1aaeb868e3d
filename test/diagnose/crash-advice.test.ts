// Crash advice names what helps for this crash with this run's numbers, and only points at checkpoints that exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeRun } from '../../src/pipeline/judge.js';
import { resolveConfig } from '../../src/pipeline/config.js';
import { makeRun, FAKE_LOG } from '../rules/runs.js';

const oom = { file: FAKE_LOG, line: 812, type: 'torch.cuda.OutOfMemoryError', message: 'CUDA out of memory. Tried to allocate 20.00 MiB' };

test("CUDA OOM: lower the batch size (with the run's own value) or AMP; no resume from a checkpoint that does not exist", () => {
  const r = judgeRun(makeRun({ status: 'crashed', epochsCompleted: 3, crash: oom, hyperparameters: { batch_size: 64 } }), resolveConfig());
  const crash = r.causes.find((c) => c.id === 'crash')!;
  const fixes = crash.fixes.join('\n');
  assert.match(fixes, /batch_size=64: lower it \(batch_size=32\)/);
  assert.match(fixes, /mixed precision/);
  assert.doesNotMatch(fixes, /latest\.pth/);
  assert.match(fixes, /rerun \(no checkpoint was saved/);
});

test('a crash with a saved latest.pth resumes from it', () => {
  const run = makeRun({ status: 'crashed', crash: { ...oom, type: 'KeyError', message: "'x'" }, checkpoints: [{ path: '/fake/run/checkpoints/latest.pth', name: 'latest.pth', format: 'zip', tensors: [], facts: {}, notes: [] } as never] });
  assert.match(judgeRun(run, resolveConfig()).causes.find((c) => c.id === 'crash')!.fixes.join('\n'), /resume from checkpoints\/latest\.pth/);
});

test('a run that never trained does not list the GRL warm-up as checked', () => {
  const r = judgeRun(makeRun({ status: 'crashed', crash: { file: FAKE_LOG, line: 3, type: 'AttributeError', message: '' }, hyperparameters: { grl_max_iters: 1000 } }), resolveConfig());
  assert.ok(!r.checked.some((l) => /GRL warm-up/.test(l)), r.checked.join('\n'));
  assert.ok(r.findings.some((f) => f.message === 'the run crashed with AttributeError (the exception has no message)'));
});
