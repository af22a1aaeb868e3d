// Names in the order a person numbers them: copy1, copy2, ..., copy10 (not copy1, copy10, copy11, copy2).

const CHUNK = /(\d+)|(\D+)/g;

/**
 * Compares digit runs by value and everything else by code unit (as before: byte order, case-sensitive), so the
 * order stays deterministic on every platform and locale. Equal values with different padding (seed01 / seed1)
 * fall back to plain order.
 */
export function naturalCompare(a: string, b: string): number {
  const xa = a.match(CHUNK) ?? [];
  const xb = b.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const pa = xa[i];
    const pb = xb[i];
    if (pa === pb) continue;
    const da = /^\d/.test(pa);
    const db = /^\d/.test(pb);
    if (da && db) {
      const diff = Number(pa) - Number(pb);
      if (diff !== 0 && Number.isFinite(diff)) return diff;
      if (pa.length !== pb.length) return pa.length - pb.length;
    }
    return pa < pb ? -1 : 1;
  }
  if (xa.length !== xb.length) return xa.length - xb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
