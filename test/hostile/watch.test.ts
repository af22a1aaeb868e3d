// Issue 16.6/16.7: watch under real file handling — atomic replacement never re-alarms a finding, delete-and-recreate
// and a log turned into a folder are waited for (notes), never an exit 2 or a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, rename, rm, unlink, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRun, tempDir, LOG_NAME } from './helpers.js';
import { watchRun, type Alarm } from '../../src/cli/watch.js';
import { diagnose } from '../../src/pipeline/diagnose.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('25 atomic replacements (write elsewhere, rename over) raise each finding once', { timeout: 120_000 }, async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(t);
    const log = join(dir, LOG_NAME);
    const text = await readFile(log, 'utf8');
    // the real findings of this log, computed once: each analysis returns them again, as a re-read of a replaced
    // file does (the follower, not the pipeline, is under test; a real re-read costs ~10x its time in duty wait)
    const real = await diagnose([dir], { maxDepth: 0 });
    let analyses = 0;
    const alarms: Alarm[] = [];
    let rotations = 0;
    let next!: () => void;
    const replaced = async () => {
      for (let i = 0; i < 25; i++) {
        const seen = analyses;
        const tmp = join(t, `tmp-${i}`);
        await writeFile(tmp, text); // same content, a new inode each time
        await rename(tmp, log);
        for (let w = 0; w < 500 && analyses === seen; w++) await sleep(10);
      }
    };
    await watchRun(dir, {
      intervalMs: 10,
      analyze: async () => structuredClone(real),
      stop: new Promise<void>((r) => (next = r)),
      onRotate: () => rotations++,
      onAlarm: (a) => alarms.push(a),
      onAnalysis: () => { if (++analyses === 1) void replaced().then(() => next()); },
    });
    assert.ok(rotations >= 20, `${rotations} replacements seen`);
    assert.ok(analyses >= 20, `${analyses} analyses`);
    const byRule = new Map<string, number>();
    for (const a of alarms) byRule.set(a.finding.fingerprint, (byRule.get(a.finding.fingerprint) ?? 0) + 1);
    assert.ok(alarms.some((a) => a.finding.ruleId === 'per-class-imbalance'), alarms.map((a) => a.finding.ruleId).join(','));
    assert.deepEqual([...byRule.values()].filter((n) => n > 1), [], 'no finding alarmed twice');
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('delete-and-recreate every few ms, then the log becomes a folder: waiting notes, no throw', { timeout: 120_000 }, async () => {
  const t = await tempDir();
  try {
    const { dir } = await makeRun(t);
    const log = join(dir, LOG_NAME);
    const text = await readFile(log, 'utf8');
    const waits: string[] = [];
    let started!: () => void;
    const first = new Promise<void>((r) => (started = r));
    const churn = (async () => {
      await first; // the watch is up and has read the log once
      for (let i = 0; i < 60; i++) {
        await unlink(log).catch(() => {});
        await sleep(3);
        await writeFile(log, text);
        await sleep(2);
      }
      await unlink(log);
      await mkdir(log); // EISDIR for anything that opens it
      await sleep(300);
    })();
    const alarms = await watchRun(log, { intervalMs: 5, stop: churn, onWaiting: (w) => waits.push(w), onAnalysis: () => started() });
    assert.ok(Array.isArray(alarms));
    assert.ok(waits.some((w) => /is a folder now; waiting/.test(w)), waits.join('\n'));
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
