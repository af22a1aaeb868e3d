// The short version of `npm run fuzz`: mutants of real files through every reader; 0 crashes and 0 hangs allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz, formatFuzzTable } from '../../bench/fuzz/run-fuzz.js';

/** Enough to catch a regression in every reader without slowing the suite (the full run uses 10,000 per reader). */
const CASES_PER_READER = 60;

test(`every reader survives ${CASES_PER_READER} mutated real files: parsed or rejected with a message, never a crash or hang`, async () => {
  const stats = await runFuzz(CASES_PER_READER, 7);
  const table = formatFuzzTable(stats).join('\n');
  for (const s of stats) {
    assert.ok(s.cases > 0 || s.examples[0]?.includes('skipped'), `${s.target}: no cases ran\n${table}`);
    assert.equal(s.crashes, 0, `${s.target} crashed\n${table}`);
    assert.equal(s.hangs, 0, `${s.target} hung\n${table}`);
  }
  // the fuzzer reaches both outcomes overall: it is not just replaying valid files
  assert.ok(stats.some((s) => s.rejected > 0) && stats.some((s) => s.parsed > 0), table);
});
