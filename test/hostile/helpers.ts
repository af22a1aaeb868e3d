// In-process CLI runs over runs built in a temp folder (no build step, no ../shared).
import { mkdtemp, mkdir, copyFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/shared.js';

export const LOG_NAME = 'train-2026-11-27-18_38_15.txt';

/** A tllib run (the bundled label_shift log) plus a stand-in checkpoint whose bytes a test can check afterwards. */
export async function makeRun(parent: string, name = 'r1'): Promise<{ dir: string; checkpoint: string; ckBytes: Buffer }> {
  const dir = join(parent, name);
  await mkdir(join(dir, 'checkpoints'), { recursive: true });
  await copyFile(join(FIXTURES, 'runs', 'label_shift', LOG_NAME), join(dir, LOG_NAME));
  const ckBytes = Buffer.from('PK\u0003\u0004 not really a checkpoint, but the user would want it kept');
  const checkpoint = join(dir, 'checkpoints', 'latest.pth');
  await writeFile(checkpoint, ckBytes);
  return { dir, checkpoint, ckBytes };
}

export async function tempDir(prefix = 'dd-hostile-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export { runCli, type CliResult } from '../helpers/cli.js';
