// Signal handling of the CLI entry, against a stand-in process: codes, one grace period, a second signal is final.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { installInterruptHandlers, untilInterrupted, Interrupted, GRACEFUL_STOP_MS } from '../../src/runtime/interrupt.js';

function fakeProcess() {
  const p = new EventEmitter() as EventEmitter & { exits: number[]; exit: (c: number) => void };
  p.exits = [];
  p.exit = (c: number) => void p.exits.push(c);
  return p;
}

test('SIGINT resolves with 130, SIGTERM would with 143; a second signal exits at once', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const proc = fakeProcess();
  let cleared = 0;
  const h = installInterruptHandlers(proc as unknown as NodeJS.Process, () => cleared++);
  assert.equal(h.code(), undefined);
  proc.emit('SIGINT');
  assert.equal(await h.interrupted, 130);
  assert.deepEqual(proc.exits, []);
  proc.emit('SIGINT');
  assert.deepEqual(proc.exits, [130]);
  assert.equal(cleared, 1);
});

test('without a second signal the process still exits after the grace period', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const proc = fakeProcess();
  installInterruptHandlers(proc as unknown as NodeJS.Process);
  proc.emit('SIGTERM');
  t.mock.timers.tick(GRACEFUL_STOP_MS - 1);
  assert.deepEqual(proc.exits, []);
  t.mock.timers.tick(1);
  assert.deepEqual(proc.exits, [143]);
});

test('untilInterrupted abandons the work with the signal code', async () => {
  const never = new Promise<number>(() => {});
  await assert.rejects(untilInterrupted(never, Promise.resolve(143)), (e) => e instanceof Interrupted && e.exitCode === 143);
  assert.equal(await untilInterrupted(Promise.resolve(7), new Promise(() => {})), 7);
});
