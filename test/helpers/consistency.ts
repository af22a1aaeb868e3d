// Self-consistency of a report: every checked sentence's numbers (RunReport.checks) and the numbers of the findings
// about curves must agree with the series they name, as the report itself shows them (series[].epochMeans). The
// checks here are written independently of src/signals (plain means, medians and window maxima), so a sentence
// that its own data contradicts fails even if the rule code and the sentence code share a bug.
import type { RunReport, CheckedEntry, Finding } from '../../src/report/schema.js';

export interface ConsistencyResult {
  /** problems found, one line each */
  problems: string[];
  /** numbers compared against a series (so a caller can assert the test actually looked at something) */
  compared: number;
}

const TOL = 0.051; // sentences print one decimal; structured values are unrounded, series means too

function curveOf(r: RunReport, key: string): { epoch: number; mean: number }[] | undefined {
  if (key === 'evaluations') {
    const m = new Map<number, number>();
    for (const e of r.evaluations) if (e.phase === 'val' && e.domain === 'target' && e.epoch !== undefined && e.acc1 !== undefined) m.set(e.epoch, e.acc1);
    return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, mean]) => ({ epoch, mean }));
  }
  const s = r.series.find((x) => x.key === key);
  return s?.epochMeans.filter((e) => Number.isFinite(e.mean));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The highest level a curve held early: its first value alone, or any 3-epoch window mean. */
function heldPeak(v: number[]): number {
  let best = v[0];
  for (let i = 0; i + 3 <= v.length; i++) best = Math.max(best, mean(v.slice(i, i + 3)));
  return best;
}

function checkValues(r: RunReport, c: CheckedEntry, out: ConsistencyResult): void {
  if (!c.series || !c.values) return;
  const curve = curveOf(r, c.series);
  if (!curve || curve.length === 0) return;
  const at = new Map(curve.map((e) => [e.epoch, e.mean]));
  for (const v of c.values) {
    const where = `${r.id}: "${c.text}": ${v.name}`;
    if (v.how === 'value' && v.epoch !== undefined && at.has(v.epoch)) {
      out.compared++;
      if (Math.abs(at.get(v.epoch)! - v.value) > TOL) out.problems.push(`${where} = ${v.value} but ${c.series} at epoch ${v.epoch} is ${at.get(v.epoch)}`);
    }
    if ((v.how === 'median' || v.how === 'mean') && v.fromEpoch !== undefined && v.toEpoch !== undefined) {
      const xs = curve.filter((e) => e.epoch >= v.fromEpoch! && e.epoch <= v.toEpoch!).map((e) => e.mean);
      if (xs.length === 0) continue;
      out.compared++;
      const want = v.how === 'median' ? median(xs) : mean(xs);
      if (Math.abs(want - v.value) > TOL) out.problems.push(`${where} = ${v.value} but the ${v.how} of ${c.series} over epochs ${v.fromEpoch}..${v.toEpoch} is ${want}`);
    }
    if (v.how === 'smoothed' && v.epoch !== undefined) {
      // the 3-point window around the epoch, by position: epochs need not be consecutive (DomainBed checkpoints
      // every ~7 epochs), so a window of +-3 epochs could hold a single value
      const i = curve.findIndex((e) => e.epoch >= v.epoch!);
      const at0 = i < 0 ? curve.length - 1 : i;
      const near = curve.filter((e, j) => Math.abs(e.epoch - v.epoch!) <= 3 || Math.abs(j - at0) <= 2).map((e) => e.mean);
      if (near.length === 0) continue;
      out.compared++;
      if (v.value < Math.min(...near) - TOL || v.value > Math.max(...near) + TOL) out.problems.push(`${where} = ${v.value} (smoothed) lies outside ${c.series}'s values around epoch ${v.epoch} (${Math.min(...near)}..${Math.max(...near)})`);
    }
  }
}

