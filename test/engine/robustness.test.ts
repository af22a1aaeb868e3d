// Property test: every rule and diagnose survive arbitrary (damaged, partial, NaN-ridden) runs without throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runRules } from '../../src/engine/run-rules.js';
import { RULES } from '../../rules/index.js';
import { diagnose } from '../../src/causes/index.js';
import { KEY } from '../../src/model/metric-keys.js';
import type { Point, Series } from '../../src/model/types.js';
import { makeRun, FAKE_LOG } from '../rules/runs.js';

const value = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -10, max: 110, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, 50, 100, 1e12) },
);
const series = (key: string) =>
  fc.record({
    granularity: fc.constantFrom<'iteration' | 'epoch'>('iteration', 'epoch'),
    withEpoch: fc.boolean(),
    withAvg: fc.boolean(),
    values: fc.array(value, { maxLength: 60 }),
  }).map(({ granularity, withEpoch, withAvg, values }): Series => ({
    key, rawName: key, file: FAKE_LOG, unit: 'other', granularity,
    points: values.map((v, i): Point => ({
      step: granularity === 'epoch' ? i : i * 50,
      value: v,
      ...(withEpoch ? { epoch: granularity === 'epoch' ? i : Math.floor(i / 6) } : {}),
      ...(withAvg ? { avg: v } : {}),
    })),
  }));
const hyper = fc.dictionary(
  fc.constantFrom('trade_off', 'lr', 'batch_size', 'epochs', 'iters_per_epoch', 'grl_max_iters', 'grl_hi', 'grl_switch_iter', 'grl_switch_hi', 'disc_batch_norm', 'disc_lr_mult', 'optimizer'),
  fc.oneof(fc.double({ min: -5, max: 1e5 }), fc.boolean(), fc.constantFrom('True', 'adam', '', null), fc.integer({ min: 0, max: 64 })),
);
const keys = [KEY.domainAcc, KEY.loss, KEY.clsLoss, KEY.transferLoss, KEY.clsAcc, KEY.valAcc, KEY.lr];

test('runRules + diagnose never throw on arbitrary runs, and their output is well formed', () => {
  fc.assert(
    fc.property(
      fc.subarray(keys).chain((ks) => fc.tuple(fc.tuple(...ks.map(series)), hyper, fc.constantFrom('dann', 'cdan', 'erm', 'unknown', 'dan'), fc.constantFrom('finished', 'crashed', 'incomplete', 'running', 'unknown'))),
      ([ss, hp, algorithm, status]) => {
        const run = makeRun({ series: ss as Series[], algorithm: algorithm as never, status: status as never });
        run.hyperparameters = hp as never;
        const { findings, notApplicable } = runRules(run, { rules: {}, ruleOptions: {}, metricAliases: {} }, undefined, RULES);
        const d = diagnose(run, findings, { notApplicable });
        for (const f of findings) {
          assert.doesNotMatch(f.message, /\{\{|undefined|NaN%/, f.message);
          assert.ok(f.evidence.length > 0 && f.evidence.every((e) => typeof e.file === 'string'));
        }
        for (const c of d.causes) assert.ok(c.confidence >= 0 && c.confidence <= 1 && c.fixes.length > 0);
      },
    ),
    { numRuns: 300, seed: 20261127 },
  );
});
