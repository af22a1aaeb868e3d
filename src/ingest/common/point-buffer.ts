// Bounded storage for one metric's points while a log streams in: typed arrays, thinned by stride past a budget.
import type { Point } from '../../model/types.js';

/**
 * Points kept per series before thinning. 50k points is ~2.5 MB of typed arrays per series (and ~4 MB as Point
 * objects at the end), and more resolution than any rule needs: a 1000-iteration epoch printed every 100 iterations
 * gives 10 points, so 50k is 5000 epochs unthinned. A 1 GB log at print_freq 1 has ~8M lines; kept whole as Point
 * objects it would need gigabytes (measured: 1 GB log read in 175 MB RSS with 100k, see bench/ingest.ts).
 */
export const MAX_POINTS_PER_SERIES = 50_000;

/**
 * Pinned points (epoch ends, finite<->non-finite transitions) may use at most this share of the budget, so a log
 * that flips between nan and numbers on every line cannot defeat thinning.
 */
const MAX_PINNED_SHARE = 0.5;

const INITIAL_CAPACITY = 256;
/**
 * A compaction (stride x2) keeps about half the points plus the pinned ones; stopping at 3/4 makes that one pass
 * per compaction, and leaves room for a quarter of the budget of new points before the next.
 */
const COMPACT_TO = 0.75;
const ADD_VALUE = new Float64Array(1);
const ADD_AVG = new Float64Array(1);

/**
 * Appends points in stream order. Always keeps: the newest point, the last point of every epoch (its running
 * average is the epoch mean tllib reports) and the first point of every run of non-finite values (a NaN is a
 * symptom). The rest are kept when their sequence number is a multiple of `stride`; `stride` doubles whenever the
 * budget fills. Cost: amortised O(1) per push.
 */
export class PointBuffer {
  private cap = INITIAL_CAPACITY;
  private n = 0;
  private seq = 0;
  private stride = 1;
  private pinnedCount = 0;
  private lastNonFinite = false;
  private step = new Float64Array(this.cap);
  private value = new Float64Array(this.cap);
  private avg = new Float64Array(this.cap);
  private epoch = new Int32Array(this.cap);
  private iter = new Int32Array(this.cap);
  private line = new Float64Array(this.cap);
  private seqs = new Float64Array(this.cap);
  private pinned = new Uint8Array(this.cap);
  /** whether the tail point is only held because it is the newest */
  private tailTentative = false;
  private hasAvg = false;
  private hasIter = false;
  /** points seen, kept or not */
  total = 0;

  /** budget * MAX_PINNED_SHARE, computed once (it is checked on every push) */
  private readonly maxPinned: number;

  constructor(private readonly budget = MAX_POINTS_PER_SERIES) {
    this.maxPinned = budget * MAX_PINNED_SHARE;
  }

  /**
   * True when the next point, if finite, would only be held as the tentative newest point (not kept by stride, no
   * non-finite run to close): the reader may then defer parsing its values (see addDeferred).
   */
  nextIsThinnedAway(): boolean {
    return this.stride > 1 && this.seq % this.stride !== 0 && !this.lastNonFinite && this.n < this.budget;
  }

  /**
   * How many more points in a row nextIsThinnedAway() would hold for, if each only replaced a deferred tail
   * (replaceDeferred advances the sequence and nothing else): 0 when the next one is not thinned away. The reader's
   * bulk path consumes that many lines without asking per line.
   */
  thinnedAwayRun(): number {
    if (this.stride <= 1 || this.lastNonFinite || this.n >= this.budget) return 0;
    const r = this.seq % this.stride;
    return r === 0 ? 0 : this.stride - r;
  }

