// Tests for the metric-name table readers and detection rely on: canonical keys, config aliases, series building.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalKey, loadMetricAliases, buildSeries, parseNumber, guessAlgorithm, isEpochLevelName } from '../../src/understand/metric-aliases.js';
import { KEY } from '../../src/model/metric-keys.js';

test('names the other tools write map onto canonical keys (issue 4 list)', () => {
  const table: [string, string][] = [
    ['d_acc', KEY.domainAcc], ['disc_acc', KEY.domainAcc], ['domain_acc', KEY.domainAcc], ['Domain Acc', KEY.domainAcc],
    ['train/epoch_disc_acc', KEY.domainAcc], ['loss_d', KEY.transferLoss], ['transfer_loss', KEY.transferLoss],
    ['Trans Loss', KEY.transferLoss], ['src_domain_loss', KEY.transferLoss], ['acc_x', KEY.clsAcc], ['loss_x', KEY.clsLoss],
    ['val/accuracy', KEY.valAcc], ['validation/epoch_accuracy', KEY.valAcc], ['test_acc', KEY.valAcc], ['total_Loss', KEY.loss],
    ['train_loss_step', KEY.loss], ['val_acc_epoch', KEY.valAcc], ['engine_output_total_loss/src_c_loss', KEY.clsLoss],
  ];
  for (const [raw, key] of table) assert.equal(canonicalKey(raw), key, raw);
  assert.equal(canonicalKey('my_custom_metric'), 'my_custom_metric'); // unknown names are kept
});

test('config aliases extend and override the table; bad entries are reported, not thrown', () => {
  const { aliases, problems } = loadMetricAliases({ 'D Accuracy': KEY.domainAcc, disc_acc: 'my/disc', bad: 3, '': 'x' });
  assert.deepEqual(aliases, { 'D Accuracy': KEY.domainAcc, disc_acc: 'my/disc' });
  assert.equal(problems.length, 2);
  assert.equal(canonicalKey('d accuracy', aliases), KEY.domainAcc);
  assert.equal(canonicalKey('disc_acc', aliases), 'my/disc');
  assert.deepEqual(loadMetricAliases(['x']).problems.length, 1);
  assert.deepEqual(loadMetricAliases(undefined), { aliases: {}, problems: [] });
});

test('buildSeries: fractions scaled with a note, collisions keep the richer series canonical', () => {
  const pts = (vals: number[]) => vals.map((value, step) => ({ step, value }));
  const { series, notes } = buildSeries([
    { rawName: 'train_loss_step', file: 'f', granularity: 'iteration', points: pts([3, 2, 1, 0.5]) },
    { rawName: 'train_loss_epoch', file: 'f', granularity: 'epoch', points: pts([2]) },
    { rawName: 'disc_acc', file: 'f', granularity: 'iteration', points: [{ step: 0, value: 0.5, avg: 0.25 }, { step: 1, value: NaN }] },
    { rawName: 'empty', file: 'f', granularity: 'iteration', points: [] },
  ]);
  assert.deepEqual(series.map((s) => s.key), [KEY.loss, 'train_loss_epoch', KEY.domainAcc]);
  const d = series[2];
  assert.deepEqual([d.scaledFrom, d.unit, d.points[0].value, d.points[0].avg, Number.isNaN(d.points[1].value)], ['fraction', 'percent', 50, 25, true]);
  assert.equal(notes.length, 2);
  assert.match(notes[0].message, /also maps to train\/loss/);
  // 0/1-only and percent-valued accuracies are left alone
  assert.equal(buildSeries([{ rawName: 'acc', file: 'f', granularity: 'epoch', points: pts([0, 1, 1]) }]).series[0].scaledFrom, undefined);
  assert.equal(buildSeries([{ rawName: 'acc', file: 'f', granularity: 'epoch', points: pts([50, 60]) }]).series[0].scaledFrom, undefined);
});

test('numbers as Python prints them; epoch-level names; algorithm from hyperparameters before metric names', () => {
  assert.deepEqual(['1e-05', 'nan', '-inf', 'Infinity', ' 3 ', '', 'x1', '1.2.3'].map(parseNumber), [1e-5, NaN, -Infinity, Infinity, 3, null, null, null]);
  assert.ok(isEpochLevelName('validation/epoch_loss', KEY.valLoss));
  assert.ok(isEpochLevelName('train_loss_epoch', KEY.loss));
  assert.ok(!isEpochLevelName('train/loss', KEY.loss));
  assert.deepEqual(guessAlgorithm({ method: 'CDAN+E' }, [KEY.domainAcc], 'f'), { algorithm: 'cdan' });
  assert.equal(guessAlgorithm({}, [KEY.domainAcc], 'f').algorithm, 'dann');
  assert.deepEqual(guessAlgorithm({}, [KEY.loss], 'f'), {});
});
