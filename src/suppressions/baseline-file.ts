// The suppression baseline (dann-doctor.baseline.json): fingerprints of known findings, written once and applied on
// later runs so those findings are marked `suppressed` and stop failing the build while new ones still do.
import { basename } from 'node:path';
import type { Finding, Report, RunReport } from '../report/schema.js';
import { InputError } from '../ingest/input-error.js';
import { runVerdict } from '../report/run-verdict.js';

export const BASELINE_FILE_NAME = 'dann-doctor.baseline.json';
export const BASELINE_SCHEMA_VERSION = 1;

export interface BaselineEntry {
  /** the rule engine's fingerprint (ruleId + run id + messageId + first evidence) */
  fingerprint: string;
  /** machine-independent match key (see matchKey): survives a checkout in another folder */
  key: string;
  runId: string;
  ruleId: string;
  messageId: string;
  severity: string;
  /** the message when the baseline was written, for the person reviewing the file */
  message: string;
}

export interface BaselineFile {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  tool: 'dann-doctor';
  generatedAt: string;
  findings: BaselineEntry[];
}

/**
 * A key for a finding that does not depend on absolute paths: run id (already relative to the root the user gave),
 * rule, message id, and the first evidence's series, else its file's base name. A fingerprint hashed over an
 * absolute path would change between a laptop and a CI checkout; this does not.
 */
export function matchKey(runId: string, f: Pick<Finding, 'ruleId' | 'messageId' | 'evidence'>): string {
  const ev = f.evidence[0];
  const where = ev?.series ?? (ev?.file ? basename(ev.file) : '');
  return `${runId}|${f.ruleId}|${f.messageId}|${where}`;
}

/** The baseline for every finding in the report (suppressed ones included, so rewriting keeps them). Sorted, so diffs stay small. */
export function writeBaseline(report: Report, now: Date = new Date()): BaselineFile {
  const findings: BaselineEntry[] = [];
  for (const run of report.runs) {
    for (const f of run.findings) {
      findings.push({
        fingerprint: f.fingerprint, key: matchKey(run.id, f), runId: run.id, ruleId: f.ruleId,
        messageId: f.messageId, severity: f.severity, message: f.message,
      });
    }
  }
  findings.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
  return { schemaVersion: BASELINE_SCHEMA_VERSION, tool: 'dann-doctor', generatedAt: now.toISOString(), findings };
}

/** The file text written by `--write-baseline` (stable 2-space JSON with a trailing newline). */
export function baselineText(report: Report, now?: Date): string {
  return `${JSON.stringify(writeBaseline(report, now), null, 2)}\n`;
}

/** Validates parsed JSON as a baseline file; errors name the file and what is wrong. */
export function parseBaseline(json: string | unknown, file = BASELINE_FILE_NAME): BaselineFile {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      throw new InputError(file, `not valid JSON (${(err as Error).message})`, m ? { offset: Number(m[1]) } : {});
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError(file, 'a baseline file must be a JSON object with a "findings" array');
  const d = data as Record<string, unknown>;
  if (d.schemaVersion !== BASELINE_SCHEMA_VERSION) throw new InputError(file, `unsupported baseline schemaVersion ${JSON.stringify(d.schemaVersion)} (this dann-doctor reads ${BASELINE_SCHEMA_VERSION})`);
  if (!Array.isArray(d.findings)) throw new InputError(file, '"findings" must be an array');
  const findings: BaselineEntry[] = d.findings.map((e, i) => {
    if (typeof e !== 'object' || e === null) throw new InputError(file, `findings[${i}] is not an object`);
    const r = e as Record<string, unknown>;
    if (typeof r.fingerprint !== 'string' && typeof r.key !== 'string') throw new InputError(file, `findings[${i}] has neither "fingerprint" nor "key"`);
    const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');
    return { fingerprint: s('fingerprint'), key: s('key'), runId: s('runId'), ruleId: s('ruleId'), messageId: s('messageId'), severity: s('severity'), message: s('message') };
  });
  return { schemaVersion: BASELINE_SCHEMA_VERSION, tool: 'dann-doctor', generatedAt: typeof d.generatedAt === 'string' ? d.generatedAt : '', findings };
}

export interface AppliedBaseline {
  /** a copy of the report with matched findings marked `suppressed: true` */
  report: Report;
  suppressed: number;
  /** baseline entries no current finding matched (fixed, or the run is gone): candidates to prune */
  stale: BaselineEntry[];
}

/**
 * Marks findings listed in the baseline as suppressed (matched by fingerprint, else by the path-independent key).
 * Pure: returns a new report; the input is not changed. Cost O(findings + entries).
 */
export function applyBaseline(report: Report, baseline: BaselineFile | string, file?: string): AppliedBaseline {
  const b = typeof baseline === 'string' ? parseBaseline(baseline, file) : baseline;
  const byFp = new Map<string, BaselineEntry>();
  const byKey = new Map<string, BaselineEntry>();
  for (const e of b.findings) {
    if (e.fingerprint) byFp.set(e.fingerprint, e);
    if (e.key) byKey.set(e.key, e);
  }
  const used = new Set<BaselineEntry>();
  let suppressed = 0;
  const runs: RunReport[] = report.runs.map((run) => {
    const findings = run.findings.map((f) => {
      const hit = (f.fingerprint && byFp.get(f.fingerprint)) || byKey.get(matchKey(run.id, f));
      if (!hit) return f;
      used.add(hit);
      suppressed++;
      return { ...f, suppressed: true };
    });
    // suppressed findings no longer make "problems": the verdict follows what is left
    return { ...run, findings, ...(run.coverage ? { verdict: runVerdict(findings, run.coverage) } : {}) };
  });
  return { report: { ...report, runs }, suppressed, stale: b.findings.filter((e) => !used.has(e)) };
}
