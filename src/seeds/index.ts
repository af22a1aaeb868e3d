// Seed-aware verdicts: group runs by config, mean and CI over seeds, tests that say whether a gap is seed noise.
export * from './student-t.js';
export * from './seed-stats.js';
export * from './group-by-seed.js';
