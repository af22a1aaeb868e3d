// `--replay` end to end on the committed label_shift run (our own PyTorch run, fixtures/runs/label_shift):
// usage errors exit 2 with one line; a short replay lands in the JSON and text reports with its caveat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ensureBuilt } from '../helpers/built-cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const RUN = join(REPO_ROOT, 'fixtures', 'runs', 'label_shift');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, timeout: 300_000 });

test('replay flags: misuse is a usage error (exit 2, one line, no trace)', () => {
  ensureBuilt();
  for (const [args, msg] of [
    [['--try', 'trade_off=1'], /--try replays a setting: add --replay/],
    [['--replay', '--try', 'nosuch=1'], /unknown key nosuch/],
    [['--replay', '--try', 'lr=fast'], /expected a number/],
    [['--replay', '--replay-budget', 'soon'], /--replay-budget expects a duration/],
    [['--replay-steps', '10'], /--replay-steps needs --replay/],
    [['--replay', '--replay-steps', '0'], /positive integer/],
  ] as const) {
    const r = cli(RUN, ...args, '--format', 'json');
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  }
});

test('a short replay of label_shift: the run, its causes\' fixes, a --try and source-only, in JSON and text', () => {
  ensureBuilt();
  const r = cli(RUN, '--replay', '--replay-steps', '12', '--replay-budget', '10m', '--try', 'trade_off=0.3', '--format', 'json', '--fail-on', 'never');
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(r.stdout).runs[0];
  const rp = run.replay;
  assert.ok(rp, 'replay in the report');
  assert.match(rp.caveat, /direction a fix moves the game, not the number/);
  assert.equal(rp.iterations, 12);
  assert.equal(rp.seeds, 3);
  assert.equal(rp.budgetExhausted, false);
  // the dump: 225 source and 225 target rows of 128-d backbone features, 10 digit classes (fixtures/runs/README.md)
  assert.deepEqual([rp.inputs.source, rp.inputs.sourceRows, rp.inputs.targetRows, rp.inputs.featureDim, rp.inputs.classes], ['source_backbone_features', 225, 225, 128, 10]);
  const labels = rp.variants.map((v: { variant: { label: string } }) => v.variant.label);
  assert.equal(labels[0], 'as configured');
  assert.ok(labels.includes('trade_off=0.3'), labels.join(' | '));
  assert.equal(labels.at(-1), 'algorithm=source-only, trade_off=0');
  // the label-shift cause ranked first for this run asks for CDAN+E: it is one of the replayed variants
  assert.ok(labels.includes('algorithm=cdan+e'), labels.join(' | '));
  // a budget of 10 minutes fits every seed (3) of every variant at 12 steps: all variants have the same seeds
  for (const v of rp.variants) {
    assert.equal(v.trials.length, rp.seeds);
    assert.ok(v.sourceAcc.mean >= 0 && v.sourceAcc.mean <= 100);
  }
  // the run's own configuration comes from its Namespace: bottleneck 128, dropout discriminator of 1024
  assert.equal(rp.variants[0].variant.config.bottleneckDim, 128);
  assert.equal(rp.variants[0].variant.config.discBatchNorm, false);
  assert.equal(rp.variants[0].variant.config.runIterations, 15 * 300);

  const t = cli(RUN, '--replay', '--replay-steps', '10', '--format', 'text', '--fail-on', 'never');
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /replay\s+A replay trains only the bottleneck/);
  assert.match(t.stdout, /variant\s+domain acc\s+target acc\s+source acc\s+A-distance\s+collapse\s+verdict/);
  assert.match(t.stdout, /as configured .* reference point/);
});
