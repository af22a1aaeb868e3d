// Run lists in the order people number them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { naturalCompare } from '../../src/discover/natural-order.js';
import { discoverRuns } from '../../src/discover/discover-runs.js';
import { FIXTURES } from '../helpers/shared.js';

test('naturalCompare: numbers by value, the rest by code unit', () => {
  assert.deepEqual(['copy10', 'copy2', 'copy1', 'copy11', 'Copy3'].sort(naturalCompare), ['Copy3', 'copy1', 'copy2', 'copy10', 'copy11']);
  assert.deepEqual(['seed1', 'seed01', 'lr0.1', 'lr0.01'].sort(naturalCompare), ['lr0.1', 'lr0.01', 'seed1', 'seed01']);
});

test('discovery lists copy1, copy2, ..., copy10, copy11', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-natural-'));
  try {
    const src = join(FIXTURES, 'runs', 'label_shift');
    const log = readdirSync(src).find((f) => f.endsWith('.txt'))!;
    for (const n of [11, 2, 10, 1]) {
      mkdirSync(join(dir, `copy${n}`));
      copyFileSync(join(src, log), join(dir, `copy${n}`, log));
    }
    const found = await discoverRuns([dir]);
    assert.deepEqual(found.runs.map((r) => r.id.split('/').pop()), ['copy1', 'copy2', 'copy10', 'copy11']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare never prints -0.0', async () => {
  const { fixed } = await import('../../src/cli/compare.js');
  assert.equal(fixed(-0.04, 1), '0.0');
  assert.equal(fixed(-0, 1), '0.0');
  assert.equal(fixed(-0.06, 1), '-0.1');
});
