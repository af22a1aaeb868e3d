// action.yml: the composite action's inputs, and its shell step run for real with a stub `npx` standing in for npm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile, readFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/shared.js';

interface Step { id?: string; run?: string; uses?: string; env?: Record<string, string>; if?: string; with?: Record<string, string> }
const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>; runs: { using: string; steps: Step[] };
};

test('action.yml is a composite action with paths, fail-on and formats inputs, and uploads SARIF', () => {
  assert.equal(action.runs.using, 'composite');
  for (const k of ['paths', 'fail-on', 'formats', 'baseline-file']) assert.ok(action.inputs[k], `input ${k}`);
  assert.equal(action.inputs['fail-on'].default, 'error');
  assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif')));
  const run = action.runs.steps.find((s) => s.id === 'run')!;
  assert.doesNotMatch(run.run!, /\$\{\{/, 'inputs reach the script through env, never pasted into it');
});

/** Runs the action's main step with inputs as env vars and a stub npx that records its arguments. */
async function runStep(inputs: Record<string, string>, stubExit: number) {
  const dir = await mkdtemp(join(tmpdir(), 'dd-action-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  // The stub behaves like the CLI's file outputs: writes every --format NAME=FILE it is given.
  await writeFile(join(bin, 'npx'), `#!/usr/bin/env bash
printf '%s\\n' "$@" > "$STUB_ARGS"
prev=""
for a in "$@"; do
  if [ "$prev" = "--format" ]; then f="\${a#*=}"; echo "# report (\${a%%=*})" > "$f"; fi
  prev="$a"
done
exit $STUB_EXIT
`);
  await chmod(join(bin, 'npx'), 0o755);
  const step = action.runs.steps.find((s) => s.id === 'run')!;
  const env: Record<string, string> = {
    PATH: `${bin}:${process.env.PATH}`, STUB_ARGS: join(dir, 'args.txt'), STUB_EXIT: String(stubExit),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output.txt'),
  };
  for (const [k, expr] of Object.entries(step.env ?? {})) {
    const name = /inputs\.([\w-]+)/.exec(expr)![1];
    env[k] = inputs[name] ?? action.inputs[name].default ?? '';
  }
  env.DD_OUT = join(dir, env.DD_OUT);
  await writeFile(join(dir, 'summary.md'), '');
  await writeFile(join(dir, 'output.txt'), '');
  const r = spawnSync('bash', ['-c', step.run!], { env, cwd: dir, encoding: 'utf8' });
  const read = (f: string) => readFile(join(dir, f), 'utf8').catch(() => '');
  const res = { status: r.status, stdout: r.stdout, args: (await read('args.txt')).split('\n').filter(Boolean), summary: await read('summary.md'), output: await read('output.txt'), dir };
  await rm(dir, { recursive: true, force: true });
  return res;
}

test('the step passes paths, formats and fail-on to dann-doctor, writes the job summary and the exit code', async () => {
  const r = await runStep({ paths: 'runs/a runs/b', 'fail-on': 'warn', version: '0.1.0' }, 1);
  assert.equal(r.status, 0, 'the step itself succeeds; the last step fails the job with the exit code');
  assert.deepEqual(r.args.slice(0, 4), ['--yes', 'dann-doctor@0.1.0', 'runs/a', 'runs/b']);
  assert.ok(r.args.includes('--fail-on') && r.args[r.args.indexOf('--fail-on') + 1] === 'warn');
  assert.ok(r.args.some((a) => /^markdown=.*dann-doctor\.md$/.test(a)));
  assert.ok(r.args.some((a) => /^sarif=.*dann-doctor\.sarif$/.test(a)));
  assert.ok(!r.args.includes('--baseline-file'), 'no baseline file in the checkout: not passed');
  assert.match(r.summary, /# report \(markdown\)/);
  assert.match(r.output, /^exit-code=1$/m);
  assert.match(r.output, /^sarif-file=.*dann-doctor\.sarif$/m);
  assert.match(r.stdout, /::error::dann-doctor found problems at or above 'warn'/);
});

test('formats without sarif leave the SARIF output empty; an unknown format is an error', async () => {
  const r = await runStep({ formats: 'markdown,json' }, 0);
  assert.match(r.output, /^exit-code=0$/m);
  assert.match(r.output, /^sarif-file=$/m);
  assert.ok(r.args.some((a) => /^json=.*dann-doctor\.json$/.test(a)));
  const bad = await runStep({ formats: 'pdf' }, 0);
  assert.equal(bad.status, 2);
  assert.match(bad.stdout, /unknown format 'pdf'/);
});