  /**
   * Appends a finite point whose values are not parsed yet (a thinned-away training line): it is held only as the
   * tentative newest point. If it must stay (its epoch ends, or the log ends) the caller fills it with setTail
   * before the next push; otherwise the next push drops it unread.
   */
  addDeferred(step: number, epoch: number, iter: number, line: number): void {
    // addFrom for a finite value that nextIsThinnedAway() said is neither stride-kept nor pinned, minus the checks
    this.hasIter = true;
    this.hasAvg = true;
    const s = this.seq++;
    this.total++;
    if (this.n > 0) {
      const t = this.n - 1;
      if (this.epoch[t] !== epoch && this.pinned[t] === 0 && this.pinnedCount < this.maxPinned) {
        this.pinned[t] = 1;
        this.pinnedCount++;
      } else if (this.tailTentative && this.pinned[t] === 0) this.n--;
    }
    this.lastNonFinite = false;
    if (this.n >= this.budget) this.compact();
    if (this.n >= this.cap) this.grow();
    const i = this.n++;
    this.step[i] = step;
    this.value[i] = 0;
    this.avg[i] = 0;
    this.epoch[i] = epoch;
    this.iter[i] = iter;
    this.line[i] = line;
    this.seqs[i] = s;
    this.pinned[i] = 0;
    this.tailTentative = s % this.stride !== 0;
  }

  /**
   * The next point replaces a deferred newest point of the same epoch (which thinning would drop on this push):
   * only its position is rewritten, and the sequence advances as for a push. Precondition: the tail was added with
   * addDeferred, nothing was pushed since, and nextIsThinnedAway() holds. `count` > 1 stands for that many
   * replacements in a row, of which this is the last (each would only advance the sequence; see thinnedAwayRun).
   */
  replaceDeferred(step: number, iter: number, line: number, count = 1): void {
    const t = this.n - 1;
    this.seq += count;
    this.total += count;
    this.step[t] = step;
    this.iter[t] = iter;
    this.line[t] = line;
    this.seqs[t] = this.seq - 1;
  }

  /** Sets value and average of the newest point (a deferred one, now parsed). */
  setTail(values: Float64Array, avgs: Float64Array, k: number): void {
    const t = this.n - 1;
    this.value[t] = values[k];
    this.avg[t] = avgs[k];
    const nonFinite = !Number.isFinite(values[k]);
    if (nonFinite && !this.lastNonFinite && this.pinnedCount < this.maxPinned) {
      this.pinned[t] = 1;
      this.pinnedCount++;
      this.tailTentative = false;
    }
    this.lastNonFinite = nonFinite;
  }

  /** Removes the newest point (a deferred one whose line turned out not to parse); the caller re-reads the line. */
  dropTail(): void {
    this.n--;
    this.seq--;
    this.total--;
    this.tailTentative = false;
  }

  get thinned(): boolean {
    return this.stride > 1;
  }

  get length(): number {
    return this.n;
  }

  push(p: { step: number; value: number; avg?: number; epoch?: number; iter?: number; line?: number }): void {
    this.add(p.step, p.value, p.avg ?? NaN, p.epoch ?? -1, p.iter ?? -1, p.line ?? -1, p.avg !== undefined);
  }

  /**
   * push() without the object: the reader's hot path. epoch, iter, line -1 mean "not given"; `avgGiven` false means
   * there is no running average (a logged `(nan)` average is a value, so NaN cannot mark absence).
   */
  add(step: number, value: number, avg: number, epoch: number, iter: number, line: number, avgGiven = true): void {
    ADD_VALUE[0] = value;
    ADD_AVG[0] = avg;
    this.addFrom(ADD_VALUE, ADD_AVG, 0, step, epoch, iter, line, avgGiven);
  }

