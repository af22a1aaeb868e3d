// `npm run fuzz [-- CASES [reader...]]`: mutation fuzzing of every reader with a fixed seed (default 10,000 cases each).
import { runFuzz, formatFuzzTable } from './fuzz/run-fuzz.js';
import { runHostileMemory, formatHostileTable } from './fuzz/hostile-memory.js';

const cases = Number(process.argv[2] ?? 10_000);
const only = process.argv.slice(3);
const t0 = performance.now();
const stats = await runFuzz(cases, 20261127, only.length ? only : undefined);
for (const l of formatFuzzTable(stats)) console.log(l);
// issue 16's hostile families, each in a child process with its peak RSS checked
const hostile = only.length ? [] : runHostileMemory();
for (const l of formatHostileTable(hostile)) console.log(l);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.exitCode = stats.some((s) => s.crashes || s.hangs) || hostile.some((h) => !h.ok) ? 1 : 0;
