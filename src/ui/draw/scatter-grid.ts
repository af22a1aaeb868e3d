// Bins a 2-D point cloud into a character grid (one cell per terminal column/row) for the t-SNE pane.
// Local until src/plot/terminal-scatter.ts lands. A glyph per cell (class digit, or source/target/both) keeps
// the picture readable without colour, which NO_COLOR and pipes require.

export const EMPTY = -1;
/** Cell where both domains fall: the sign of good alignment, so it gets its own glyph. */
export const MIXED = -2;

export interface ScatterGrid {
  width: number;
  height: number;
  /** row-major, height*width: a class/domain id, EMPTY or MIXED */
  cells: Int32Array;
  /** points per cell, same layout */
  counts: Int32Array;
}

/**
 * Bin interleaved (x,y) points into width×height cells. In 'majority' mode a cell takes its most frequent key;
 * in 'mixed' mode (domains) a cell with more than one key becomes MIXED. Non-finite points are skipped (t-SNE
 * output, not a training metric). Cost O(n + width·height·k). y grows upwards.
 */
export function scatterGrid(points: Float32Array | Float64Array, keys: ArrayLike<number>, width: number, height: number, mode: 'majority' | 'mixed'): ScatterGrid {
  const cells = new Int32Array(Math.max(0, width * height)).fill(EMPTY);
  const counts = new Int32Array(Math.max(0, width * height));
  const n = Math.min(points.length >> 1, keys.length);
  if (width <= 0 || height <= 0 || n === 0) return { width, height, cells, counts };
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i], y = points[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (minX === Infinity) return { width, height, cells, counts };
  const sx = maxX > minX ? (width - 1) / (maxX - minX) : 0;
  const sy = maxY > minY ? (height - 1) / (maxY - minY) : 0;
  const tallies = new Map<number, Map<number, number>>();
  for (let i = 0; i < n; i++) {
    const x = points[2 * i], y = points[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const cx = Math.round((x - minX) * sx);
    const cy = height - 1 - Math.round((y - minY) * sy);
    const idx = cy * width + cx;
    counts[idx]++;
    let t = tallies.get(idx);
    if (!t) tallies.set(idx, (t = new Map()));
    t.set(keys[i], (t.get(keys[i]) ?? 0) + 1);
  }
  for (const [idx, t] of tallies) {
    if (mode === 'mixed' && t.size > 1) {
      cells[idx] = MIXED;
      continue;
    }
    let best = EMPTY, bestN = -1;
    for (const [k, c] of t) if (c > bestN || (c === bestN && k < best)) { best = k; bestN = c; }
    cells[idx] = best;
  }
  return { width, height, cells, counts };
}
