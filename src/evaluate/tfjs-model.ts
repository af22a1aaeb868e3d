// Finds, reads (fs only, no tfjs-node) and runs a TensorFlow.js classifier saved in a run dir: model.json + shards, or a SavedModel on tfjs-node.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, dirname, resolve, relative, isAbsolute, sep } from 'node:path';
import type { io, LayersModel, GraphModel, Tensor } from '@tensorflow/tfjs';
import { InputError, inputErrorFromFs } from '../ingest/input-error.js';
import type { Tf, BackendName } from './backend.js';
import type { Matrix } from './matrix.js';
import { FORWARD_BATCH_ROWS } from './mlp.js';

/**
 * model.json holds the topology (a GraphDef of a big converted model can be tens of MB) and the manifest;
 * weights live in the shards. Anything larger is not a model.json we should hold in memory.
 */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;
/** Sum of all shards: a classifier head over dumped features is KB to MB; 1 GiB keeps a full backbone loadable and bounds memory. */
export const MAX_WEIGHT_BYTES = 1024 * 1024 * 1024;

export type ModelFormat = 'layers-model' | 'graph-model' | 'saved-model';

export interface FoundModel {
  /** model.json, or the SavedModel directory (the one holding saved_model.pb) */
  path: string;
  kind: 'tfjs' | 'saved-model';
}

/** A loaded classifier: rows of features in, rows of logits/probabilities out. */
export interface LoadedTfModel {
  file: string;
  format: ModelFormat;
  /** width of the 2-D input it takes */
  inDim: number;
  /** width of its output when the model declares it (number of classes) */
  outDim?: number;
  /** 2-D weight matrices in the model: >= 2 means it includes a bottleneck before the head */
  matrices: number;
  /** x [rows, inDim] -> [rows, k], `batchRows` rows per call; tensors live only inside each batch */
  predict(x: Matrix, batchRows?: number): Promise<Matrix>;
  dispose(): void;
}

