// A source-only run is a baseline only for runs on the same data (dataset, domains, subset settings); otherwise
// the report says why none was picked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickBaselines, whyNoBaseline, whyNoBaselines } from '../../src/understand/baseline-run.js';
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

test('runs that log no dataset or domain: a baseline only from the same experiment folder and logger', () => {
  // two projects passed in one command, neither logging its data: a Kedro-style source-only run must not become the
  // baseline of another project's run (it did: "+1.0 points over the source-only baseline" of an unrelated dataset)
  const at = (path: string, formats: string[], r: ReturnType<typeof hp> | ReturnType<typeof erm>) => ({ ...r, path, formats });
  const kedroErm = at('/p/kedro/data/06_models/source_only/lenet', ['summary'], erm({ lr: 0.08 }));
  const kedroDann = at('/p/kedro/data/06_models/dann/lenet', ['summary'], hp({ lr: 0.03, trade_off: 1.9 }));
  const coralUb = at('/p/coral/outputs/upper_bound', ['csv'], hp({ lr: 0.0001 }));
  const siblingCsv = at('/p/kedro/data/06_models/dann/lenet', ['csv'], hp({ lr: 0.03 }));
  assert.deepEqual(pickBaselines([kedroErm, kedroDann, coralUb, siblingCsv] as never), [undefined, 0, undefined, undefined]);
  assert.match(whyNoBaseline(coralUb as never, [{ id: 'kedro_erm', ...kedroErm }] as never) ?? '', /neither this run nor kedro_erm logs its dataset or domains, and kedro_erm is in another experiment folder/);
  assert.equal(whyNoBaseline(kedroDann as never, [{ id: 'kedro_erm', ...kedroErm }] as never), undefined);
  // a run that states its own source-only result (a results summary's "before") misses nothing: no "why" line
  const stated = { ...coralUb, inRunBaseline: { value: 89.71, from: 'target_acc_before' } };
  assert.deepEqual(whyNoBaselines([kedroErm, stated] as never, [{ id: 'kedro_erm', ...kedroErm }] as never), [undefined, undefined]);
  assert.match(whyNoBaselines([kedroErm, coralUb] as never, [{ id: 'kedro_erm', ...kedroErm }] as never)[1] ?? '', /another experiment folder/);
  // a run that does log its data is matched on the data, wherever it sits
  assert.deepEqual(pickBaselines([at('/a/x/y/erm', ['tllib'], erm({ data: 'D' })), at('/b/dann', ['tllib'], hp({ data: 'D' }))] as never), [undefined, 0]);
});
