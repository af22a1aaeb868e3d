// In-process CLI runs over runs built in a temp folder (no build step, no ../shared).
import { mkdtemp, mkdir, copyFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';
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

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs the CLI's main() with captured streams, as a non-TTY in CI. */
export async function runCli(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(argv, { stdout: out, stderr: err, env: { CI: 'true', NO_COLOR: '1', ...env }, isTTY: false, cwd });
  return { code, stdout, stderr };
}
