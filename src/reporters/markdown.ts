// Markdown for PR comments and CI job summaries: a table of runs, then each run's verdict, findings and fixes.
import { basename } from 'node:path';
import type { Report, RunReport } from '../report/schema.js';
import { pct, SEVERITY_GLYPH } from './style.js';
import { attemptsLine, checkpointWarnings, coverageLines, evaluationProblems, partialReadLine, headerFacts, locationOf, sortedFindings, verdictOf } from './run-headline.js';
import { triageTable } from '../sweep/triage-table.js';
import { renderTriageMarkdown } from '../sweep/render-triage.js';
import { mdCode, mdText } from '../output/markdown-safe.js';
import { replaySummaryLine, replayTable } from '../replay/table.js';

// every string that may come from a file goes through mdText (as text) or mdCode (as a code span)
const esc = mdText;

function runSection(run: RunReport): string {
  const out: string[] = [];
  const v = verdictOf(run);
  out.push(`### ${v.kind === 'not-judged' ? '❔' : v.severity === 'error' ? '❌' : v.severity === 'warn' ? '⚠️' : '✅'} ${mdCode(run.id)} — ${esc(v.text)}`, '');
  out.push(`${esc(headerFacts(run))}  `);
  const partial = partialReadLine(run, (f) => basename(f));
  if (partial) out.push(`⚠️ ${esc(partial)}  `);
  if (run.attempts?.length) out.push(`${esc(attemptsLine(run.attempts))}  `);
  for (const w of checkpointWarnings(run)) out.push(`⚠️ ${esc(`${w.file ? `${basename(w.file)}: ` : ''}${w.text}`)}  `);
  for (const e of evaluationProblems(run)) out.push(`${e.level === 'error' ? '❌' : '⚠️'} ${esc(e.text)}  `);
  const m = run.metrics;
  out.push(`source ${pct(m.finalSourceAcc)} · target ${pct(m.finalTargetAcc)}${m.bestTargetAcc !== undefined ? ` (best ${pct(m.bestTargetAcc)})` : ''}${m.finalDomainAcc !== undefined ? ` · domain acc ${pct(m.finalDomainAcc)}` : ''}`, '');
  if (run.crash) out.push(`> **${esc(run.crash.type)}**${run.crash.message.trim() ? `: ${esc(run.crash.message)}` : ''} (${mdCode(locationOf(run.crash, (f) => basename(f)))})`, '');
  const findings = sortedFindings(run);
  if (findings.length) {
    out.push('| | rule | finding | evidence |', '|---|---|---|---|');
    for (const f of findings) {
      const ev = f.evidence[0] ? mdCode(locationOf(f.evidence[0], (p) => basename(p)), true) : '';
      out.push(`| ${SEVERITY_GLYPH[f.severity]} | \`${f.ruleId}\` | ${esc(f.message)}${f.suppressed ? ' _(suppressed)_' : ''} | ${ev} |`);
    }
    out.push('');
  }
  const serious = run.findings.some((f) => f.severity !== 'info' && !f.suppressed);
  if (serious && run.causes.length) {
    out.push('**Likely causes**', '');
    for (const c of run.causes.slice(0, 3)) {
      out.push(`- **${c.id}** (${c.confidence.toFixed(2)}): ${esc(c.evidence.slice(0, 2).join('; '))}`);
      for (const fx of c.fixes) out.push(`  - try: ${esc(fx)}`);
      if (c.experiment) out.push(`  - to tell apart: ${esc(c.experiment)}`);
    }
    out.push('');
  }
  const cov = coverageLines(run);
  if (cov.missing.length) {
    for (const m of cov.missing) out.push(`- **missing** ${esc(m)}`);
    for (const f of cov.found) out.push(`- found ${esc(f)}`);
    if (cov.hint) out.push(`- map it: ${esc(cov.hint)}`);
    out.push('');
  }
  if (run.replay) {
    const [head, ...rows] = replayTable(run.replay);
    out.push('**Replay of candidate fixes**', '', `_${esc(run.replay.caveat)}_`, '');
    out.push(`| ${head!.join(' | ')} |`, `|${head!.map(() => '---').join('|')}|`);
    for (const r of rows) out.push(`| ${r.map(esc).join(' | ')} |`);
    out.push('', `<sub>${esc(replaySummaryLine(run.replay))}${run.replay.notes.length ? ` · ${esc(run.replay.notes.join(' · '))}` : ''}</sub>`, '');
  }
  if (run.checked.length) out.push(`<sub>checked: ${esc(run.checked.join(' · '))}</sub>  `);
  if (run.notChecked.length) out.push(`<sub>not checked: ${esc(run.notChecked.join(' · '))}</sub>`);
  return out.join('\n');
}

export function renderMarkdown(report: Report): string {
  return [...renderMarkdownChunks(report)].join('');
}

/** renderMarkdown in pieces (the table, then a section per run), for the CLI to write as they come (see renderTextChunks). */
export function* renderMarkdownChunks(report: Report): Generator<string> {
  yield '## dann-doctor\n\n';
  if (report.runs.length > 1) yield `${renderTriageMarkdown(triageTable(report)).trimEnd()}\n\n`;
  for (const r of report.runs) yield `${runSection(r)}\n\n`;
  for (const e of report.errors) yield `> ❌ ${esc(e.message)}\n`;
}
