// The CLI's main() in-process with captured streams: one helper for every test that runs a command without a child process.
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';

export interface CliResult { code: number; stdout: string; stderr: string }

/**
 * Runs main(argv) in `cwd` with CI=true and NO_COLOR=1 (plus `env`). `isTTY` (default false) says stdout is a
 * terminal: with CI set the report is printed there instead of opening the UI.
 */
export async function runCli(argv: string[], cwd: string, env: Record<string, string> = {}, opts: { isTTY?: boolean } = {}): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(argv, { stdout: out, stderr: err, env: { CI: 'true', NO_COLOR: '1', ...env }, isTTY: opts.isTTY ?? false, cwd });
  return { code, stdout, stderr };
}
