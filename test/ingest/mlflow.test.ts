// Tests for the MLflow file-store reader on a constructed mlruns tree (fixtures/mlflow/make_fixture.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMlflowRun, isMlflowRunDir, parseParamValue, sniffMlflowMeta } from '../../src/ingest/mlflow/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import { FIXTURES, SHARED_RUNS, hasShared } from '../helpers/shared.js';
import type { RunFragment, Series } from '../../src/model/types.js';

const EXP = join(FIXTURES, 'mlflow', 'mlruns', '0');
const HEALTHY = join(EXP, '6f1c2b7e9a0d4c3f8e5b1a2d3c4e5f60');
const CRASHED = join(EXP, '9e2a4b6c8d0e1f2a3b4c5d6e7f8a9b0c');
const seriesOf = (f: RunFragment, key: string): Series => {
  const s = f.series!.find((x) => x.key === key);
  assert.ok(s, `series ${key} present (have ${f.series!.map((x) => x.key).join(', ')})`);
  return s;
};

test('params: Python str() values come back typed', () => {
  assert.equal(parseParamValue('0.01'), 0.01);
  assert.equal(parseParamValue('1e-05'), 1e-5);
  assert.equal(parseParamValue('False'), false);
  assert.equal(parseParamValue('None'), null);
  assert.deepEqual(parseParamValue("['clean', 'noisy']"), ['clean', 'noisy']);
  assert.equal(parseParamValue('lenet_small'), 'lenet_small');
  assert.ok(Number.isNaN(parseParamValue('nan') as number));
});

test('run dirs are told from experiment dirs', async () => {
  assert.equal(await isMlflowRunDir(HEALTHY), true);
  assert.equal(await isMlflowRunDir(EXP), false); // experiment meta.yaml, no metrics/ or params/
  assert.ok(sniffMlflowMeta('meta.yaml', readFileSync(join(HEALTHY, 'meta.yaml'))));
  assert.ok(!sniffMlflowMeta('meta.yaml', readFileSync(join(EXP, 'meta.yaml'))));
});

test('finished healthy run: nested metric keys, fractions to percent, epoch-indexed validation, params', async () => {
  const truth = JSON.parse(readFileSync(join(SHARED_RUNS, 'truth.json'), 'utf8')).healthy;
  const f = await readMlflowRun(HEALTHY);
  assert.equal(f.format, 'mlflow');
  assert.equal(f.status, 'finished'); // status 3
  const val = seriesOf(f, 'val/acc1');
  assert.equal(val.rawName, 'val/acc'); // metrics/val/acc
  assert.deepEqual(val.points.map((p) => p.step), [...Array(15).keys()]);
  val.points.forEach((p, i) => assert.ok(Math.abs(p.value - truth.val_acc_per_epoch[i]) < 1e-3, `epoch ${i}`));
  assert.ok(Math.abs(f.bestAcc1! - truth.best_acc1) < 1e-3);
  const dom = seriesOf(f, 'train/domain_acc');
  assert.equal(dom.scaledFrom, 'fraction');
  assert.deepEqual([dom.points[0].step, dom.points[0].value, dom.points[0].epoch, dom.points[0].wallTime], [49, 65.625, 0, 1764268949]);
  assert.equal(f.hyperparameters!.trade_off, 1);
  assert.equal(f.hyperparameters!.disc_batch_norm, false);
  assert.deepEqual(f.hyperparameters!.source, ['clean']);
  assert.equal(f.algorithm, 'dann');
});

test('duplicate steps keep the latest by timestamp; 2-field lines are step 0; nan kept', async () => {
  const f = await readMlflowRun(join(HEALTHY, 'meta.yaml')); // the meta.yaml path works too
  const cls = seriesOf(f, 'train/cls_loss');
  assert.deepEqual([cls.points[0].step, cls.points[0].value], [49, 0.4868893325328827]); // 99.0 at an older ts lost
  assert.equal(cls.points.length, 90);
  assert.ok(f.notes!.some((n) => n.file!.endsWith('cls_loss') && /1 repeated step/.test(n.message)));
  assert.ok(!f.notes!.some((n) => n.file!.endsWith('epoch') && /repeated/.test(n.message)));
  assert.deepEqual(seriesOf(f, 'lr').points.map((p) => [p.step, p.value]), [[0, 0.01]]);
  assert.ok(Number.isNaN(seriesOf(f, 'train/transfer_loss').points[2].value));
});

test('crashed run: RUNNING with no end_time reads as running, with a note that it may have died', async () => {
  const f = await readMlflowRun(CRASHED);
  assert.equal(f.status, 'running');
  assert.ok(f.notes!.some((n) => /died without ending the run/.test(n.message)));
  assert.deepEqual(seriesOf(f, 'train/loss').points.map((p) => p.value), [2.3, Infinity, NaN]);
  assert.deepEqual(f.hyperparameters, { lr: 10 });
});

test('status codes map; bad lines and a non-run dir are handled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-mlflow-'));
  try {
    const cases: [string, string, string][] = [['4', '1764268949999', 'failed'], ['5', '1764268949999', 'killed'], ['1', '1764268949999', 'incomplete'], ['2', 'null', 'unknown']];
    for (const [code, end, want] of cases) {
      const run = join(dir, `r${code}`);
      mkdirSync(join(run, 'metrics'), { recursive: true });
      writeFileSync(join(run, 'meta.yaml'), `artifact_uri: file:///x\nend_time: ${end}\nrun_id: r${code}\nrun_uuid: r${code}\nstatus: ${code}\n`);
      writeFileSync(join(run, 'metrics', 'loss'), '1764268949000 1.0 0\ngarbage\n1764268949001 0.5\n1764268949002 0.25 2 extra\n');
      const f = await readMlflowRun(run);
      assert.equal(f.status, want, `status ${code}`);
      assert.deepEqual(seriesOf(f, 'train/loss').points.map((p) => [p.step, p.value]), [[0, 0.5]]); // the 2-field line is step 0 too, logged later: it wins
      assert.deepEqual(f.notes!.filter((n) => n.level === 'warn').map((n) => n.line), [2, 4]);
    }
    await assert.rejects(readMlflowRun(dir), (e: unknown) => e instanceof InputError && /not an MLflow run directory/.test((e as Error).message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
