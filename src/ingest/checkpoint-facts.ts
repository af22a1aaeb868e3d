// Architecture and training facts read off a checkpoint's tensor names and shapes (tllib naming, see formats.md 1.2).
import { basename, extname } from 'node:path';
import type { NdArray } from '../model/ndarray.js';
import type { CheckpointInfo, Note } from '../model/types.js';

/** What checkpointInfo needs from a reader result (readPth's PthResult satisfies it). */
export interface CheckpointContent {
  stateDict: Map<string, NdArray>;
  /** every tensor's shape and dtype when the reader skipped the weights' data (readPth layoutOnly) */
  layout?: Map<string, Pick<NdArray, 'dtype' | 'shape'>>;
  format: 'zip' | 'legacy';
  notes: Note[];
  /** globals outside the allow-list the pickle referenced (os.system ...), each kept as an inert placeholder */
  placeholders?: string[];
}

/** Starts the note a user must see in every reporter: the checkpoint asked to run code (which never runs). */
export const CODE_PLACEHOLDER_NOTE = 'checkpoint references code that dann-doctor does not run';

export interface CheckpointFactsOptions {
  /** iterations per epoch from the log's Namespace: turns num_batches_tracked into epochs trained */
  itersPerEpoch?: number;
}

/** Classifier head: `head.weight` (tllib DANN/CDAN/ERM), `head.<n>.weight` (MDD head.3, MCD head.8), maybe under a prefix. */
const HEAD_RE = /(?:^|\.)head(?:\.(\d+))?\.weight$/;
/** Bottleneck BatchNorm buffers: tllib DANN `bottleneck.1.*`, MDD `bottleneck.2.*`. */
const BOTTLENECK_BN_RE = /(?:^|\.)bottleneck\.\d+\.running_mean$/;
const BOTTLENECK_NBT_RE = /(?:^|\.)bottleneck\.\d+\.num_batches_tracked$/;

function prefixDepth(prefix: string): number {
  return prefix === '' ? 0 : prefix.split('.').length;
}

/** The classifier's output layer: the 2-D head weight with the shallowest prefix, last layer index when indexed. */
function findHead(sd: Map<string, Pick<NdArray, 'shape'>>): { key: string; rows: number; cols: number } | undefined {
  let best: { key: string; rows: number; cols: number; depth: number; idx: number } | undefined;
  for (const [key, a] of sd) {
    const m = HEAD_RE.exec(key);
    if (!m || a.shape.length !== 2 || /adv_head/.test(key)) continue;
    const depth = prefixDepth(key.slice(0, m.index));
    const idx = m[1] !== undefined ? Number(m[1]) : -1;
    if (!best || depth < best.depth || (depth === best.depth && idx > best.idx)) best = { key, rows: a.shape[0], cols: a.shape[1], depth, idx };
  }
  return best;
}

/**
 * A tllib DomainDiscriminator state dict under prefix P: P0.weight [h, in] and P3.weight [h, h] (both Linear), and
 * the output P6.0.weight (current tllib, Linear+Sigmoid) or P6.weight (dalib) with one row. BatchNorm at index 1 and 4
 * when batch_norm=True; Dropout (no parameters) otherwise.
 */
function findDiscriminator(sd: Map<string, Pick<NdArray, 'shape'>>): { prefix: string; hidden: number; batchNorm: boolean } | undefined {
  for (const [key, a] of sd) {
    if (!key.endsWith('0.weight') || a.shape.length !== 2) continue;
    const p = key.slice(0, -'0.weight'.length);
    if (p !== '' && !p.endsWith('.')) continue;
    const l3 = sd.get(`${p}3.weight`);
    const out = sd.get(`${p}6.0.weight`) ?? sd.get(`${p}6.weight`);
    if (!l3 || l3.shape.length !== 2 || l3.shape[1] !== a.shape[0] || !out || out.shape.length !== 2 || out.shape[1] !== l3.shape[0]) continue;
    return { prefix: p, hidden: a.shape[0], batchNorm: sd.has(`${p}1.running_mean`) };
  }
  return undefined;
}

function scalarOf(a: NdArray | undefined): number | undefined {
  return a && a.data.length >= 1 && a.shape.length === 0 ? Number(a.data[0]) : undefined;
}

/**
 * Facts for one checkpoint: tensor list, number of classes (head rows), feature dim (head columns), bottleneck
 * BatchNorm, iterations trained (bottleneck BN num_batches_tracked: one train-mode forward per iteration in tllib),
 * epochs trained when iters/epoch is known, and discriminator shape when a discriminator state dict is present.
 * Cost: one pass over the tensor names.
 */
export function checkpointInfo(path: string, result: CheckpointContent, opts: CheckpointFactsOptions = {}): CheckpointInfo {
  const sd = result.layout ?? result.stateDict;
  const notes: Note[] = [...result.notes];
  if (result.placeholders?.length) {
    notes.unshift({ level: 'warn', file: path, message: `${CODE_PLACEHOLDER_NOTE}: ${result.placeholders.slice(0, 5).join(', ')}${result.placeholders.length > 5 ? ` and ${result.placeholders.length - 5} more` : ''} (kept as inert placeholders; a trusted loader such as torch.load would execute them)` });
  }
  const facts: CheckpointInfo['facts'] = {};
  const tensors = [...sd].map(([name, a]) => ({ name, shape: [...a.shape], dtype: a.dtype }));

  const head = findHead(sd);
  if (head) {
    facts.numClasses = head.rows;
    facts.featureDim = head.cols;
  }
  const disc = findDiscriminator(sd);
  const isDiscKey = (k: string): boolean => disc !== undefined && disc.prefix !== '' && k.startsWith(disc.prefix);
  const keys = [...sd.keys()].filter((k) => !isDiscKey(k));
  const hasBottleneck = keys.some((k) => /(?:^|\.)bottleneck\./.test(k));
  if (hasBottleneck) facts.bottleneckBatchNorm = keys.some((k) => BOTTLENECK_BN_RE.test(k));

  const nbtKey = keys.find((k) => BOTTLENECK_NBT_RE.test(k));
  const iters = nbtKey ? scalarOf(result.stateDict.get(nbtKey)) : undefined;
  if (iters !== undefined && Number.isFinite(iters)) {
    facts.iterationsTrained = iters;
    const ipe = opts.itersPerEpoch;
    if (ipe !== undefined && ipe > 0) {
      facts.epochsTrained = Math.floor(iters / ipe);
      if (iters % ipe !== 0) {
        notes.push({ level: 'info', file: path, message: `${nbtKey} = ${iters} is not a multiple of iters_per_epoch = ${ipe}: the run stopped mid-epoch or made extra train-mode forwards` });
      }
    }
  }
  if (disc) {
    facts.discriminatorHidden = disc.hidden;
    facts.discriminatorBatchNorm = disc.batchNorm;
  }
  if (sd.size === 0) notes.push({ level: 'warn', file: path, message: 'checkpoint holds no readable tensors' });
  const name = basename(path, extname(path));
  return { path, name, format: result.format, tensors, facts, notes };
}
