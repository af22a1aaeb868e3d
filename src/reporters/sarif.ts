// SARIF 2.1.0 for code scanning: rules from each rule's meta, results pointing at log file lines.
import { relative, sep } from 'node:path';
import { mdText } from '../output/markdown-safe.js';
import type { RuleMeta } from '../engine/types.js';
import type { Report, Severity } from '../report/schema.js';
import { checkpointWarnings, runVerdictOf } from './run-headline.js';

/** The pseudo-rule a not-judged run is reported under. */
export const NOT_JUDGED_RULE = 'not-judged';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warn: 'warning', info: 'note' };

export interface SarifOptions {
  /** artifact URIs are made relative to this directory (the repository root in CI) */
  baseDir: string;
  toolVersion: string;
}

/**
 * A relative (or file://) URI for a path. Only the platform separator becomes '/': on POSIX a backslash is part of a
 * name and is kept (as %5C). encodeURI leaves '?' and '#', which would start a query or fragment: encoded too.
 */
export function uriOf(file: string, baseDir: string): string {
  const rel = sep === '/' ? relative(baseDir, file) : relative(baseDir, file).split(sep).join('/');
  return encodeURI(rel.startsWith('..') ? `file://${file}` : rel).replace(/\?/g, '%3F').replace(/#/g, '%23');
}

export function renderSarif(report: Report, rules: RuleMeta[], opts: SarifOptions): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.runs.flatMap((run) =>
    run.findings.map((f) => {
      const locs = f.evidence
        .filter((e) => e.file)
        .slice(0, 5)
        .map((e) => ({
          physicalLocation: {
            artifactLocation: { uri: uriOf(e.file, opts.baseDir) },
            ...(e.line !== undefined ? { region: { startLine: Math.max(1, e.line), ...(e.endLine !== undefined && e.endLine >= e.line ? { endLine: e.endLine } : {}) } } : {}),
          },
        }));
      return {
        ruleId: f.ruleId,
        ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
        level: LEVEL[f.severity],
        // viewers (GitHub code scanning) render Markdown in messages: file-derived text is escaped
        message: { text: `${mdText(run.id)}: ${mdText(f.message)}` },
        locations: locs.length ? locs : [{ physicalLocation: { artifactLocation: { uri: uriOf(run.path, opts.baseDir) } } }],
        partialFingerprints: { 'dannDoctor/v1': f.fingerprint },
        ...(f.suppressed ? { suppressions: [{ kind: 'external', justification: 'listed in dann-doctor.baseline.json' }] } : {}),
        properties: { runId: run.id, causes: f.causes },
      };
    }),
  );
  // A run dann-doctor could not judge is a result of its own: a review must not read its silence as "healthy"
  const notJudgedIndex = rules.length;
  for (const run of report.runs) {
    if (runVerdictOf(run) !== 'not-judged') continue;
    const cov = run.coverage;
    results.push({
      ruleId: NOT_JUDGED_RULE,
      ruleIndex: notJudgedIndex,
      level: 'warning',
      message: { text: `${run.id}: not judged: ${cov.missing.join('; ')}${cov.hint ? ` (${cov.hint})` : ''}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(run.path, opts.baseDir) } } }],
      partialFingerprints: { 'dannDoctor/v1': `not-judged:${run.id}` },
      properties: { runId: run.id, causes: [] },
    } as (typeof results)[number]);
  }
  // Checkpoint warnings (code references, truncated archives, skipped tensors) are about the input, not a rule's
  // finding: SARIF's place for them is the invocation's notifications, each located at its checkpoint.
  const notifications = [
    ...report.runs.flatMap((run) => checkpointWarnings(run).map((w) => ({
      level: 'warning' as const,
      message: { text: `${mdText(run.id)}: ${mdText(w.text)}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(w.file ?? run.path, opts.baseDir) } } }],
    }))),
    ...report.errors.map((e) => ({ level: 'error' as const, message: { text: mdText(e.message) } })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dann-doctor',
            version: opts.toolVersion,
            informationUri: 'https://www.npmjs.com/package/dann-doctor',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: `${r.description} Fixes: ${r.fixes.join('; ')}` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              help: { text: r.fixes.join('\n') || r.description },
              properties: { causes: r.causes.map((c) => c.id) },
            })).concat([{
              id: NOT_JUDGED_RULE,
              name: 'NotJudged',
              shortDescription: { text: 'The run could not be judged: the core signals (target accuracy, a domain signal for adversarial methods) were not found or not checked.' },
              fullDescription: { text: 'The run could not be judged. Fixes: map the series with --map NAME=ROLE or "roles" in dann-doctor.config.json; dann-doctor inspect RUN lists every series with its role.' },
              defaultConfiguration: { level: 'warning' },
              help: { text: 'dann-doctor inspect RUN; then --map NAME=target-acc (or domain-acc)' },
              properties: { causes: [] },
            }]),
          },
        },
        results,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
