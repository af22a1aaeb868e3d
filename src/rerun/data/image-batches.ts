// A task's images as a stream of preprocessed NCHW batches: a bounded number of images decoded at once, one batch
// prepared while the caller runs the previous one, so memory is two batches whatever the dataset's size. An image
// that is missing or cannot be decoded is left out and counted (the caller turns the counts into a note).
import type { ImageBatch, ListedImage, ValTransform } from '../types.js';
import { ImageLoadError, cropAndNormalize, decodeAndResize } from './load-image.js';
import { outputSize } from './val-transform.js';

/** Images per batch: large enough to amortise a forward call, small enough that two 224x224 RGB batches are ~40 MB. */
export const DEFAULT_BATCH_SIZE = 64;

/**
 * Images decoded at once. sharp works on libuv's thread pool (4 threads by default) and each call pays a fixed hop
 * and libvips set-up (~1 ms), which dominates small images: with 8 in flight the pool stays busy. Measured on the
 * digits fixture (2 cores): 2 in flight ~500-900 images/s, 8 ~1,100-1,300. Memory: 8 decoded images at a time.
 */
export const DECODE_CONCURRENCY = 8;

export function defaultDecodeConcurrency(): number {
  return DECODE_CONCURRENCY;
}

export interface SkippedImages {
  missing: number;
  unreadable: number;
  /** the first of each kind, for the note */
  firstMissing?: ListedImage;
  firstUnreadable?: { image: ListedImage; message: string };
}

export interface BatchOptions {
  batchSize?: number;
  concurrency?: number;
  signal?: AbortSignal;
}

export interface PreparedBatch {
  batch: ImageBatch;
  /** the listed image of each row of the batch (images that failed are not rows) */
  rows: ListedImage[];
}

export function emptySkipped(): SkippedImages {
  return { missing: 0, unreadable: 0 };
}

/** Thrown when the caller's signal aborts the stream. */
export class RerunCancelled extends Error {
  constructor() {
    super('re-run cancelled');
    this.name = 'RerunCancelled';
  }
}

async function prepare(images: readonly ListedImage[], t: ValTransform, concurrency: number, skipped: SkippedImages, signal?: AbortSignal): Promise<PreparedBatch> {
  const size = outputSize(t);
  if (size === null) throw new Error('the validation transform has neither a resize nor a crop: images of different sizes cannot be batched');
  const per = t.channels * size * size;
  const slots = new Float32Array(images.length * per);
  const ok = new Uint8Array(images.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, async () => {
    while (next < images.length) {
      if (signal?.aborted) return;
      const i = next++;
      const im = images[i]!;
      try {
        cropAndNormalize(await decodeAndResize(im.path, t), t, slots, i * per);
        ok[i] = 1;
      } catch (err) {
        if (!(err instanceof ImageLoadError)) throw err;
        if (err.kind === 'missing') {
          skipped.missing++;
          skipped.firstMissing ??= im;
        } else {
          skipped.unreadable++;
          skipped.firstUnreadable ??= { image: im, message: err.message };
        }
      }
    }
  }));
  if (signal?.aborted) throw new RerunCancelled();
  const rows = images.filter((_, i) => ok[i]);
  let data = slots;
  if (rows.length < images.length) {
    // close the gaps the failed images left, keeping the order of the list
    data = new Float32Array(rows.length * per);
    let k = 0;
    for (let i = 0; i < images.length; i++) if (ok[i]) data.set(slots.subarray(i * per, (i + 1) * per), per * k++);
  }
  return { batch: { n: rows.length, channels: t.channels, height: size, width: size, data }, rows };
}

/** Preprocessed batches of `images` in list order; `skipped` is filled as images fail. */
export async function* imageBatches(images: readonly ListedImage[], t: ValTransform, skipped: SkippedImages, opts: BatchOptions = {}): AsyncGenerator<PreparedBatch> {
  const bs = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const conc = opts.concurrency ?? defaultDecodeConcurrency();
  const starts: number[] = [];
  for (let s = 0; s < images.length; s += bs) starts.push(s);
  let pending = starts.length ? prepare(images.slice(0, bs), t, conc, skipped, opts.signal) : undefined;
  for (let k = 0; k < starts.length; k++) {
    const current = await pending!;
    const s = starts[k + 1];
    // the next batch decodes while the caller runs this one
    pending = s !== undefined ? prepare(images.slice(s, s + bs), t, conc, skipped, opts.signal) : undefined;
    // an unhandled rejection while the caller is busy would end the process: it is awaited (and thrown) next turn
    pending?.catch(() => {});
    if (current.rows.length) yield current;
  }
}
