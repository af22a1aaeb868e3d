// Plain-text report for terminals and logs: verdict first, evidence, then what to change (docs/ux.md).
import { basename } from 'node:path';
import type { Report, RunReport, Evidence } from '../report/schema.js';
import { paint, paintSeverity, pct, SEVERITY_GLYPH } from './style.js';
import { verdictGlyph } from '../report/views.js';
import { attemptsLine, checkpointWarnings, coverageLines, evaluationProblems, partialReadLine, headerFacts, locationOf, sortedFindings, verdictOf } from './run-headline.js';
import { triageTable } from '../sweep/triage-table.js';
import { renderTriageText, renderSeedGroupsText } from '../sweep/render-triage.js';
import { groupBySeed } from '../seeds/group-by-seed.js';
import { showControlsDeep } from '../output/terminal-safe.js';
import { alignTable, replaySummaryLine, replayTable } from '../replay/table.js';
import { shownEpoch, type EpochBase } from '../model/epoch-numbering.js';

export interface TextOptions {
  color: boolean;
  /** show info-level findings (default true) */
  showInfo?: boolean;
  /** list ingest notes (default: only a count) */
  verboseNotes?: boolean;
}

function evidenceLine(e: Evidence, base: EpochBase | undefined): string {
  const where = locationOf(e, (p) => basename(p));
  const span = e.series ? ` (${e.series}${e.from !== undefined ? ` ${e.unit === 'epoch' ? `epochs ${shownEpoch(e.from, base)}..${shownEpoch(e.to ?? e.from, base)}` : `steps ${e.from}..${e.to ?? e.from}`}` : ''})` : '';
  const obs = e.observed !== null && e.observed !== undefined && e.observed !== '' ? ` observed ${e.observed}` : '';
  const thr = e.threshold !== undefined ? ` vs ${e.threshold}` : '';
  return `${where}${span}${obs}${thr}${e.note ? ` — ${e.note}` : ''}`;
}

/** "quick (plain typed arrays; ...), features.npz target 300 rows, 0.02 s" */
function evalSummary(ev: NonNullable<RunReport['eval']>): string {
  const how = ev.backend === 'typed-arrays' ? ev.backendReason : `${ev.backend} backend (${ev.backendReason})`;
  const rows = ev.target?.n;
  const secs = ev.seconds < 0.1 ? ev.seconds.toFixed(2) : ev.seconds.toFixed(1);
  return `${ev.depth ? `${ev.depth}, ` : ''}${how}${rows !== undefined ? `, ${rows} target rows` : ''}, ${secs} s${ev.depth === 'quick' ? ' (--eval deep for the discriminator counterfactual)' : ''}`;
}

/** Where the evaluated features came from when dann-doctor re-ran the checkpoint (--data): said beside the evaluation. */
function rerunSummary(run: RunReport): string {
  const r = run.features?.rerun;
  if (!r) return '';
  return ` · features from re-running ${basename(r.checkpoint)} (${r.architecture}) on ${r.rows.source} source + ${r.rows.target} target images${r.cached ? ' (cached)' : `, ${Math.round(r.imagesPerSecond)} images/s`}`;
}

export function renderRunText(raw: RunReport, opts: TextOptions): string {
  return runText(showControlsDeep(raw), opts); // every string from a file shown without its control characters
}

