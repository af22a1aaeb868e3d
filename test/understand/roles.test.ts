// Roles, config roles / --map, the not-judged verdict and --fail-on not-judged, on small self-made inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/shared.js';
import { inferRoleFromName, keyFromName } from '../../src/understand/infer-role.js';
import { hyperLookup, HYPER_NAMES } from '../../src/understand/hyper-aliases.js';
import { isSourceOnly } from '../../src/understand/baseline-run.js';
import { parseConfigText } from '../../src/ingest/config/read-config.js';
import { KEY } from '../../src/model/metric-keys.js';

const RUN = join(FIXTURES, 'understand/unnamed-metrics');

async function cli(args: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args, cwd);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

test('names from many tools get the role their words say, with reasons', () => {
  const cases: [string, string | undefined][] = [
    ['Domain_acc', KEY.domainAcc], ['Source_acc', KEY.clsAcc], ['tgt_test_acc', KEY.valAcc], ['Target_val_loss', KEY.valLoss],
    ['train_src_acc', KEY.clsAcc], ['coral_loss', KEY.transferLoss], ['loss_d', KEY.transferLoss], ['acc_x', KEY.clsAcc],
    ['validation/epoch_accuracy', KEY.valAcc], ['trainSrcAcc', KEY.clsAcc], ['lr-Adam', KEY.lr], ['Acc@1', KEY.valAcc],
    ['hp_metric', undefined], ['mem_gb', undefined], ['precision macro', undefined], ['Domain_val_acc', undefined],
  ];
  for (const [name, key] of cases) assert.equal(keyFromName(name), key, name);
  const r = inferRoleFromName('val_acc');
  assert.equal(r.domain, 'target');
  assert.ok(r.reasons.some((x) => /^assumed: val accuracy is the target's/.test(x)), 'the protocol assumption is said');
  assert.equal(inferRoleFromName('valid_loss_step/epoch_0').granularity, 'step'); // epoch_0 names which epoch
});

test('one hyperparameter table: nested keys, W&B value wrappers, and da_weight=0 is source-only everywhere', () => {
  assert.deepEqual(hyperLookup({ 'config.train.lr': 0.01 }, HYPER_NAMES.lr), { name: 'config.train.lr', value: 0.01 });
  assert.deepEqual(hyperLookup({ 'cfg.data.batch_size': 64 }, HYPER_NAMES.batchSize), { name: 'cfg.data.batch_size', value: 64 });
  assert.equal(isSourceOnly({ algorithm: 'dann', hyperparameters: { da_weight: 0 } }), true);
  assert.equal(isSourceOnly({ algorithm: 'dann', hyperparameters: { da_weight: 0.5 } }), false);
});

test('config files: W&B {desc, value}, pickled YAML internals dropped, argparse text', async () => {
  assert.deepEqual(await parseConfigText('config.yaml', 'lr:\n  desc: null\n  value: 0.0005\n_wandb:\n  value: {x: 1}\n'), { lr: 0.0005 });
  const pickled = 'model: !!python/object:torch.nn.Linear\n  _modules: {}\n  _parameters: {}\nlearning_rate: 0.001\n';
  assert.deepEqual(await parseConfigText('hparams.yaml', pickled), { learning_rate: 0.001 });
  assert.deepEqual(await parseConfigText('args.txt', '--lr 0.01\n--trade-off 1.5\nseed: 2020\n'), { lr: 0.01, trade_off: 1.5, seed: 2020 });
});

test('unrecognised series: "not judged", never "no problems found"; --fail-on not-judged fails it', async () => {
  const json = await cli([RUN, '--format', 'json']);
  const run = JSON.parse(json.out).runs[0];
  assert.equal(run.verdict, 'not-judged');
  assert.ok(run.coverage.missing[0].startsWith('target accuracy'));
  assert.match(run.coverage.hint, /--map "m1=target-acc"/);
  const text = await cli([RUN, '--format', 'text', '--no-color']);
  assert.match(text.out, /not judged: target accuracy not found/);
  assert.doesNotMatch(text.out, /no problems found/);
  assert.equal(text.code, 0);
  assert.equal((await cli([RUN, '--format', 'json', '--fail-on', 'not-judged'])).code, 1);
});

test('--map and config roles change the verdict: m1 is the target accuracy, and it degrades', async () => {
  const mapped = JSON.parse((await cli([RUN, '--format', 'json', '--map', 'm1=target-acc', '--map', 'm2=domain-acc'])).out).runs[0];
  assert.equal(mapped.verdict, 'problems');
  // m1 by hand: 62 70 74 76 75 71 66 61 57 52 (percent): final 52, best 76 at epoch 3
  assert.equal(mapped.metrics.finalTargetAcc, 52);
  assert.equal(mapped.metrics.bestTargetAcc, 76);
  assert.ok(mapped.findings.some((f: { ruleId: string }) => f.ruleId === 'target-acc-degrading'));
  const m1 = mapped.series.find((s: { rawName: string }) => s.rawName === 'm1');
  assert.equal(m1.key, KEY.valAcc);
  assert.equal(m1.role.from, 'user');
  const dir = mkdtempSync(join(tmpdir(), 'dd-roles-'));
  writeFileSync(join(dir, 'dann-doctor.config.json'), JSON.stringify({ roles: { m1: 'target-acc' } }));
  const viaConfig = JSON.parse((await cli([RUN, '--format', 'json'], dir)).out).runs[0];
  assert.equal(viaConfig.verdict, 'problems');
  assert.equal(viaConfig.metrics.finalTargetAcc, 52);
});

test('inspect lists every series with role, confidence and reason', async () => {
  const r = await cli(['inspect', RUN, '--map', 'm1=target-acc']);
  assert.equal(r.code, 0);
  assert.match(r.out, /m1 +target accuracy \(val, per epoch\) → val\/acc1 +\[1\.00, yours\]/);
  assert.match(r.out, /set by the user \(m1=target-acc\)/);
  assert.match(r.out, /loss +total loss \(train, per epoch\) → train\/loss/);
  const j = JSON.parse((await cli(['inspect', RUN, '--format', 'json'])).out);
  assert.equal(j.runs[0].verdict, 'not-judged');
});
