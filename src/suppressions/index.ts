// Baseline/suppression file for review pipelines: write known findings once, suppress them on later runs.
export * from './baseline-file.js';
export * from './baseline-io.js';