/** renderRunText of a run whose strings went through showControlsDeep already (renderText's runs). */
function runText(run: RunReport, opts: TextOptions): string {
  const p = paint(opts.color);
  const out: string[] = [];
  const v = verdictOf(run);
  const mark = v.severity === 'ok' ? p.green(verdictGlyph(v)) : paintSeverity(p, v.severity, verdictGlyph(v));
  out.push(`${mark} ${p.bold(run.id)}  ${v.text}`);
  out.push(`  ${headerFacts(run)}`);
  const partial = partialReadLine(run, (f) => basename(f));
  if (partial) out.push(`  ${p.yellow(`⚠ ${partial}`)}`);
  for (const e of evaluationProblems(run)) out.push(`  ${e.level === 'error' ? p.red(`✖ ${e.text}`) : p.yellow(`⚠ ${e.text}`)}`);
  if (run.crash) out.push(`  ${p.red(run.crash.message.trim() ? `${run.crash.type}: ${run.crash.message}` : run.crash.type)}  ${p.dim(locationOf(run.crash, (f) => basename(f)))}`);
  const m = run.metrics;
  const best = m.bestTargetAcc !== undefined ? ` (best ${pct(m.bestTargetAcc)}${m.bestEpoch !== undefined ? ` at epoch ${shownEpoch(m.bestEpoch, run.epochBase)}` : ''})` : '';
  const test = m.testAcc !== undefined ? `  test ${pct(m.testAcc)}` : '';
  const dom = m.finalDomainAcc !== undefined ? `  domain acc ${pct(m.finalDomainAcc)} (last epoch)` : '';
  out.push(`  source ${pct(m.finalSourceAcc)}  target ${pct(m.finalTargetAcc)}${best}${test}${dom}`);
  if (run.eval) out.push(p.dim(`  evaluation: ${evalSummary(run.eval)}${rerunSummary(run)}`));
  if (run.earlierAttempts.length) out.push(p.dim(`  earlier attempts: ${run.earlierAttempts.map((f) => basename(f)).join(', ')}`));
  if (run.attempts?.length) out.push(p.dim(`  ${attemptsLine(run.attempts)}`));

  const findings = sortedFindings(run).filter((f) => opts.showInfo !== false || f.severity !== 'info');
  if (findings.length) out.push('');
  const width = Math.max(...findings.map((f) => f.ruleId.length), 10);
  for (const f of findings) {
    const badge = paintSeverity(p, f.severity, SEVERITY_GLYPH[f.severity]);
    const sup = f.suppressed ? p.dim(' (suppressed by baseline)') : '';
    out.push(`  ${badge} ${f.ruleId.padEnd(width)}  ${f.message}${sup}`);
    for (const e of f.evidence.slice(0, 3)) out.push(p.dim(`      evidence  ${evidenceLine(e, run.epochBase)}`));
  }
  const serious = run.findings.some((f) => f.severity !== 'info' && !f.suppressed);
  if (run.causes.length && serious) {
    out.push('');
    run.causes.slice(0, 3).forEach((c, i) => {
      const label = i === 0 ? 'likely cause' : 'also possible';
      out.push(`  ${p.bold(label.padEnd(13))} ${c.id}  (${c.confidence.toFixed(2)})`);
      for (const ev of c.evidence.slice(0, 3)) out.push(p.dim(`      ${ev}`));
      if (i === 0) {
        c.fixes.forEach((fx, j) => out.push(`  ${(j === 0 ? 'try' : '').padEnd(13)} ${fx}`));
        if (c.experiment) out.push(`  ${'to tell apart'.padEnd(13)} ${c.experiment}`);
      }
    });
  }
  const cov = coverageLines(run);
  if (cov.missing.length) {
    out.push('');
    for (const m of cov.missing) out.push(`  ${p.yellow('missing'.padEnd(13))} ${m}`);
    for (const f of cov.found) out.push(`  ${'found'.padEnd(13)} ${f}`);
    if (cov.hint) out.push(`  ${'map it'.padEnd(13)} ${cov.hint}`);
  }
  if (run.replay) {
    out.push('', `  ${p.bold('replay'.padEnd(13))} ${p.dim(run.replay.caveat)}`);
    for (const line of alignTable(replayTable(run.replay))) out.push(`  ${''.padEnd(13)} ${line}`);
    out.push(p.dim(`  ${''.padEnd(13)} ${replaySummaryLine(run.replay)}`));
    for (const n of run.replay.notes) out.push(p.dim(`  ${''.padEnd(13)} ${n}`));
    out.push('');
  }
  if (run.checked.length) out.push(`  ${p.green('also checked'.padEnd(13))} ${run.checked.join(' · ')}`);
  if (run.notChecked.length) out.push(`  ${p.dim('not checked'.padEnd(13))} ${p.dim(run.notChecked.join(' · '))}`);
  const warnNotes = run.notes.filter((n) => n.level === 'warn');
  // a checkpoint that tried to run code or was only partly read is shown whatever the verbosity
  for (const w of checkpointWarnings(run)) out.push(p.yellow(`  ⚠ ${w.file ? `${basename(w.file)}: ` : ''}${w.text}`));
  if (opts.verboseNotes) for (const n of run.notes) out.push(p.dim(`  note  ${n.file ? `${locationOf({ file: n.file, line: n.line }, (f) => basename(f))}: ` : ''}${n.message}`));
  else if (run.notes.length) out.push(p.dim(`  ${run.notes.length} ingest note${run.notes.length > 1 ? 's' : ''}${warnNotes.length ? ` (${warnNotes.length} warning${warnNotes.length > 1 ? 's' : ''})` : ''}; --verbose lists them`));
  return out.join('\n');
}

/**
 * Several runs: the triage table (worst first, varying hyperparameters as columns) and seed groups first, then the
 * details of the runs with problems (all runs with `allRuns`); a healthy run's row in the table is its answer.
 */
export function renderText(raw: Report, opts: TextOptions & { allRuns?: boolean }): string {
  return [...renderTextChunks(raw, opts)].join('');
}

/**
 * renderText in pieces (the table, the seed groups, each detailed run, ...), for the CLI to write as they come: a
 * sweep's text is never one string (V8 caps a string at 2^29 characters, ~250,000 detailed runs).
 */
export function* renderTextChunks(raw: Report, opts: TextOptions & { allRuns?: boolean }): Generator<string> {
  const report = showControlsDeep(raw);
  const p = paint(opts.color);
  const errors = report.errors.map((e) => (e.kind === 'empty' ? p.dim(`· ${e.message}`) : p.red(`✖ ${e.message}`)));
  if (report.runs.length <= 1) {
    yield [...report.runs.map((r) => runText(r, opts)), ...errors].join('\n\n') + '\n';
    return;
  }
  // input errors are listed once, at the end (the triage table would list them too)
  yield renderTriageText({ ...triageTable(report), errors: [] }, { color: opts.color }).trimEnd();
  const seeds = renderSeedGroupsText(groupBySeed(report.runs)).trimEnd();
  if (seeds) yield `\n\n${seeds}`;
  // a not-judged run is detailed too: what it lacks and how to map it is the answer
  let hidden = 0;
  for (const r of report.runs) {
    if (opts.allRuns || verdictOf(r).kind === 'problems' || verdictOf(r).kind === 'not-judged') yield `\n\n${runText(r, opts)}`;
    else hidden++;
  }
  if (hidden > 0) yield `\n\n${p.dim(`${hidden} run${hidden > 1 ? 's' : ''} without problems not detailed (--verbose shows every run)`)}`;
  for (const e of errors) yield `\n\n${e}`;
  yield '\n';
}

