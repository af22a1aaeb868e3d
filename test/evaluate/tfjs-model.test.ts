// TF.js models in a run dir (model.json LayersModel/GraphModel, SavedModel) as the classifier over the healthy run's dumped features.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, mkdtempSync, copyFileSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { evaluateRun, loadBackend, measure, findTfjsModels, loadTfjsModel, readTfjsArtifacts } from '../../src/evaluate/index.js';
import { readNpz } from '../../src/ingest/npy/index.js';
import { InputError } from '../../src/ingest/input-error.js';
import type { EvalResults } from '../../src/model/types.js';
import { FIXTURES, hasShared } from '../helpers/shared.js';
import { runAt, readTruth, sharedRun, TEST_BACKEND } from './helpers.js';

/** The acceptance tolerance of issue 5: the run's own per-class numbers to 0.5 points. */
const PER_CLASS_TOLERANCE = 0.5;
// Only the classification path: probes and the discriminator are tested in measure.test.ts.
const FAST = { backend: TEST_BACKEND, discBudgetSteps: 0, perClassADistance: false } as const;
const LAYERS_DIR = resolve(FIXTURES, 'evaluate/tfjs-head');
const GRAPH_DIR = resolve(FIXTURES, 'evaluate/tfjs-graph-head');
const CORRUPT_JSON = resolve(FIXTURES, 'evaluate/tfjs-corrupt/model.json');
const HEALTHY_NPZ = () => join(sharedRun('healthy'), 'features.npz');

function assertPerClass(got: number[], what: string): void {
  const want = Object.values(readTruth().healthy!.per_class_target_acc);
  assert.equal(got.length, want.length, what);
  want.forEach((w, c) => assert.ok(Math.abs(got[c]! - w) <= PER_CLASS_TOLERANCE, `${what} class ${c}: ${got[c]} vs truth ${w}`));
}

