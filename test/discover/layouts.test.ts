// Discovery across the layouts other codebases leave: found however deep, grouped per run, stdout/config/done beside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, basename, relative } from 'node:path';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { loadRun } from '../../src/pipeline/load-run.js';

/** A minimal valid TFRecord header is not needed: discovery goes by names; content is the readers' business. */
async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
}

test('runs are found however deep and however named, one per folder that holds logs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dd-layouts-'));
  try {
    await tree(root, {
      'a/b/c/lightning_logs/version_0/metrics.csv': 'epoch,step,val_acc\n0,10,0.5\n',
      'a/b/c/lightning_logs/version_0/hparams.yaml': 'lr: 0.1\n',
      'a/b/c/lightning_logs/version_1/events.out.tfevents.1.host': '',
      'mlruns/0/abc123/meta.yaml': 'status: 3\n',
      'mlruns/0/abc123/metrics/acc': '1 0.5 0\n',
      'object/ckps/target/uda/office/AD/log_par_0.3.txt': 'Task: AD, Iter:8/120; Accuracy = 86.95%\n',
      'pytorch/snapshot/san/log.txt': "{'method': 'CDAN'}iter: 00000, precision: 0.02\n",
      'wandb/run-20240413_191550-bnb7rj6y/files/wandb-summary.json': '{}',
      'wandb/run-20240413_191550-bnb7rj6y/files/output.log': 'Epoch: 0, loss: 1\n',
      'wandb/run-20240413_191550-bnb7rj6y/files/config.yaml': 'lr:\n  value: 1\n',
      'wandb/run-20240413_191550-bnb7rj6y/run-bnb7rj6y.wandb': '',
      'train_output/out.txt': 'Environment:\n',
      'train_output/err.txt': '',
      'train_output/results.jsonl': '{"step": 0}\n',
      'train_output/done': 'done',
      'dassl_out/log.txt': 'epoch [1/2][1/5]\tloss_x 1.0\n',
      'dassl_out/tensorboard/events.out.tfevents.2.host': '',
      'slurm_job/slurm-1234.out': 'step 1 loss 2\n',
      'slurm_job/config.yaml': 'lr: 0.1\n',
    });
    const { runs, errors } = await discoverRuns([root]);
    assert.deepEqual(errors, []);
    const ids = runs.map((r) => relative(root, r.path)).sort();
    assert.deepEqual(ids, [
      'a/b/c/lightning_logs/version_0', 'a/b/c/lightning_logs/version_1', 'dassl_out', 'mlruns/0/abc123',
      'object/ckps/target/uda/office/AD', 'pytorch/snapshot/san', 'slurm_job', 'train_output', 'wandb/run-20240413_191550-bnb7rj6y',
    ]);
    const by = (p: string) => runs.find((r) => relative(root, r.path) === p)!;
    // W&B: the folder is the run; files/ and logs/ are not runs of their own; output.log is its stdout
    assert.equal(by('wandb/run-20240413_191550-bnb7rj6y').wandbDir, by('wandb/run-20240413_191550-bnb7rj6y').path);
    assert.deepEqual(by('wandb/run-20240413_191550-bnb7rj6y').stdoutFiles?.map((f) => basename(f)), ['output.log']);
    // DomainBed: results.jsonl is the log; out.txt/err.txt are captures; `done` marks the end
    const db = by('train_output');
    assert.deepEqual(db.logFiles.map((f) => basename(f)), ['results.jsonl']);
    assert.deepEqual(db.stdoutFiles?.map((f) => basename(f)), ['err.txt', 'out.txt']);
    assert.equal(basename(db.doneMarker!), 'done');
    // Dassl: tensorboard/ inside the output folder belongs to that run
    assert.equal(by('dassl_out').tfeventsDir, join(root, 'dassl_out', 'tensorboard'));
    assert.deepEqual(by('slurm_job').configFiles?.map((f) => basename(f)), ['config.yaml']);
    assert.deepEqual(by('slurm_job').stdoutFiles?.map((f) => basename(f)), ['slurm-1234.out']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('stdout captures: the newest invocation decides; a done marker says finished; stderr alone cannot overrule', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dd-layouts-'));
  try {
    const inv = (body: string) => `Environment:\n\tPython: 3.9\nArgs:\n\tseed: 0\n${body}`;
    await tree(root, {
      'run/results.jsonl': '{"step": 0, "env0_out_acc": 0.5}\n{"step": 300, "env0_out_acc": 0.6}\n',
      'run/out.txt': inv('Traceback (most recent call last):\n  File "a.py", line 1\nKeyboardInterrupt\n') + inv('step 0 acc 1\n'),
      'run/err.txt': 'Traceback (most recent call last):\n  File "a.py", line 1\nKeyboardInterrupt\n',
    });
    let run = await loadRun((await discoverRuns([join(root, 'run')])).runs[0]);
    assert.notEqual(run.status, 'killed');
    assert.equal(run.crash, undefined);
    assert.equal(run.attempts?.length, 2);
    assert.equal(run.attempts?.[0].status, 'killed');
    await writeFile(join(root, 'run', 'done'), 'done');
    run = await loadRun((await discoverRuns([join(root, 'run')])).runs[0]);
    assert.equal(run.status, 'finished');
    // alone, a capture whose newest invocation was stopped by Ctrl-C makes the run killed
    await tree(root, { 'only/nohup.out': 'epoch 1 loss 2\nepoch 2 loss 1\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyboardInterrupt\n' });
    run = await loadRun((await discoverRuns([join(root, 'only')])).runs[0]);
    assert.equal(run.status, 'killed');
    assert.deepEqual(Object.values(run.series).map((s) => s.rawName), ['loss']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
