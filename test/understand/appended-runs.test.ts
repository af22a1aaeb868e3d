// Appended invocations: a new config with other hyperparameters is a separate run, the same config again a restart
// of one run; CSV/JSONL attempts get a status from their plan and from a stdout capture beside them. Self-made inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunAttempt } from '../../src/model/types.js';
import { groupAppendedRuns, appendedRunCounts, configIdentity, attemptStatusFromPlan } from '../../src/understand/appended-runs.js';
import { readJsonlLog } from '../../src/ingest/jsonl/index.js';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { loadRun } from '../../src/pipeline/load-run.js';

const attempt = (index: number, config?: RunAttempt['config']): RunAttempt => ({ file: 'log.txt', line: index * 10, endLine: index * 10 + 9, index, status: 'unknown', pointCounts: {}, ...(config ? { config } : {}) });

test('same config = restarts of one run; other hyperparameters = a new run; where it ran is not a hyperparameter', () => {
  const a = [
    attempt(1, { lr: 0.001, seed: 1, gpu: '0', out_file: "<open file 'log.txt', mode 'a' at 0x7f01>" }),
    attempt(2, { lr: 0.001, seed: 1, gpu: '1', out_file: "<open file 'log.txt', mode 'a' at 0x7f99>" }),
    attempt(3, { lr: 0.001, seed: 2, gpu: '1' }),
    attempt(4, { lr: 0.01, seed: 2, method: 'CDAN' }),
    attempt(5), // no config printed: nothing says the settings changed
  ];
  groupAppendedRuns(a);
  assert.deepEqual(a.map((x) => x.run), [1, 1, 2, 3, 3]);
  assert.deepEqual(a.map((x) => x.changed), [undefined, undefined, ['seed'], ['lr', 'method'], undefined]);
  assert.deepEqual(appendedRunCounts(a), { runs: 3, restarts: 2, configs: true });
  assert.deepEqual([...configIdentity({ device: 'cuda:0', 'data.source.list_path': 'a.txt' }).keys()], ['data.source.list_path']);
});

test('attempt status from the plan: epochs counted from the attempt\'s first epoch (0 or 1), else steps', () => {
  assert.equal(attemptStatusFromPlan({ epochs: 3 }, { firstEpoch: 0, lastEpoch: 2 }).status, 'finished');
  assert.equal(attemptStatusFromPlan({ epochs: 3 }, { firstEpoch: 1, lastEpoch: 2 }).status, 'incomplete');
  assert.equal(attemptStatusFromPlan({ epochs: 3 }, { firstEpoch: 1, lastEpoch: 3 }).status, 'finished');
  assert.equal(attemptStatusFromPlan({ 'hparams.max_steps': 5001 }, { lastStep: 5000 }).status, 'finished');
  assert.equal(attemptStatusFromPlan({ lr: 0.1 }, { lastEpoch: 9 }).status, 'unknown');
  // evaluated every 500 of 16,004 iterations: the last log at 16000 is the end; at 15500 it is not
  assert.equal(attemptStatusFromPlan({ num_iterations: 16004 }, { lastStep: 16000, stepInterval: 500 }).status, 'finished');
  assert.equal(attemptStatusFromPlan({ num_iterations: 16004 }, { lastStep: 15500, stepInterval: 500 }).status, 'incomplete');
  // the plan printed on the lines (`Iter:400/4000`) wins over the config
  assert.equal(attemptStatusFromPlan({ max_iter: 9999 }, { lastStep: 4000, plannedSteps: 4000 }).status, 'finished');
  assert.equal(attemptStatusFromPlan(undefined, { lastEpoch: 9 }).status, 'unknown');
  assert.equal(attemptStatusFromPlan(undefined, { firstEpoch: 1, lastEpoch: 50, plannedEpochs: 50 }).status, 'finished');
});

test('a CSV with a restart appended: each attempt gets a status from the hparams.yaml beside it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-csv-attempts-'));
  writeFileSync(join(dir, 'metrics.csv'), 'epoch,loss,val_acc\n0,1.0,0.5\n1,0.8,0.6\nepoch,loss,val_acc\n0,1.0,0.5\n1,0.7,0.65\n2,0.6,0.7\n');
  writeFileSync(join(dir, 'hparams.yaml'), 'epochs: 3\nlr: 0.01\n');
  const { runs } = await discoverRuns([dir]);
  const run = await loadRun(runs[0]);
  assert.deepEqual(run.attempts!.map((a) => [a.status, a.statusFrom]), [
    ['incomplete', 'stopped at epoch 1 of 3 planned (epochs)'],
    ['finished', 'reached epoch 2 of 3 planned (epochs)'],
  ]);
});

test('JSONL: a config row with other hyperparameters starts a new run; each attempt ends by its own plan', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-jsonl-attempts-'));
  const rows = [
    { config: { lr: 0.1, epochs: 2 } }, { epoch: 0, step: 0, loss: 1 }, { epoch: 1, step: 10, loss: 0.5 },
    { config: { lr: 0.01, epochs: 3 } }, { epoch: 0, step: 0, loss: 1 }, { epoch: 1, step: 10, loss: 0.9 },
  ];
  writeFileSync(join(dir, 'log.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const { runs } = await discoverRuns([dir]);
  const run = await loadRun(runs[0]);
  assert.deepEqual(run.attempts!.map((a) => [a.status, a.run, a.changed]), [['finished', 1, undefined], ['incomplete', 2, ['epochs', 'lr']]]);
  const f = await readJsonlLog(join(dir, 'log.jsonl'));
  assert.equal(f.attempts!.length, 2);
});

test('a stdout capture split into as many invocations gives the CSV attempts their tracebacks (Ctrl-C = killed)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-capture-attempts-'));
  writeFileSync(join(dir, 'metrics.csv'), 'epoch,loss,val_acc\n0,1.0,0.5\n1,0.9,0.55\nepoch,loss,val_acc\n0,1.0,0.5\n1,0.7,0.65\n2,0.6,0.7\n');
  writeFileSync(join(dir, 'hparams.yaml'), 'epochs: 3\n');
  writeFileSync(join(dir, 'out.txt'), [
    'Namespace(lr=0.01, epochs=3)', 'epoch 0 loss 1.0', 'epoch 1 loss 0.9', 'Traceback (most recent call last):', '  File "train.py", line 9, in <module>', 'KeyboardInterrupt',
    'Namespace(lr=0.01, epochs=3)', 'epoch 0 loss 1.0', 'epoch 1 loss 0.7', 'epoch 2 loss 0.6',
  ].join('\n') + '\n');
  const { runs } = await discoverRuns([dir]);
  const run = await loadRun(runs[0]);
  const csv = run.attempts!.filter((a) => a.file.endsWith('metrics.csv'));
  assert.deepEqual(csv.map((a) => a.status), ['killed', 'finished']);
  assert.match(csv[0].statusFrom!, /invocation 1 of out\.txt \(lines 1-6\)/);
  assert.equal(csv[0].crash!.type, 'KeyboardInterrupt');
});