/** A folder's entries by name (sorted), with their types as listed: no stat unless an entry is a link. */
function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** What a stat of the entry (links followed) would say: a listed type is final unless the entry is a link. */
function entryIs(dir: string, e: Dirent, kind: 'file' | 'dir'): boolean {
  if (!e.isSymbolicLink()) return kind === 'file' ? e.isFile() : e.isDirectory();
  try {
    const st = statSync(join(dir, e.name));
    return kind === 'file' ? st.isFile() : st.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Models in a run dir, in the order we use them: `model.json`, `tfjs/model.json`, `checkpoints/model.json`,
 * `checkpoints/<any>/model.json`, `<any>/model.json`; then SavedModels (`saved_model.pb` in the run dir,
 * `saved_model/`, `checkpoints/<any>/`, `<any>/`). Only reads directory listings.
 */
export function findTfjsModels(dir: string): FoundModel[] {
  // Each folder is listed once, with its entries' types: a stat only for a link. This runs for every run with a
  // feature dump (~0.3 ms per run of a sweep once went to failed stats here; then ~10 stats per run to type entries).
  const listings = new Map<string, Dirent[]>();
  const entries = (d: string | undefined): Dirent[] => {
    if (d === undefined) return [];
    let l = listings.get(d);
    if (!l) listings.set(d, (l = listDir(d)));
    return l;
  };
  const child = (d: string, name: string): string | undefined => (entries(d).some((e) => e.name === name) ? join(d, name) : undefined);
  const fileIn = (d: string | undefined, name: string): boolean => {
    const e = d === undefined ? undefined : entries(d).find((x) => x.name === name);
    return e !== undefined && entryIs(d!, e, 'file');
  };
  const subdirsOf = new Map<string, string[]>();
  const subdirs = (d: string | undefined): string[] => {
    if (d === undefined) return [];
    let l = subdirsOf.get(d);
    if (!l) subdirsOf.set(d, (l = entries(d).filter((e) => entryIs(d, e, 'dir')).map((e) => join(d, e.name))));
    return l;
  };
  const ckpt = child(dir, 'checkpoints');
  const places = [dir, child(dir, 'tfjs'), ckpt, ...subdirs(ckpt), ...subdirs(dir)];
  const seen = new Set<string>();
  const out: FoundModel[] = [];
  for (const d of places) {
    if (d === undefined) continue;
    const p = join(d, 'model.json');
    if (!seen.has(p) && fileIn(d, 'model.json')) { seen.add(p); out.push({ path: p, kind: 'tfjs' }); }
  }
  for (const d of [dir, child(dir, 'saved_model'), ...subdirs(ckpt), ...subdirs(dir)]) {
    if (d === undefined) continue;
    if (!seen.has(d) && fileIn(d, 'saved_model.pb')) { seen.add(d); out.push({ path: d, kind: 'saved-model' }); }
  }
  return out;
}

/** Bytes per element of the dtypes a weights manifest may name (quantized weights are stored in the quantization dtype). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

interface ManifestEntry { name: string; shape: number[]; dtype: string; quantization?: { dtype?: string } }
interface ManifestGroup { paths: string[]; weights: ManifestEntry[] }

/** "Unexpected token } in JSON at position 12" (Node 20) -> the line of that offset. */
function jsonErrorLine(text: string, err: Error): { line?: number } {
  const m = /position (\d+)/.exec(err.message);
  if (!m && /end of JSON input/.test(err.message)) return { line: text.split('\n').length }; // cut off: the error is at the end
  if (!m) {
    const lc = /line (\d+)/.exec(err.message);
    return lc ? { line: Number(lc[1]) } : {};
  }
  const pos = Number(m[1]);
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return { line };
}

function checkManifest(file: string, manifest: unknown): ManifestGroup[] {
  if (manifest === undefined) return [];
  if (!Array.isArray(manifest)) throw new InputError(file, 'weightsManifest is not a list of weight groups');
  manifest.forEach((g: unknown, i) => {
    const grp = g as Partial<ManifestGroup> | null;
    if (!grp || !Array.isArray(grp.paths) || !grp.paths.every((p) => typeof p === 'string') || !Array.isArray(grp.weights)) {
      throw new InputError(file, `weightsManifest[${i}] needs 'paths' (strings) and 'weights' (a list)`);
    }
    grp.weights.forEach((w, j) => {
      const e = w as Partial<ManifestEntry> | null;
      if (!e || typeof e.name !== 'string' || !Array.isArray(e.shape) || !e.shape.every((s) => Number.isInteger(s) && s >= 0) || typeof e.dtype !== 'string') {
        throw new InputError(file, `weightsManifest[${i}].weights[${j}] needs a name, a shape of whole numbers and a dtype`);
      }
    });
  });
  return manifest as ManifestGroup[];
}

/** A shard path from the manifest, resolved beside model.json; URLs and paths leaving that folder are refused. */
function shardPath(file: string, p: string): string {
  const base = dirname(file);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || isAbsolute(p)) throw new InputError(file, `weight shard '${p}' is not a relative path beside model.json`);
  const full = resolve(base, p);
  const rel = relative(base, full);
  if (rel.startsWith('..') || rel.split(sep).includes('..')) throw new InputError(file, `weight shard '${p}' points outside the model's folder`);
  return full;
}

/**
 * Reads model.json and its weight shards with fs and returns TF.js ModelArtifacts (what tf.io.fromMemory takes),
 * plus the format. Checks the JSON, the manifest, that every shard exists and that the shards hold exactly the bytes
 * the manifest's shapes and dtypes need. Throws InputError naming model.json (with the line for bad JSON) or the shard.
 */
export async function readTfjsArtifacts(file: string): Promise<{ artifacts: io.ModelArtifacts; format: 'layers-model' | 'graph-model'; matrices: number }> {
  let text: string;
  try {
    if (statSync(file).size > MAX_MODEL_JSON_BYTES) throw new InputError(file, `larger than ${MAX_MODEL_JSON_BYTES} bytes; not a model.json we can hold`);
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw inputErrorFromFs(file, err);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(file, `not valid JSON (${(err as Error).message})`, jsonErrorLine(text, err as Error));
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new InputError(file, 'not a TF.js model.json (expected a JSON object)');
  const topo = json.modelTopology as Record<string, unknown> | undefined;
  if (!topo || typeof topo !== 'object') throw new InputError(file, "no 'modelTopology': not a TF.js model.json");
  const isGraph = json.format === 'graph-model' || Array.isArray(topo.node);
  const isLayers = typeof topo.class_name === 'string' || (typeof topo.model_config === 'object' && topo.model_config !== null);
  if (!isGraph && !isLayers) throw new InputError(file, "modelTopology is neither a Keras model (class_name/model_config) nor a GraphDef (node)");
  const groups = checkManifest(file, json.weightsManifest);

  let total = 0;
  const datas: Uint8Array[] = [];
  for (const g of groups) {
    const shards: Uint8Array[] = [];
    for (const p of g.paths) {
      const full = shardPath(file, p);
      try {
        shards.push(new Uint8Array(await readFile(full)));
      } catch (err) {
        throw inputErrorFromFs(full, err);
      }
      total += shards.at(-1)!.length;
      if (total > MAX_WEIGHT_BYTES) throw new InputError(full, `weights exceed ${MAX_WEIGHT_BYTES} bytes`);
    }
    const got = shards.reduce((s, b) => s + b.length, 0);
    let want = 0;
    let exact = true;
    for (const w of g.weights) {
      const bytes = DTYPE_BYTES[w.quantization?.dtype ?? w.dtype];
      if (bytes === undefined) { exact = false; continue; } // strings: variable length
      want += bytes * w.shape.reduce((a, b) => a * b, 1);
    }
    if (exact ? got !== want : got < want) {
      const where = g.paths.length === 1 ? shardPath(file, g.paths[0]!) : file;
      throw new InputError(where, `weight shards hold ${got} bytes, the manifest's shapes need ${want} (truncated or mismatched shard)`);
    }
    datas.push(...shards);
  }
  const weightData = new Uint8Array(datas.reduce((s, b) => s + b.length, 0));
  let off = 0;
  for (const d of datas) { weightData.set(d, off); off += d.length; }
  const weightSpecs = groups.flatMap((g) => g.weights) as io.WeightsManifestEntry[];
  const artifacts: io.ModelArtifacts = {
    modelTopology: topo as io.ModelArtifacts['modelTopology'],
    format: isGraph ? 'graph-model' : 'layers-model',
    weightSpecs,
    weightData: weightData.buffer,
    ...(json.trainingConfig ? { trainingConfig: json.trainingConfig as io.TrainingConfig } : {}),
    ...(json.signature ? { signature: json.signature as object } : {}),
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata as Record<string, object> } : {}),
    ...(json.modelInitializer ? { modelInitializer: json.modelInitializer as object } : {}),
  };
  const matrices = weightSpecs.filter((w) => w.shape.length === 2).length;
  return { artifacts, format: isGraph ? 'graph-model' : 'layers-model', matrices };
}

