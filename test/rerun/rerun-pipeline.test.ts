// `dann-doctor RUN --data ROOT` end to end on the committed tllib-style fixture (fixtures/rerun: a lenet_small
// checkpoint, a Namespace log, Digits-layout images; PyTorch's own evaluation in torch/expected.json, made by
// make_fixtures.py through PIL + torchvision): the re-run's predictions and per-class target accuracy are PyTorch's,
// the result is cached outside the run and data dirs (which stay untouched), and broken data becomes counted notes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { diagnose } from '../../src/pipeline/diagnose.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { RunCache } from '../../src/pipeline/run-cache.js';
import { parseCliArgs, UsageError } from '../../src/cli/args.js';
import { FIXTURES } from '../helpers/shared.js';
import { evaluationProblems } from '../../src/reporters/run-headline.js';

const RERUN = join(FIXTURES, 'rerun');
const RUN = join(RERUN, 'run');
const DATA = join(RERUN, 'data');
const expected = JSON.parse(readFileSync(join(RERUN, 'torch', 'expected.json'), 'utf8')) as {
  source: { labels: number[]; predictions: number[]; accuracy: number };
  target: { labels: number[]; predictions: number[]; accuracy: number };
  target_per_class: { class: number; accuracy: number | null }[];
};
/** The bar for images through the whole pipeline (formats.md 8.2). */
const MIN_AGREEMENT = 0.99;

