// --max-bytes is the user's own limit: a cut log is "partially read", never a crash or an incomplete run, and the
// report always says so (not only with --verbose). The bundled run's log is 27,803 bytes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, REPO_ROOT } from '../helpers/shared.js';
import { BIN, ensureBuilt } from '../helpers/built-cli.js';

before(() => ensureBuilt());

const RUN = join(FIXTURES, 'runs', 'label_shift');

for (const limit of ['1k', '4k', '20k']) {
  test(`--max-bytes ${limit}: partially read, said in the first lines, no crash/incomplete diagnosis`, () => {
    const r = spawnSync(process.execPath, [BIN, RUN, '--max-bytes', limit, '--no-eval', '--format', 'json'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const run = JSON.parse(r.stdout).runs[0];
    assert.equal(run.status, 'partially-read');
    assert.equal(run.partiallyRead[0].size, 27803);
    assert.ok(!run.findings.some((f: { ruleId: string }) => f.ruleId === 'run-crashed' || f.ruleId === 'run-incomplete'), run.findings.map((f: { ruleId: string }) => f.ruleId).join(', '));
    assert.ok(!run.causes.some((c: { id: string }) => c.id === 'crash'));
    const text = spawnSync(process.execPath, [BIN, RUN, '--max-bytes', limit, '--no-eval'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } }).stdout;
    assert.match(text.split('\n').slice(0, 3).join('\n'), /partially read: the first \d+ of 27803 bytes of train-2026-11-27-18_38_15\.txt \(--max-bytes\)/);
    assert.doesNotMatch(text, /crashed|incomplete/);
  });
}
