// Helper threads for the Barnes-Hut repulsion: tree and embedding copied into shared memory, chunks handed out atomically.
import type { Worker } from 'node:worker_threads';
import { repulseRange, REPULSION_CHUNK, type QuadTree, type RepulsionRunner } from './barnes-hut.js';
import { spawnModuleWorker } from './spawn-worker.js';

/** Control slots (Int32) shared with the helpers. */
export const CTRL = { GEN: 0, DONE: 1, NEXT: 2, M: 3, N: 4, STOP: 5, READY: 6, HAS_ORDER: 7 } as const;
const CTRL_SLOTS = 8;
/** Packed tree nodes the shared buffer holds per point: trees use ~1.8 per point, 8 leaves room for tight clusters. */
const NODES_PER_POINT = 8;
/** A helper that has not answered in this long is gone (crashed thread): fail loudly instead of hanging. */
const HELPER_TIMEOUT_MS = 60_000;

export interface RepulsionShared {
  ctrl: SharedArrayBuffer;
  params: SharedArrayBuffer;
  y: SharedArrayBuffer;
  order: SharedArrayBuffer;
  neg: SharedArrayBuffer;
  qChunks: SharedArrayBuffer;
  summary: SharedArrayBuffer;
  skip: SharedArrayBuffer;
}

/** Views over the shared buffers, the same in the main thread and in the helpers. */
export function views(b: RepulsionShared) {
  return {
    ctrl: new Int32Array(b.ctrl),
    params: new Float64Array(b.params),
    y: new Float64Array(b.y),
    order: new Int32Array(b.order),
    neg: new Float64Array(b.neg),
    qChunks: new Float64Array(b.qChunks),
    summary: new Float64Array(b.summary),
    skip: new Int32Array(b.skip),
  };
}

/** Takes chunks until none are left; run by the main thread and by every helper for each gradient. */
export function drainChunks(v: ReturnType<typeof views>): void {
  const n = v.ctrl[CTRL.N];
  const m = v.ctrl[CTRL.M];
  const order = v.ctrl[CTRL.HAS_ORDER] ? v.order : undefined;
  const theta2 = v.params[0];
  for (;;) {
    const c = Atomics.add(v.ctrl, CTRL.NEXT, 1);
    const lo = c * REPULSION_CHUNK;
    if (lo >= n) break;
    repulseRange(v.y, order, v.summary, v.skip, m, theta2, lo, Math.min(n, lo + REPULSION_CHUNK), v.neg, v.qChunks);
  }
}

export class RepulsionPool implements RepulsionRunner {
  private readonly v: ReturnType<typeof views>;
  private readonly cap: number;
  private ready = false;

  private constructor(private readonly workers: Worker[], shared: RepulsionShared, n: number) {
    this.v = views(shared);
    this.cap = NODES_PER_POINT * n + 64;
  }

  /** Starts `helpers` threads for up to n points; they load while PCA and kNN run. */
  static start(helpers: number, n: number): RepulsionPool {
    const cap = NODES_PER_POINT * n + 64;
    const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
    const shared: RepulsionShared = {
      ctrl: sab(CTRL_SLOTS * 4),
      params: sab(8),
      y: sab(16 * n),
      order: sab(4 * n),
      neg: sab(16 * n),
      qChunks: sab(8 * Math.ceil(n / REPULSION_CHUNK)),
      summary: sab(32 * cap),
      skip: sab(4 * cap),
    };
    const workers: Worker[] = [];
    for (let h = 0; h < helpers; h++) {
      const w = spawnModuleWorker('repulsion-worker', shared);
      w.unref();
      w.on('error', () => {
        /* a helper that fails to start is detected by waitReady(); one that dies later by the DONE timeout */
      });
      workers.push(w);
    }
    return new RepulsionPool(workers, shared, n);
  }

  /** Waits (blocking) until every helper is up; false when they did not come up in time (then do not use the pool). */
  waitReady(timeoutMs: number): boolean {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const r = Atomics.load(this.v.ctrl, CTRL.READY);
      if (r >= this.workers.length) return (this.ready = true);
      const left = end - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.v.ctrl, CTRL.READY, r, left);
    }
  }

  run(y: Float64Array, order: Int32Array | undefined, tree: QuadTree, theta2: number, n: number, neg: Float64Array, qChunks: Float64Array): boolean {
    const m = tree.packed;
    if (!this.ready || m > this.cap) return false;
    const v = this.v;
    v.y.set(y.subarray(0, 2 * n));
    if (order) v.order.set(order.subarray(0, n));
    v.summary.set(tree.summary.subarray(0, 4 * m));
    v.skip.set(tree.skip.subarray(0, m));
    v.qChunks.fill(0);
    v.params[0] = theta2;
    v.ctrl[CTRL.M] = m;
    v.ctrl[CTRL.N] = n;
    v.ctrl[CTRL.HAS_ORDER] = order ? 1 : 0;
    Atomics.store(v.ctrl, CTRL.NEXT, 0);
    Atomics.store(v.ctrl, CTRL.DONE, 0);
    Atomics.add(v.ctrl, CTRL.GEN, 1);
    Atomics.notify(v.ctrl, CTRL.GEN);
    drainChunks(v);
    for (;;) {
      const d = Atomics.load(v.ctrl, CTRL.DONE);
      if (d >= this.workers.length) break;
      if (Atomics.wait(v.ctrl, CTRL.DONE, d, HELPER_TIMEOUT_MS) === 'timed-out') throw new Error('t-SNE helper thread stopped responding');
    }
    neg.set(v.neg.subarray(0, 2 * n));
    qChunks.set(v.qChunks.subarray(0, qChunks.length));
    return true;
  }

  /** Tells the helpers to exit (they are unref'd, so a forgotten pool never keeps the process alive). */
  close(): void {
    Atomics.store(this.v.ctrl, CTRL.STOP, 1);
    Atomics.add(this.v.ctrl, CTRL.GEN, 1);
    Atomics.notify(this.v.ctrl, CTRL.GEN);
  }
}
