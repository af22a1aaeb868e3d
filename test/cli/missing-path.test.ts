// Issue 17 item 14: a missing path was said three times on a terminal (stderr, the triage summary with the path
// twice, the report's error list). Now: once on a terminal; with a pipe or JSON, once on stderr and once in the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/shared.js';

const MISSING = join(FIXTURES, 'no-such-run-dir');

async function cli(args: string[], isTTY: boolean): Promise<{ code: number; out: string; err: string }> {
  // CI set: a terminal run prints the report instead of opening the UI
  const r = await runCli(args, process.cwd(), {}, { isTTY });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const count = (s: string) => s.split('no-such-run-dir').length - 1;

test('a missing path beside two runs: said once on a terminal, exit 2', async () => {
  const r = await cli([MISSING, join(FIXTURES, 'runs', 'healthy'), join(FIXTURES, 'runs', 'diverged')], true);
  assert.equal(r.code, 2);
  assert.equal(count(r.out) + count(r.err), 1, `stdout:\n${r.out}\nstderr:\n${r.err}`);
  assert.match(r.out, /no-such-run-dir: no such file or directory/);
});

test('a missing path with one run: once on a terminal; piped, once per stream', async () => {
  const tty = await cli([MISSING, join(FIXTURES, 'runs', 'healthy')], true);
  assert.equal(count(tty.out) + count(tty.err), 1);
  const piped = await cli([MISSING, join(FIXTURES, 'runs', 'healthy')], false);
  assert.deepEqual([count(piped.out), count(piped.err)], [1, 1]);
  const json = await cli([MISSING, join(FIXTURES, 'runs', 'healthy'), '--format', 'json'], true);
  assert.equal(count(json.err), 1, 'JSON on stdout: stderr says it');
  assert.equal(JSON.parse(json.out).errors.length, 1);
});
