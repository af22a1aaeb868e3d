// The rebuilt network run over each domain's images: what comes out is exactly the named arrays a features.npz
// holds (`source_features`, `source_backbone_features`, `source_logits`, `source_labels`, same for target), so every
// consumer of a dump works from a re-run unchanged. Rows whose image is missing, unreadable or whose label is out of
// range are left out and counted.
import type { NdArray } from '../model/ndarray.js';
import type { ListedImage, RebuiltNetwork, ValTransform } from './types.js';
import { emptySkipped, imageBatches, RerunCancelled, type BatchOptions, type SkippedImages } from './data/image-batches.js';

export interface DomainImages {
  domain: 'source' | 'target';
  images: ListedImage[];
}

export interface DomainRunStats {
  domain: 'source' | 'target';
  listed: number;
  used: number;
  skipped: SkippedImages;
  /** listed labels outside 0..numClasses-1 (not fed) */
  badLabels: number;
  firstBadLabel?: ListedImage;
}

export interface ForwardResult {
  arrays: Map<string, NdArray>;
  stats: DomainRunStats[];
  seconds: number;
}

export interface ForwardOptions extends BatchOptions {
  /** what is being done, rows per second, and the fraction of all rows done (0..1) */
  onProgress?: (message: string, fraction: number) => void;
  now?: () => number;
}

/** Rows of a growing float matrix, trimmed at the end. */
class Rows {
  private data: Float32Array;
  rows = 0;
  cols = -1;
  constructor(private readonly capacity: number) {
    this.data = new Float32Array(0);
  }
  push(m: { rows: number; cols: number; data: Float32Array }): void {
    if (this.cols === -1) {
      this.cols = m.cols;
      this.data = new Float32Array(this.capacity * m.cols);
    }
    if (m.cols !== this.cols) throw new Error(`the network's outputs changed width between batches (${this.cols} then ${m.cols})`);
    this.data.set(m.data.subarray(0, m.rows * m.cols), this.rows * this.cols);
    this.rows += m.rows;
  }
  array(): NdArray {
    const cols = Math.max(0, this.cols);
    return { dtype: 'f4', shape: [this.rows, cols], data: this.data.slice(0, this.rows * cols) };
  }
}

function ratePerSecond(rows: number, ms: number): string {
  return ms > 0 ? `${Math.round((rows * 1000) / ms)} images/s` : '';
}

export async function forwardDomains(network: RebuiltNetwork, domains: readonly DomainImages[], t: ValTransform, opts: ForwardOptions = {}): Promise<ForwardResult> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const arrays = new Map<string, NdArray>();
  const stats: DomainRunStats[] = [];
  const total = domains.reduce((s, d) => s + d.images.length, 0);
  let done = 0;
  for (const d of domains) {
    const st: DomainRunStats = { domain: d.domain, listed: d.images.length, used: 0, skipped: emptySkipped(), badLabels: 0 };
    const fed = d.images.filter((im) => {
      if (im.label >= 0 && im.label < network.numClasses) return true;
      st.badLabels++;
      st.firstBadLabel ??= im;
      return false;
    });
    done += d.images.length - fed.length;
    const backbone = new Rows(fed.length);
    const features = new Rows(fed.length);
    const logits = new Rows(fed.length);
    const labels = new Int32Array(fed.length);
    let before = done;
    for await (const { batch, rows } of imageBatches(fed, t, st.skipped, opts)) {
      if (opts.signal?.aborted) throw new RerunCancelled();
      const out = await network.forward(batch, opts.signal);
      if (out.logits.rows !== rows.length) throw new Error(`the network returned ${out.logits.rows} rows for a batch of ${rows.length} images`);
      for (let i = 0; i < rows.length; i++) labels[logits.rows + i] = rows[i]!.label;
      backbone.push(out.backbone);
      features.push(out.features);
      logits.push(out.logits);
      const skippedNow = st.skipped.missing + st.skipped.unreadable;
      done = before + logits.rows + skippedNow;
      opts.onProgress?.(`re-running the checkpoint on ${d.domain} images ${logits.rows + skippedNow}/${fed.length} · ${ratePerSecond(done, now() - started)}`, total ? done / total : 1);
    }
    done = before + fed.length;
    before = done;
    st.used = logits.rows;
    stats.push(st);
    arrays.set(`${d.domain}_features`, features.array());
    arrays.set(`${d.domain}_backbone_features`, backbone.array());
    arrays.set(`${d.domain}_logits`, logits.array());
    arrays.set(`${d.domain}_labels`, { dtype: 'i4', shape: [logits.rows], data: labels.slice(0, logits.rows) });
  }
  return { arrays, stats, seconds: (now() - started) / 1000 };
}

/** One line per domain that lost rows: counts and the first example of each problem. */
export function skippedNotes(stats: readonly DomainRunStats[], numClasses: number): string[] {
  const out: string[] = [];
  for (const s of stats) {
    const parts: string[] = [];
    if (s.skipped.missing) parts.push(`${s.skipped.missing} not found (first: ${s.skipped.firstMissing!.path}, ${where(s.skipped.firstMissing!)})`);
    if (s.skipped.unreadable) parts.push(`${s.skipped.unreadable} unreadable (first: ${s.skipped.firstUnreadable!.image.path}: ${s.skipped.firstUnreadable!.message})`);
    if (s.badLabels) parts.push(`${s.badLabels} with a label outside 0..${numClasses - 1} (first: label ${s.firstBadLabel!.label}, ${where(s.firstBadLabel!)})`);
    if (parts.length) out.push(`${s.domain}: ${s.used} of ${s.listed} listed images used; ${parts.join('; ')}`);
  }
  return out;
}

function where(im: ListedImage): string {
  return im.line > 0 ? `${im.listFile} line ${im.line}` : im.listFile;
}
