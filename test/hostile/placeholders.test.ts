// Issue 16.10: a checkpoint that references code (posix.system) is named in text and Markdown, not only in JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRun, tempDir, runCli } from './helpers.js';
import { FIXTURES } from '../helpers/shared.js';

test('posix.system in latest.pth is shown in text and Markdown output', async () => {
  const t = await tempDir();
  try {
    const { dir, checkpoint } = await makeRun(t);
    await copyFile(join(FIXTURES, 'hostile', 'os-system.pth'), checkpoint);
    for (const f of ['text', 'markdown']) {
      const r = await runCli([dir, '--format', f], t);
      assert.match(r.stdout, /checkpoint references code that dann-doctor does not run: (posix|os)\.system/, f);
    }
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
