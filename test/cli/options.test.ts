// One parser, one config loader: every bad option value exits 2 with one line naming the option, and the main
// command, compare and watch all judge with dann-doctor.config.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';
import { SHARED_RUNS } from '../helpers/shared.js';

function io(cwd = process.cwd(), interrupted?: Promise<void>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, env: { CI: '1' }, isTTY: false, cwd, interrupted }, out: () => out, err: () => err };
}

const label = join(SHARED_RUNS, 'label_shift');
const healthy = join(SHARED_RUNS, 'healthy');

const BAD: [string, string[], RegExp][] = [
  ['unknown --rule id', [label, '--rule', 'no-such-rule=off'], /--rule: unknown rule "no-such-rule"/],
  ['bad --rule level', [label, '--rule', 'per-class-imbalance=loud'], /level must be one of off, info, warn, error, got "loud"/],
  ['malformed --rule', [label, '--rule', 'per-class-imbalance'], /--rule expects id=off\|info\|warn\|error/],
  ['unknown --backend', [label, '--backend', 'nosuch'], /--backend: unknown backend 'nosuch'/],
  ['bad --format', [label, '--format', 'pdf'], /unknown --format "pdf"/],
  ['bad --fail-on', [label, '--fail-on', 'sometimes'], /--fail-on expects error\|warn\|info\|never\|not-judged, got "sometimes"/],
  ['two --fail-on severities', [label, '--fail-on', 'warn,error'], /--fail-on takes one severity/],
  ['bad --map (no role)', [label, '--map', 'acc_t'], /--map expects NAME=ROLE/],
  ['bad --map (unknown role)', [label, '--map', 'acc_t=the-target'], /--map acc_t=the-target: unknown role "the-target"/],
  ['inspect: bad --map', ['inspect', label, '--map', 'x=nope'], /unknown role "nope"/],
  ['bad --max-points', [label, '--max-points=-3'], /--max-points expects a positive integer/],
  ['--max-points followed by a dash', [label, '--max-points', '-3'], /Option '--max-points' argument is ambiguous\.$/],
  ['unknown option', [label, '--frobnicate'], /Unknown option '--frobnicate'/],
  ['compare: bad --format', ['compare', healthy, label, '--format', 'sarif'], /--format expects text\|json\|markdown, got "sarif"/],
  ['compare: bad --tolerance', ['compare', healthy, label, '--tolerance', 'lots'], /--tolerance expects a number of points >= 0/],
  ['compare: unknown --rule id', ['compare', healthy, label, '--rule', 'nope=off'], /--rule: unknown rule "nope"/],
  ['watch: bad --min-severity', ['watch', healthy, '--min-severity', 'loud'], /--min-severity expects info\|warn\|error, got "loud"/],
  ['watch: bad --interval', ['watch', healthy, '--interval', '1'], /--interval expects a number of milliseconds >= 10/],
  ['watch: bad --rule level', ['watch', healthy, '--rule', 'run-crashed=maybe'], /level must be one of/],
];

for (const [name, argv, message] of BAD) {
  test(`${name}: exit 2, a one-line message, no stack`, async () => {
    const t = io();
    assert.equal(await main(argv, t.io), 2);
    const first = t.err().split('\n')[0];
    assert.match(first, message);
    assert.match(first, /^dann-doctor( compare| watch)?: /);
    assert.doesNotMatch(t.err(), /\n\s+at /, 'no stack trace');
    assert.equal(t.out(), '');
  });
}

test('the main command and compare read ./dann-doctor.config.json: a rule turned off there fires in neither', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-config-'));
  try {
    // the baseline: per-class-imbalance fires on label_shift (target per-class accuracy 9.1%..100%, train log lines 388-404)
    const before = io(dir);
    assert.equal(await main([label, '--format', 'json', '--fail-on', 'never'], before.io), 0);
    assert.ok(JSON.parse(before.out()).runs[0].findings.some((f: { ruleId: string }) => f.ruleId === 'per-class-imbalance'));
    const cmpBefore = io(dir);
    assert.equal(await main(['compare', healthy, label, '--format', 'json'], cmpBefore.io), 0);
    assert.ok(JSON.stringify(JSON.parse(cmpBefore.out())).includes('per-class-imbalance'));

    writeFileSync(join(dir, 'dann-doctor.config.json'), JSON.stringify({ rules: { 'per-class-imbalance': 'off' } }));
    const after = io(dir);
    assert.equal(await main([label, '--format', 'json', '--fail-on', 'never'], after.io), 0);
    assert.ok(!JSON.parse(after.out()).runs[0].findings.some((f: { ruleId: string }) => f.ruleId === 'per-class-imbalance'));
    const cmpAfter = io(dir);
    assert.equal(await main(['compare', healthy, label, '--format', 'json'], cmpAfter.io), 0);
    assert.ok(!JSON.stringify(JSON.parse(cmpAfter.out())).includes('per-class-imbalance'), 'compare judged with the config');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a broken config file is exit 2 naming the file, for main, compare and watch alike', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-config-'));
  try {
    writeFileSync(join(dir, 'dann-doctor.config.json'), JSON.stringify({ rules: { 'no-such-rule': 'off' } }));
    for (const argv of [[label], ['compare', healthy, label], ['watch', healthy]]) {
      const t = io(dir, Promise.resolve());
      assert.equal(await main(argv, t.io), 2, argv.join(' '));
      assert.match(t.err(), /dann-doctor\.config\.json.*unknown rule "no-such-rule"/, argv.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
