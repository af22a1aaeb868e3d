// Self-consistency over every run in ../shared (runs, real-logs, real-artifacts): no checked sentence or curve
// finding may state numbers that the series it names contradicts (test/helpers/consistency.ts has the checks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedCorpusFolders } from '../helpers/shared.js';
import { diagnose } from '../../src/index.js';
import { reportConsistency } from '../helpers/consistency.js';

let compared = 0;
for (const { group, entry, path } of sharedCorpusFolders()) {
  test(`self-consistent: ${group}/${entry}`, async () => {
    const rep = await diagnose([path]);
    for (const r of rep.runs) {
      const res = reportConsistency(r);
      compared += res.compared;
      assert.deepEqual(res.problems, []);
    }
  });
}

test('the consistency checks looked at numbers (not vacuous)', () => {
  // by hand: the six tllib runs alone state ~5 checkable numbers each (target peak/end, domain settled, losses)
  assert.ok(compared >= 40, `only ${compared} numbers compared`);
});
