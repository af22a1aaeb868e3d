// The stderr progress line: silent for short work, phase + percent + ETA after a second, cleared when done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressLine, progressText, formatEta, SHOW_AFTER_MS, REDRAW_MS } from '../../src/runtime/progress-line.js';

function sink() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream };
}

test('progressText: percent, and an ETA from elapsed time once 5% is done', () => {
  assert.equal(progressText('reading', undefined, 5000), 'reading');
  assert.equal(progressText('probe', 0.02, 5000), 'probe 2%');
  // 25% in 10 s: 30 s left at the same pace
  assert.equal(progressText('probe', 0.25, 10_000), 'probe 25% · about 30 s left');
  assert.equal(progressText('probe', 1, 10_000), 'probe 100%');
  assert.equal(formatEta(125), '2 min 05 s');
});

test('work shorter than a second prints nothing, not even a clear', () => {
  let now = 0;
  const s = sink();
  const p = new ProgressLine(s.stream, { now: () => now });
  p.update('reading run', 0.5);
  now = SHOW_AFTER_MS - 1;
  p.update('judging', 0.9);
  p.done();
  assert.deepEqual(s.chunks, []);
});

test('after a second: one rewritten line, throttled, cut to the terminal width, cleared at the end', () => {
  let now = 0;
  const s = sink();
  const p = new ProgressLine(s.stream, { now: () => now, columns: 30 });
  p.update('evaluating — training the probe', 0);
  now = SHOW_AFTER_MS + 1;
  p.update('evaluating — training the probe', 0.5);
  assert.equal(s.chunks.length, 1);
  assert.ok(s.chunks[0].startsWith('\r\u001b[2K'));
  assert.ok(s.chunks[0].length - '\r\u001b[2K'.length <= 30, s.chunks[0]);
  p.update('evaluating — training the probe', 0.6); // within REDRAW_MS: not drawn
  assert.equal(s.chunks.length, 1);
  now += REDRAW_MS;
  p.update('x', 0.7);
  assert.equal(s.chunks.length, 2);
  p.done();
  assert.equal(s.chunks.at(-1), '\r\u001b[2K');
});

test('a phase that only counts steps ("step 20/100") still gets a percent and an ETA', () => {
  let now = 0;
  const s = sink();
  const p = new ProgressLine(s.stream, { now: () => now });
  now = SHOW_AFTER_MS + 1;
  p.update('discriminator, step 10/100');
  now += 10_000;
  p.update('discriminator, step 60/100');
  assert.match(s.chunks.at(-1)!, /step 60\/100 60% · about \d+ s left/);
});