function checkClaim(r: RunReport, c: CheckedEntry, out: ConsistencyResult): void {
  const curve = c.series ? curveOf(r, c.series) : undefined;
  if (c.claim === 'target-not-degrading' && curve && curve.length >= 2 && c.limit !== undefined) {
    const v = curve.map((e) => e.mean);
    const end = mean(v.slice(-Math.min(3, v.length)));
    const peak = v.length >= 3 ? heldPeak(v) : Math.max(...v);
    out.compared++;
    // "did not degrade" must not stand next to an end far below a level the curve held (twice the rule's bound)
    if (peak - end > 2 * c.limit) out.problems.push(`${r.id}: "${c.text}" but ${c.series} held ${peak.toFixed(1)} and ends at ${end.toFixed(1)} (last 3 epochs)`);
  }
  if (c.claim === 'domain-settled' && curve && c.limit !== undefined) {
    const v = c.values?.[0];
    if (v?.fromEpoch !== undefined && v.toEpoch !== undefined) {
      const xs = curve.filter((e) => e.epoch >= v.fromEpoch! && e.epoch <= v.toEpoch!).map((e) => e.mean);
      if (xs.length) {
        out.compared++;
        if (Math.max(...xs) - Math.min(...xs) > c.limit + 1e-9) out.problems.push(`${r.id}: "${c.text}" but ${c.series} spans ${Math.min(...xs)}..${Math.max(...xs)} over those epochs`);
      }
    }
  }
  if (c.claim === 'losses-finite') {
    for (const v of c.values ?? []) {
      const s = r.series.find((x) => x.key === v.name);
      if (!s) continue;
      out.compared++;
      if (s.nonFinite > 0) out.problems.push(`${r.id}: "${c.text}" but ${v.name} has ${s.nonFinite} non-finite values`);
    }
  }
}

const num = (x: string | number | undefined) => (typeof x === 'number' ? x : x === undefined ? NaN : Number(String(x).replace(/[^0-9.eE+-]/g, '')));

function checkFinding(r: RunReport, f: Finding, out: ConsistencyResult): void {
  const ev = f.evidence[0];
  if (!ev?.series) return;
  const curve = curveOf(r, ev.series);
  if (!curve || curve.length < 3) return;
  if (f.ruleId === 'target-acc-degrading') {
    const end = num(f.data.end);
    const peak = num(f.data.peak);
    const k = num(f.data.k);
    const tail = curve.slice(-k).map((e) => e.mean);
    out.compared += 2;
    if (Math.abs(median(tail) - end) > TOL) out.problems.push(`${r.id}: degrading says end ${end} but the median of the last ${k} epochs is ${median(tail)}`);
    // "fell" needs an earlier level well above the end: a held peak (first epoch or a 3-epoch window) at least the drop
    const held = heldPeak(curve.map((e) => e.mean));
    if (!(peak > end) || held - end < 0.5 * (peak - end)) out.problems.push(`${r.id}: degrading says ${peak} -> ${end} but the curve never held a level above ${held.toFixed(1)}`);
  }
  if (f.ruleId === 'oscillation' && f.messageId === 'target') {
    const from = num(f.data.from);
    const to = num(f.data.to);
    const xs = curve.filter((e) => e.epoch >= from && e.epoch <= to).map((e) => e.mean);
    const d = xs.slice(1).map((x, i) => x - xs[i]).filter((x) => x !== 0);
    let rev = 0;
    for (let i = 0; i + 1 < d.length; i++) if (Math.sign(d[i]) !== Math.sign(d[i + 1])) rev++;
    const bestEpoch = num(f.data.bestEpoch);
    const best = num(f.data.best);
    out.compared += 2;
    if (d.length < 2 || rev / (d.length - 1) < 0.5) out.problems.push(`${r.id}: oscillating, but ${ev.series} reverses in only ${rev} of ${d.length - 1} steps over epochs ${from}..${to}`);
    const at = curve.find((e) => e.epoch === bestEpoch);
    if (!at || Math.abs(at.mean - best) > TOL || Math.max(...curve.map((e) => e.mean)) - best > TOL) out.problems.push(`${r.id}: oscillation names best ${best} at epoch ${bestEpoch}, which is not the curve's best`);
  }
}

/** All consistency problems of one run's report. */
export function reportConsistency(r: RunReport): ConsistencyResult {
  const out: ConsistencyResult = { problems: [], compared: 0 };
  for (const c of r.checks ?? []) {
    checkValues(r, c, out);
    checkClaim(r, c, out);
  }
  for (const f of r.findings) checkFinding(r, f, out);
  // checked and findings must not talk past each other
  if (r.findings.some((f) => f.ruleId === 'target-acc-degrading') && (r.checks ?? []).some((c) => c.claim === 'target-not-degrading')) {
    out.problems.push(`${r.id}: both a target-acc-degrading finding and a "did not degrade" sentence`);
  }
  if ((r.checks ?? []).length !== r.checked.length) out.problems.push(`${r.id}: checks and checked differ in length`);
  return out;
}
