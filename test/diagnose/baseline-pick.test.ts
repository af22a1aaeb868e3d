// A source-only run is a baseline only for runs on the same data (dataset, domains, subset settings); otherwise
// the report says why none was picked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickBaselines, whyNoBaseline } from '../../src/understand/baseline-run.js';
import { diagnose } from '../../src/index.js';
import { FIXTURES } from '../helpers/shared.js';

const hp = (h: Record<string, string | number>) => ({ algorithm: 'dann' as const, hyperparameters: h });
const erm = (h: Record<string, string | number>) => ({ algorithm: 'erm' as const, hyperparameters: h });

test('another subset, fraction or missing subset setting: no baseline, and why', () => {
  const runs = [erm({ data: 'Office31', source: 'A', target: 'W', subset: '2' }), hp({ data: 'Office31', source: 'A', target: 'W', subset: '3', trade_off: 1 }), hp({ data: 'Office31', source: 'A', target: 'W', subset: '2', trade_off: 1 })];
  assert.deepEqual(pickBaselines(runs as never), [undefined, undefined, 0]);
  assert.equal(whyNoBaseline(runs[1] as never, [{ id: 'erm_run', ...runs[0] }] as never), "no source-only baseline picked: erm_run trained on other data (subset '3' vs '2'); give one with --baseline");
  assert.equal(whyNoBaseline(runs[2] as never, [{ id: 'erm_run', ...runs[0] }] as never), undefined);
  // a setting only one side has: nothing says the data matched
  assert.deepEqual(pickBaselines([erm({ data: 'D' }), hp({ data: 'D', percent: 0.1 })] as never), [undefined, undefined]);
});

test('diagnose: the source-only run of another subset is not the baseline, and the report says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-baseline-'));
  try {
    const src = join(FIXTURES, 'runs', 'label_shift');
    const name = readdirSync(src).find((f) => f.endsWith('.txt'))!;
    const log = readFileSync(join(src, name), 'utf8');
    // the same script twice: a source-only run on subset 1, an adapted one on subset 2
    const write = (sub: string, text: string) => {
      mkdirSync(join(dir, sub));
      writeFileSync(join(dir, sub, name), text);
    };
    assert.match(log, /^Namespace\(.*trade_off=1\.0?,/);
    write('erm_subset1', log.replace(/^Namespace\(/, "Namespace(subset='1', ").replace(/trade_off=1(\.0)?,/, 'trade_off=0.0,'));
    write('dann_subset2', log.replace(/^Namespace\(/, "Namespace(subset='2', "));
    const report = await diagnose([dir]);
    const dann = report.runs.find((r) => r.id.endsWith('dann_subset2'))!;
    assert.ok(!dann.findings.some((f) => f.ruleId === 'no-adaptation-gain' && /baseline/.test(f.message)), 'no comparison with the other subset');
    assert.ok(dann.notChecked.some((l) => /no source-only baseline picked: .*erm_subset1 trained on other data \(subset '2' vs '1'\)/.test(l)), dann.notChecked.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('short domain spellings (SHOT/SFDA --s/--t, DomainBed test_envs) take part in the task: another target is no baseline', () => {
  // SHOT's source stage trains on s=0 and prints t=1; a target stage adapting to t=2 (A->W) is another task
  const runs = [erm({ dset: 'office', s: 0, t: 1 }), hp({ dset: 'office', s: 0, t: 2, cls_par: 0.3 }), hp({ dset: 'office', s: 0, t: 1, cls_par: 0.3 })];
  assert.deepEqual(pickBaselines(runs as never), [undefined, undefined, 0]);
  assert.match(whyNoBaseline(runs[1] as never, [{ id: 'src_A', ...runs[0] }] as never) ?? '', /trained on other data \(t 2 vs 1\)/);
  assert.deepEqual(pickBaselines([erm({ dataset: 'PACS', test_envs: '[0]' }), hp({ dataset: 'PACS', test_envs: '[1]' })] as never), [undefined, undefined]);
});
