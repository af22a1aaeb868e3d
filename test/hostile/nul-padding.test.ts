// Issue 16.9: a crash-truncated log padded with zeros (`head -c 12000 LOG; 4 KB of /dev/zero`) is still read as the
// tllib log it is, with a note about the NUL run; a file with NULs from the start is still not a log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, runCli, LOG_NAME } from './helpers.js';
import { FIXTURES } from '../helpers/shared.js';
import { sniffTllib } from '../../src/ingest/tllib/sniff.js';

test('12,000 bytes of a log then 4 KB of zeros: read, epochs kept, the NUL run noted', async () => {
  const t = await tempDir();
  try {
    const full = await readFile(join(FIXTURES, 'runs', 'label_shift', LOG_NAME));
    const cut = Buffer.concat([full.subarray(0, 12000), Buffer.alloc(4096)]);
    assert.equal(sniffTllib('', cut), true);
    assert.equal(sniffTllib('', Buffer.concat([Buffer.from('\u0000\u0001ELF'), full.subarray(0, 2000)])), false);
    await mkdir(join(t, 'run'));
    await writeFile(join(t, 'run', 'training.log'), cut); // a name that does not claim tllib: structure decides
    const r = await runCli([join(t, 'run'), '--format', 'json', '--verbose'], t);
    assert.notEqual(r.code, 2, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.runs.length, 1);
    // 12,000 bytes of this log hold the header and the first epochs: the reader finds training lines
    const lines = full.subarray(0, 12000).toString('utf8').split('\n').filter((l) => /^Epoch: \[\d+\]/.test(l));
    const lastEpoch = Number(/^Epoch: \[(\d+)\]/.exec(lines.at(-1)!)![1]);
    assert.ok(lastEpoch >= 1);
    assert.ok(JSON.stringify(rep.runs[0]).includes('NUL'), 'a note says NUL bytes were skipped');
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