/** Width of a [batch, width] input shape; null for anything else (an image model is not a head over features). */
function widthOf(shape: readonly (number | null)[] | undefined): number | null {
  if (!shape || shape.length !== 2) return null;
  const w = shape[1];
  return typeof w === 'number' && w > 0 ? w : null;
}

/** First output as a [rows, k] matrix (models may return a list or a name -> tensor map). */
function firstOutput(y: Tensor | Tensor[] | Record<string, Tensor>): Tensor {
  if (Array.isArray(y)) return y[0]!;
  if ((y as Tensor).dataSync === undefined) return Object.values(y as Record<string, Tensor>)[0]!;
  return y as Tensor;
}

/** Runs `run` over x in batches; the callback owns the tensors it makes (we dispose input and output). */
async function batched(tf: Tf, x: Matrix, batchRows: number, run: (t: Tensor) => Promise<Tensor | Tensor[] | Record<string, Tensor>>): Promise<Matrix> {
  let out: Float32Array | undefined;
  let k = 0;
  for (let r0 = 0; r0 < x.rows; r0 += batchRows) {
    const r1 = Math.min(x.rows, r0 + batchRows);
    const input = tf.tensor2d(x.data.subarray(r0 * x.cols, r1 * x.cols), [r1 - r0, x.cols]);
    let y: Tensor | Tensor[] | Record<string, Tensor> | undefined;
    try {
      y = await run(input);
      const first = firstOutput(y);
      if (first.shape[0] !== r1 - r0) throw new Error(`model output has shape [${first.shape.join(', ')}] for ${r1 - r0} input rows`);
      const cols = first.size / (r1 - r0);
      if (!out) { k = cols; out = new Float32Array(x.rows * k); }
      else if (cols !== k) throw new Error(`model output width changed from ${k} to ${cols} between batches`);
      out.set(Float32Array.from(await first.data() as ArrayLike<number>), r0 * k);
    } finally {
      tf.dispose(input);
      if (y) tf.dispose(Array.isArray(y) ? y : (y as Tensor).dataSync === undefined ? Object.values(y as Record<string, Tensor>) : (y as Tensor));
    }
  }
  return { rows: x.rows, cols: k, data: out ?? new Float32Array(0) };
}

/**
 * Loads model.json (LayersModel or GraphModel) from memory on the given TF.js namespace: no http, no tfjs-node.
 * Throws InputError naming the file when it cannot be read or TF.js cannot build it, or when its input is not
 * a [batch, features] matrix.
 */
