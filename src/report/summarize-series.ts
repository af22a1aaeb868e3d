// Summaries of a series for the report: counts, first/last/min/max, non-finite count and per-epoch means.
import type { Series } from '../model/types.js';
import { epochMeanValues } from '../signals/epoch-means.js';
import type { SeriesSummary } from './schema.js';

/** Per-epoch means as the report shows them: the same numbers the rules judge (src/signals/epoch-means.ts). */
export function epochMeans(s: Series, itersPerEpoch?: number): { epoch: number; mean: number }[] {
  return epochMeanValues(s, itersPerEpoch);
}

export function summarizeSeries(s: Series, itersPerEpoch?: number): SeriesSummary {
  let min: number | null = null;
  let max: number | null = null;
  let nonFinite = 0;
  for (const p of s.points) {
    if (!Number.isFinite(p.value)) {
      nonFinite++;
      continue;
    }
    if (min === null || p.value < min) min = p.value;
    if (max === null || p.value > max) max = p.value;
  }
  return {
    key: s.key,
    rawName: s.rawName,
    unit: s.unit,
    ...(s.role ? { role: s.role } : {}),
    points: s.points.length,
    first: s.points[0]?.value ?? null,
    last: s.points.at(-1)?.value ?? null,
    min,
    max,
    nonFinite,
    epochMeans: epochMeans(s, itersPerEpoch),
  };
}
