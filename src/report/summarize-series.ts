// Summaries of a series for the report: counts, first/last/min/max, non-finite count and per-epoch means.
import type { Series } from '../model/types.js';
import type { SeriesSummary } from '../engine/types.js';

/**
 * Per-epoch means. tllib meters carry a running average that resets each epoch, so the last `avg` of an epoch IS
 * that epoch's mean over all its batches (more faithful than averaging the few printed batch values). Without `avg`,
 * the printed values of the epoch are averaged. Points without an epoch use itersPerEpoch when known.
 * Cost: O(points).
 */
export function epochMeans(s: Series, itersPerEpoch?: number): { epoch: number; mean: number }[] {
  if (s.granularity === 'epoch') {
    return s.points.map((p) => ({ epoch: p.epoch ?? p.step, mean: p.value }));
  }
  const byEpoch = new Map<number, { lastAvg?: number; sum: number; n: number }>();
  for (const p of s.points) {
    const e = p.epoch ?? (itersPerEpoch ? Math.floor(p.step / itersPerEpoch) : undefined);
    if (e === undefined) continue;
    const acc = byEpoch.get(e) ?? { sum: 0, n: 0 };
    if (p.avg !== undefined) acc.lastAvg = p.avg;
    acc.sum += p.value;
    acc.n++;
    byEpoch.set(e, acc);
  }
  return [...byEpoch.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, a]) => ({ epoch, mean: a.lastAvg ?? a.sum / a.n }));
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
    points: s.points.length,
    first: s.points[0]?.value ?? null,
    last: s.points.at(-1)?.value ?? null,
    min,
    max,
    nonFinite,
    epochMeans: epochMeans(s, itersPerEpoch),
  };
}