export async function loadTfjsModel(tf: Tf, file: string): Promise<LoadedTfModel> {
  const { artifacts, format, matrices } = await readTfjsArtifacts(file);
  let model: LayersModel | GraphModel;
  try {
    model = format === 'graph-model'
      ? await tf.loadGraphModel(tf.io.fromMemory(artifacts))
      : await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw new InputError(file, `TF.js could not build the ${format}: ${(err as Error).message.split('\n')[0]}`);
  }
  const shape = format === 'graph-model' ? (model as GraphModel).inputs[0]?.shape : (model as LayersModel).inputs[0]?.shape;
  const inDim = widthOf(shape);
  if (inDim === null) {
    model.dispose();
    throw new InputError(file, `model input has shape [${(shape ?? []).join(', ')}], not [batch, features]: it is not a head over dumped features`);
  }
  const outShape = format === 'graph-model' ? (model as GraphModel).outputs[0]?.shape : (model as LayersModel).outputs[0]?.shape;
  const outDim = widthOf(outShape);
  const predict = format === 'graph-model'
    ? async (t: Tensor) => {
      const g = model as GraphModel;
      // Graphs with control flow (converted while/if) only run through executeAsync.
      try { return g.predict(t) as Tensor; } catch { return (await g.executeAsync(t)) as Tensor | Tensor[]; }
    }
    : async (t: Tensor) => (model as LayersModel).predict(t) as Tensor | Tensor[];
  return {
    file, format, inDim, matrices, ...(outDim !== null ? { outDim } : {}),
    predict: (x, batchRows = FORWARD_BATCH_ROWS) => {
      if (x.cols !== inDim) throw new Error(`input has ${x.cols} columns, the model expects ${inDim}`);
      return batched(tf, x, batchRows, predict);
    },
    dispose: () => model.dispose(),
  };
}

/** What tfjs-node adds as tf.node (only the parts we call). */
interface TfNode {
  getMetaGraphsFromSavedModel(path: string): Promise<{ tags: string[]; signatureDefs: Record<string, { inputs: Record<string, { shape: number[] }> }> }[]>;
  loadSavedModel(path: string, tags?: string[], signature?: string): Promise<{ predict(x: Tensor): Tensor | Tensor[] | Record<string, Tensor>; dispose(): void }>;
}

/** Backends that carry tf.node (libtensorflow), the only way TF.js reads a SavedModel. */
export const SAVED_MODEL_BACKENDS: readonly BackendName[] = ['tfjs-node', 'tfjs-node-gpu'];

/**
 * Loads a SavedModel directory with tfjs-node (serving_default, tag 'serve' first). Returns null when the loaded
 * TF.js has no tf.node, i.e. the backend is not tfjs-node; throws InputError naming the directory when it cannot be loaded.
 */
export async function loadSavedModel(tf: Tf, dir: string): Promise<LoadedTfModel | null> {
  const node = (tf as unknown as { node?: TfNode }).node;
  if (!node?.loadSavedModel) return null;
  try {
    const metas = await node.getMetaGraphsFromSavedModel(dir);
    const meta = metas.find((m) => m.tags.includes('serve')) ?? metas[0];
    if (!meta) throw new Error('no MetaGraph in saved_model.pb');
    const sigName = meta.signatureDefs.serving_default ? 'serving_default' : Object.keys(meta.signatureDefs)[0];
    if (!sigName) throw new Error('no signature to call');
    const sigInputs = Object.values(meta.signatureDefs[sigName]!.inputs);
    const inDim = sigInputs.length === 1 ? widthOf(sigInputs[0]!.shape) : null;
    if (inDim === null) throw new Error(`signature '${sigName}' does not take one [batch, features] input`);
    const model = await node.loadSavedModel(dir, meta.tags, sigName);
    return {
      file: dir, format: 'saved-model', inDim, matrices: 0,
      predict: (x, batchRows = FORWARD_BATCH_ROWS) => {
        if (x.cols !== inDim) throw new Error(`input has ${x.cols} columns, the model expects ${inDim}`);
        return batched(tf, x, batchRows, async (t) => model.predict(t));
      },
      dispose: () => model.dispose(),
    };
  } catch (err) {
    throw new InputError(dir, `SavedModel could not be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The note for a SavedModel when tfjs-node is not the loaded backend. */
export function savedModelNeedsNode(dir: string, backend: string): string {
  return `SavedModel found (${join(dir, 'saved_model.pb')}); needs @tensorflow/tfjs-node (backend here: ${backend}), not used`;
}