/** Every file under `dir` with its size and modification time: what "untouched" means. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.push(`${relative(dir, p)} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

function argmax(logits: Float32Array, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < logits.length / cols; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (logits[r * cols + c]! > logits[r * cols + best]!) best = c;
    out.push(best);
  }
  return out;
}

const cacheDir = mkdtempSync(join(tmpdir(), 'dd-rerun-cache-'));

test("--data: predictions agree with PyTorch's on >= 99% of rows and per-class target accuracy is PyTorch's; run and data dirs untouched", async () => {
  const before = [snapshot(RUN), snapshot(DATA)];
  const cache = new RunCache();
  const report = await diagnose([RUN], { rerun: { data: DATA, cacheDir }, cache });
  const r = report.runs[0]!;
  assert.equal(r.evalFailure, undefined);
  assert.equal(r.features?.rerun?.cached, false);
  assert.ok(r.features!.path.startsWith(cacheDir), `dump written to the cache: ${r.features!.path}`);
  const arrays = await readNpz(r.features!.path);
  for (const d of ['source', 'target'] as const) {
    const logits = arrays.get(`${d}_logits`)!;
    assert.deepEqual([...arrays.get(`${d}_labels`)!.data], expected[d].labels, `${d} labels in list order`);
    const preds = argmax(logits.data as Float32Array, logits.shape[1]!);
    const agree = preds.filter((p, i) => p === expected[d].predictions[i]).length / preds.length;
    assert.ok(agree >= MIN_AGREEMENT, `${d}: ${(agree * 100).toFixed(1)}% of predictions agree with PyTorch`);
    assert.equal(arrays.get(`${d}_features`)!.shape[1], 32, 'bottleneck features (bottleneck_dim=32)');
    assert.equal(arrays.get(`${d}_backbone_features`)!.shape[1], 128, 'backbone features (before the bottleneck)');
  }
  assert.equal(r.eval!.target!.accuracy.toFixed(3), expected.target.accuracy.toFixed(3));
  assert.equal(r.eval!.source!.accuracy.toFixed(3), expected.source.accuracy.toFixed(3));
  for (const c of expected.target_per_class) assert.equal(r.eval!.target!.perClassAcc[c.class]!.toFixed(3), c.accuracy!.toFixed(3), `class ${c.class}`);
  // tllib's Digits class names, from the dataset layout
  assert.equal(r.eval!.classNames?.[3], '3 - three');
  assert.match(r.notes.map((n) => n.message).join('\n'), /features re-computed from .*latest\.pth \(lenet\) on 120 source and 120 target images/);
  // the kept Run points at the re-run's dump: plots, HTML and the UI's t-SNE read it from there
  assert.equal(cache.get(r.path)?.features?.path, r.features!.path);
  assert.deepEqual([snapshot(RUN), snapshot(DATA)], before);
});

test('a second look takes the cached arrays (no image decoded) and gives the same evaluation', async () => {
  const first = (await diagnose([RUN], { rerun: { data: DATA, cacheDir } })).runs[0]!;
  const again = (await diagnose([RUN], { rerun: { data: DATA, cacheDir } })).runs[0]!;
  assert.equal(again.features?.rerun?.cached, true);
  assert.equal(again.features?.path, first.features?.path);
  assert.deepEqual(again.eval!.target!.perClassAcc, first.eval!.target!.perClassAcc);
});

test("--rerun finds the data from the Namespace: root='data' relative to where the run started (run dir minus log='run')", async () => {
  const r = (await diagnose([RUN], { rerun: { cacheDir } })).runs[0]!;
  assert.equal(r.evalFailure, undefined);
  assert.equal(r.features?.rerun?.dataRoot, DATA);
});

test('missing, unreadable and out-of-range images are left out with counted notes; the rest is evaluated', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dd-rerun-data-'));
  cpSync(DATA, root, { recursive: true });
  rmSync(join(root, 'USPS', 'images', '0003.png'));
  writeFileSync(join(root, 'USPS', 'images', '0005.png'), 'this is not a PNG');
  const list = join(root, 'USPS', 'image_list', 'usps_test.txt');
  const lines = readFileSync(list, 'utf8').split('\n');
  lines[7] = 'images/0007.png 42';
  lines[8] = 'images/0008.png';
  writeFileSync(list, lines.join('\n'));
  const before = snapshot(root);
  const r = (await diagnose([RUN], { rerun: { data: root, cacheDir } })).runs[0]!;
  assert.equal(r.evalFailure, undefined);
  const notes = r.notes.map((n) => n.message).join('\n');
  assert.match(notes, /target: 116 of 119 listed images used; 1 not found \(first: .*0003\.png, .*usps_test\.txt line 4\); 1 unreadable \(first: .*0005\.png: [^)]+\); 1 with a label outside 0\.\.9 \(first: label 42, .*line 8\)/);
  assert.match(notes, /1 line\(s\) of the image list are not `path label` and were skipped \(first, line 9: "images\/0008\.png"\)/);
  assert.equal(r.eval!.target!.n, 116);
  // said in the report's first lines, not only among the ingest notes
  assert.match(evaluationProblems(r).map((p) => p.text).join('\n'), /re-run: target: 116 of 119 listed images used/);
  assert.equal(r.features?.rerun?.rows.target, 116);
  assert.deepEqual(snapshot(root), before, 'the data dir is untouched');
});

test('no data: a clear failure naming what was looked for, never a crash', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dd-rerun-empty-'));
  const r = (await diagnose([RUN], { rerun: { data: root, cacheDir } })).runs[0]!;
  assert.match(r.evalFailure ?? '', /re-run: no target images/);
  assert.match(r.notes.map((n) => n.message).join('\n'), /target task USPS: no image list found \(looked for .*USPS\/image_list\/usps_test\.txt\)/);
});

test('a cache folder inside the run or data directory is refused before anything is computed or written', async () => {
  const before = [snapshot(RUN), snapshot(DATA)];
  for (const inside of [join(RUN, 'cache'), join(DATA, 'USPS', '.cache')]) {
    const r = (await diagnose([RUN], { rerun: { data: DATA, cacheDir: inside } })).runs[0]!;
    assert.match(r.evalFailure ?? '', /inside the run or data directory, where dann-doctor never writes/);
  }
  assert.deepEqual([snapshot(RUN), snapshot(DATA)], before);
});

test('--data and --rerun are options of the one parser; with --no-eval they are a usage error', () => {
  assert.deepEqual(parseCliArgs(['run', '--data', '/d']).rerun, { data: '/d' });
  assert.deepEqual(parseCliArgs(['run', '--rerun']).rerun, {});
  assert.equal(parseCliArgs(['run']).rerun, undefined);
  assert.throws(() => parseCliArgs(['run', '--data', '/d', '--no-eval']), UsageError);
});