test('findTfjsModels: model.json in the run dir, tfjs/, checkpoints/*/, then SavedModels; nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-tfjs-find-'));
  try {
    for (const d of ['tfjs', 'checkpoints/export', 'saved_model', 'logs']) mkdirSync(join(dir, d), { recursive: true });
    for (const f of ['model.json', 'tfjs/model.json', 'checkpoints/export/model.json', 'saved_model/saved_model.pb', 'logs/other.json']) writeFileSync(join(dir, f), '{}');
    assert.deepEqual(findTfjsModels(dir).map((m) => [m.path.slice(dir.length + 1), m.kind]), [
      ['model.json', 'tfjs'], ['tfjs/model.json', 'tfjs'], ['checkpoints/export/model.json', 'tfjs'], ['saved_model', 'saved-model'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(findTfjsModels(resolve(FIXTURES, 'evaluate/no-dump')), []);
});

test('model.json LayersModel read with fs: topology, manifest and the 71,208-byte shard (128x128 + 128 + 128x10 + 10 floats)', async () => {
  const { artifacts, format, matrices } = await readTfjsArtifacts(join(LAYERS_DIR, 'model.json'));
  assert.equal(format, 'layers-model');
  assert.equal(matrices, 2);
  assert.equal((artifacts.weightData as ArrayBuffer).byteLength, 4 * (128 * 128 + 128 + 128 * 10 + 10));
  assert.deepEqual(artifacts.weightSpecs!.map((w) => w.shape), [[128, 128], [128], [128, 10], [10]]);
});

test('evaluateRun with a model.json head in the run dir: per-class target accuracy matches truth.json, 100% agreement with the dumped logits', async () => {
  const before = readdirSync(LAYERS_DIR);
  const res = (await evaluateRun(runAt(LAYERS_DIR, { features: { path: HEALTHY_NPZ(), arrays: [] } }), FAST))!;
  assert.deepEqual(readdirSync(LAYERS_DIR), before, 'nothing written into the run dir');
  const tm = res.tfjsModel!;
  assert.ok(tm, JSON.stringify(res.notes));
  assert.equal(tm.file, join(LAYERS_DIR, 'model.json'));
  assert.equal(tm.format, 'layers-model');
  // backbone and bottleneck features are both 128 wide in this dump: the dumped logits pick the backbone ones
  assert.deepEqual(tm.inputs, ['source_backbone_features', 'target_backbone_features']);
  assert.ok(res.notes.some((n) => /both have width 128; chose backbone features \(argmax agreement with the dumped logits 100\.0% vs/.test(n.message)), JSON.stringify(res.notes));
  assert.equal(tm.agreementWithDump, 100);
  assert.equal(tm.target!.predictionsFrom, 'tfjs-model');
  assertPerClass(tm.target!.perClassAcc, 'tfjs head');
  assert.ok(Math.abs(tm.target!.accuracy - readTruth().healthy!.final_target_acc) <= PER_CLASS_TOLERANCE);
  assert.ok(Math.abs(tm.source!.accuracy - readTruth().healthy!.source_acc) <= PER_CLASS_TOLERANCE);
  // the dump's own logits still lead the per-domain numbers
  assert.equal(res.target!.predictionsFrom, 'logits');
});

/** healthy's arrays without the logits, so the model's predictions are all the evaluation has. */
async function withoutLogits(): Promise<Map<string, import('../../src/model/ndarray.js').NdArray>> {
  const arrays = new Map(await readNpz(HEALTHY_NPZ()));
  arrays.delete('source_logits');
  arrays.delete('target_logits');
  return arrays;
}

for (const [name, dir, format] of [['LayersModel', LAYERS_DIR, 'layers-model'], ['GraphModel (GraphDef)', GRAPH_DIR, 'graph-model']] as const) {
  test(`${name} as the only classifier (dump without logits): target predictions from the model match truth.json per class`, async () => {
    const backend = await loadBackend({ backend: TEST_BACKEND });
    const model = await loadTfjsModel(backend.tf, join(dir, 'model.json'));
    let res: EvalResults;
    try {
      assert.equal(model.format, format);
      assert.equal(model.inDim, 128);
      res = await measure(backend, { arrays: await withoutLogits(), tfjsModel: model }, { discBudgetSteps: 0, perClassADistance: false });
    } finally {
      model.dispose();
    }
    assert.equal(res.numClasses, 10);
    assert.equal(res.target!.predictionsFrom, 'tfjs-model');
    assertPerClass(res.target!.perClassAcc, name);
    assert.deepEqual(res.target!.predHistogram, readTruth().healthy!.target_pred_histogram);
    // no logits to tell the two 128-wide inputs apart: two weight matrices => the model includes the bottleneck
    assert.deepEqual(res.tfjsModel!.inputs, ['source_backbone_features', 'target_backbone_features']);
    assert.ok(res.notes.some((n) => /no logits to tell; took backbone features \(the model has 2 weight matrices\)/.test(n.message)));
  });
}

test('a cut-off model.json is an InputError naming the file and line; in a run dir it becomes a warning and evaluation goes on', async () => {
  const backend = await loadBackend({ backend: TEST_BACKEND });
  await assert.rejects(loadTfjsModel(backend.tf, CORRUPT_JSON), (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.file, CORRUPT_JSON);
    // cut off at byte 400: the parser stops on the last line of what is there
    assert.equal(err.line, readFileSync(CORRUPT_JSON, 'utf8').split('\n').length);
    assert.ok(err.message.startsWith(`${CORRUPT_JSON}:${err.line}: `), err.message);
    assert.match(err.message, /not valid JSON/);
    return true;
  });
  const res = (await evaluateRun(runAt(dirnameOf(CORRUPT_JSON), { features: { path: HEALTHY_NPZ(), arrays: [] } }), FAST))!;
  assert.equal(res.tfjsModel, undefined);
  assert.ok(res.notes.some((n) => n.level === 'warn' && n.file === CORRUPT_JSON && /not valid JSON/.test(n.message)), JSON.stringify(res.notes));
  assert.equal(res.target!.predictionsFrom, 'logits');
});

test('a truncated weight shard is an InputError naming the shard with the byte counts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-tfjs-shard-'));
  try {
    copyFileSync(join(LAYERS_DIR, 'model.json'), join(dir, 'model.json'));
    writeFileSync(join(dir, 'weights.bin'), readFileSync(join(LAYERS_DIR, 'weights.bin')).subarray(0, 1000));
    await assert.rejects(readTfjsArtifacts(join(dir, 'model.json')), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.file, join(dir, 'weights.bin'));
      assert.match(err.message, /hold 1000 bytes, the manifest's shapes need 71208/);
      return true;
    });
    // a model.json that ends early: 'Unexpected end of JSON input' carries no position; the line is the last one
    writeFileSync(join(dir, 'model.json'), '{\n "modelTopology": ');
    await assert.rejects(readTfjsArtifacts(join(dir, 'model.json')), (err: unknown) => err instanceof InputError && err.line === 2 && /not valid JSON/.test(err.message));
    // a manifest pointing outside the model's folder is refused, not read
    const json = JSON.parse(readFileSync(join(LAYERS_DIR, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    json.weightsManifest[0]!.paths = ['../../etc/passwd'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await assert.rejects(readTfjsArtifacts(join(dir, 'model.json')), /points outside the model's folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a SavedModel on wasm/cpu: a note that it needs @tensorflow/tfjs-node, no crash', async () => {
  const runDir = resolve(FIXTURES, 'evaluate/savedmodel-run');
  const res = (await evaluateRun(runAt(runDir, { features: { path: HEALTHY_NPZ(), arrays: [] } }), FAST))!;
  assert.equal(res.tfjsModel, undefined);
  assert.ok(res.notes.some((n) => /SavedModel found .*saved_model\.pb\); needs @tensorflow\/tfjs-node \(backend here: wasm\)/.test(n.message)), JSON.stringify(res.notes));
});

function dirnameOf(p: string): string {
  return resolve(p, '..');
}
