// Helper-thread entry for RepulsionPool: waits for each gradient, takes repulsion chunks until none are left.
import { workerData } from 'node:worker_threads';
import { CTRL, drainChunks, views, type RepulsionShared } from './repulsion-pool.js';

const v = views(workerData as RepulsionShared);
Atomics.add(v.ctrl, CTRL.READY, 1);
Atomics.notify(v.ctrl, CTRL.READY);
// GEN starts at 0 and only the main thread increments it, so waiting on the last seen value never misses a round
let gen = 0;
for (;;) {
  Atomics.wait(v.ctrl, CTRL.GEN, gen);
  gen = Atomics.load(v.ctrl, CTRL.GEN);
  if (Atomics.load(v.ctrl, CTRL.STOP)) break;
  drainChunks(v);
  Atomics.add(v.ctrl, CTRL.DONE, 1);
  Atomics.notify(v.ctrl, CTRL.DONE);
}