  /**
   * add() with value and average read from typed arrays at index k: doubles passed as arguments to a call V8 does
   * not inline are boxed, typed-array reads inside it are not (this is the per-meter hot path of a big log).
   */
  addFrom(values: Float64Array, avgs: Float64Array, k: number, step: number, epoch: number, iter: number, line: number, avgGiven = true): void {
    if (iter >= 0) this.hasIter = true;
    if (avgGiven) this.hasAvg = true;
    const s = this.seq++;
    this.total++;
    if (this.n > 0) {
      // The previous newest point closes an epoch: pin it, so no later compaction drops it. A merely tentative one
      // that does not close an epoch (or finds the pins used up) goes.
      const t = this.n - 1;
      if (this.epoch[t] !== epoch && this.pinned[t] === 0 && this.pinnedCount < this.maxPinned) {
        this.pinned[t] = 1;
        this.pinnedCount++;
      } else if (this.tailTentative && this.pinned[t] === 0) this.n--;
      this.tailTentative = false;
    }
    const nonFinite = !Number.isFinite(values[k]);
    let pin = false;
    if (nonFinite !== this.lastNonFinite && this.pinnedCount < this.maxPinned) pin = true;
    this.lastNonFinite = nonFinite;
    if (this.n >= this.budget) this.compact();
    if (this.n >= this.cap) this.grow();
    const i = this.n++;
    this.step[i] = step;
    this.value[i] = values[k];
    this.avg[i] = avgs[k];
    this.epoch[i] = epoch;
    this.iter[i] = iter;
    this.line[i] = line;
    this.seqs[i] = s;
    this.pinned[i] = pin ? 1 : 0;
    if (pin) this.pinnedCount++;
    this.tailTentative = !pin && s % this.stride !== 0;
  }

  private grow(): void {
    // x4: few reallocations of the (large, zero-filled) typed arrays on the way to the budget
    const cap = Math.min(Math.max(this.cap * 4, INITIAL_CAPACITY), this.budget + 1);
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.step = copy(this.step, (k) => new Float64Array(k));
    this.value = copy(this.value, (k) => new Float64Array(k));
    this.avg = copy(this.avg, (k) => new Float64Array(k));
    this.epoch = copy(this.epoch, (k) => new Int32Array(k));
    this.iter = copy(this.iter, (k) => new Int32Array(k));
    this.line = copy(this.line, (k) => new Float64Array(k));
    this.seqs = copy(this.seqs, (k) => new Float64Array(k));
    this.pinned = copy(this.pinned, (k) => new Uint8Array(k));
    this.cap = cap;
  }

  /** Doubles the stride until the kept points fill at most COMPACT_TO of the budget (pinned ones always stay). */
  private compact(): void {
    while (this.n > this.budget * COMPACT_TO) {
      this.stride *= 2;
      let w = 0;
      for (let r = 0; r < this.n; r++) {
        // seq / stride is exact (stride is a power of two): a whole number means a multiple, without a float modulo
        const q = this.seqs[r] / this.stride;
        const keep = this.pinned[r] === 1 || q === Math.floor(q) || r === this.n - 1;
        if (!keep) continue;
        if (w !== r) {
          this.step[w] = this.step[r];
          this.value[w] = this.value[r];
          this.avg[w] = this.avg[r];
          this.epoch[w] = this.epoch[r];
          this.iter[w] = this.iter[r];
          this.line[w] = this.line[r];
          this.seqs[w] = this.seqs[r];
          this.pinned[w] = this.pinned[r];
        }
        w++;
      }
      const shrunk = w < this.n;
      this.n = w;
      if (!shrunk && this.stride > 1 << 30) break;
    }
  }

  /** The kept points as Point objects (what the Run model stores). */
  toPoints(): Point[] {
    const out: Point[] = new Array(this.n);
    const full = this.hasAvg && this.hasIter;
    for (let i = 0; i < this.n; i++) {
      if (full && this.epoch[i] >= 0 && this.iter[i] >= 0 && this.line[i] >= 0) {
        // the usual training point: one literal with every field (same keys, same order as below) is built whole,
        // where adding fields one by one grows each object's property store
        out[i] = { step: this.step[i], value: this.value[i], avg: this.avg[i], epoch: this.epoch[i], iter: this.iter[i], line: this.line[i] };
        continue;
      }
      const p: Point = { step: this.step[i], value: this.value[i] };
      if (this.hasAvg) p.avg = this.avg[i];
      if (this.epoch[i] >= 0) p.epoch = this.epoch[i];
      if (this.hasIter && this.iter[i] >= 0) p.iter = this.iter[i];
      if (this.line[i] >= 0) p.line = this.line[i];
      out[i] = p;
    }
    return out;
  }
}
