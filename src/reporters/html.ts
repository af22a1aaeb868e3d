// Self-contained HTML report (one file, inline CSS and SVG, no scripts, no network): summary, findings, causes, plots.
import { basename } from 'node:path';
import type { Report, RunReport, Finding, RankedCause } from '../report/schema.js';
import type { FeatureEmbedding } from '../tsne/embed-features.js';
import type { NamedPlot } from '../plot/build-plots.js';
import { buildPlots } from '../plot/build-plots.js';
import { perClassBarsSvg, perClassFromReport } from '../plot/per-class-bars-svg.js';
import { esc } from '../plot/svg.js';
import { attemptsLine, checkpointWarnings, coverageLines, evaluationProblems, partialReadLine, headerFacts, locationOf, sortedFindings, verdictOf } from './run-headline.js';
import { pct } from './style.js';
import { triageTable } from '../sweep/triage-table.js';
import { replaySummaryLine, replayTable } from '../replay/table.js';
import { shownEpoch, type EpochBase } from '../model/epoch-numbering.js';

export interface HtmlExtras {
  /** t-SNE per run id (drawn when `svgs` has no t-SNE for that run) */
  tsne?: Record<string, FeatureEmbedding>;
  /** ready plots per run id, e.g. from reportPlots(report) (full-resolution curves, t-SNE) */
  svgs?: Record<string, NamedPlot[]>;
}

/** Only inline styles and data: images may load: the page can reach nothing, whatever a run's strings contain. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { --fg:#1d2330; --muted:#5f6b7a; --line:#e3e7ee; --err:#c62828; --warn:#b26a00; --info:#1565c0; --ok:#2e7d32; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 'DejaVu Sans', Verdana, system-ui, sans-serif; color: var(--fg); background: #f6f7f9; }
header.top { background: #1d2330; color: #fff; padding: 14px 24px; }
header.top h1 { margin: 0; font-size: 20px; }
header.top .meta { color: #b8c0cc; font-size: 12px; }
main { max-width: 1120px; margin: 0 auto; padding: 16px 24px 48px; }
table.summary { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
table.summary th, table.summary td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); }
table.replay { border-collapse: collapse; background: #fff; border: 1px solid var(--line); font-size: 13px; }
table.replay th, table.replay td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
section.run { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 20px 0; padding: 4px 20px 16px; }
section.run h2 { font-size: 18px; margin: 14px 0 4px; }
.verdict { font-weight: bold; }
.verdict.problems { color: var(--err); } .verdict.healthy, .verdict.minor { color: var(--ok); } .verdict.not-judged { color: var(--warn, #b58900); }
.facts { color: var(--muted); font-size: 13px; }
.stats { display: flex; gap: 12px; flex-wrap: wrap; margin: 10px 0; }
.stat { border: 1px solid var(--line); border-radius: 4px; padding: 6px 12px; min-width: 120px; }
.stat .v { font-size: 20px; font-weight: bold; } .stat .k { color: var(--muted); font-size: 12px; }
.finding { border-left: 4px solid var(--info); padding: 6px 12px; margin: 8px 0; background: #fafbfc; }
.finding.error { border-color: var(--err); } .finding.warn { border-color: var(--warn); }
.finding .rule { font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; color: var(--muted); }
.finding.suppressed { opacity: .55; }
.sev { display: inline-block; min-width: 44px; font-size: 11px; font-weight: bold; text-transform: uppercase; }
.sev.error { color: var(--err); } .sev.warn { color: var(--warn); } .sev.info { color: var(--info); }
ul.evidence { margin: 4px 0 0; padding-left: 18px; color: var(--muted); font-size: 12px; }
.cause { margin: 10px 0; }
.cause .name { font-weight: bold; }
.conf-bar { background: #e9edf3; border-radius: 3px; height: 10px; width: 260px; display: inline-block; vertical-align: middle; margin: 0 8px; }
.conf-bar > span { display: block; height: 100%; border-radius: 3px; background: #5c6bc0; }
.fixes li { margin: 2px 0; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; }
.plots figure { margin: 0; max-width: 100%; }
.plots svg { max-width: 100%; height: auto; border: 1px solid var(--line); }
.small { color: var(--muted); font-size: 12px; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; }
`;

function runAnchor(r: RunReport, i: number): string {
  return `run-${i}-${r.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

function evidenceItem(e: Finding['evidence'][number], base: EpochBase | undefined): string {
  const where = esc(locationOf(e));
  const at = (n: number) => (e.unit === 'epoch' ? shownEpoch(n, base) : n);
  const range = e.from !== undefined ? ` ${e.unit ?? 'step'} ${at(e.from)}${e.to !== undefined && e.to !== e.from ? `–${at(e.to)}` : ''}` : '';
  const obs = e.observed !== null && e.observed !== undefined ? ` observed <b>${esc(String(e.observed))}</b>` : '';
  const thr = e.threshold !== undefined ? ` vs threshold ${esc(String(e.threshold))}` : '';
  return `<li><code>${where}</code>${e.series ? ` · <code>${esc(e.series)}</code>` : ''}${esc(range)}${obs}${thr}${e.note ? ` · ${esc(e.note)}` : ''}</li>`;
}

function findingHtml(f: Finding, base: EpochBase | undefined): string {
  return (
    `<div class="finding ${f.severity}${f.suppressed ? ' suppressed' : ''}" data-rule="${esc(f.ruleId)}">` +
    `<span class="sev ${f.severity}">${f.severity}</span> <span class="rule">${esc(f.ruleId)}</span>${f.suppressed ? ' <span class="small">(suppressed by baseline)</span>' : ''}` +
    `<div class="message">${esc(f.message)}</div>` +
    (f.evidence.length ? `<ul class="evidence">${f.evidence.map((e) => evidenceItem(e, base)).join('')}</ul>` : '') +
    '</div>'
  );
}

function causeHtml(c: RankedCause): string {
  const w = Math.round(Math.max(0, Math.min(1, c.confidence)) * 100);
  return (
    `<div class="cause" data-cause="${esc(c.id)}"><span class="name">${esc(c.id)}</span>` +
    `<span class="conf-bar" role="meter" aria-valuenow="${c.confidence.toFixed(2)}" aria-valuemin="0" aria-valuemax="1"><span style="width:${w}%"></span></span>` +
    `<span class="conf">${c.confidence.toFixed(2)}</span>` +
    (c.evidence.length ? `<ul class="evidence">${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : '') +
    (c.fixes.length ? `<ul class="fixes">${c.fixes.map((f) => `<li>try: ${esc(f)}</li>`).join('')}</ul>` : '') +
    (c.experiment ? `<div class="small">to tell apart: ${esc(c.experiment)}</div>` : '') +
    '</div>'
  );
}

function stat(k: string, v: string): string {
  return `<div class="stat"><div class="v">${esc(v)}</div><div class="k">${esc(k)}</div></div>`;
}

function figures(plots: NamedPlot[], cls: string): string {
  if (!plots.length) return '';
  return `<div class="plots ${cls}">${plots.map((p) => `<figure data-plot="${esc(p.name)}">${p.svg}</figure>`).join('')}</div>`;
}

function runHtml(r: RunReport, i: number, extras: HtmlExtras): string {
  const v = verdictOf(r);
  const m = r.metrics;
  const plots = extras.svgs?.[r.id] ?? buildPlots({ runId: r.id, report: r, embedding: extras.tsne?.[r.id] });
  const out: string[] = [`<section class="run" id="${runAnchor(r, i)}" data-run="${esc(r.id)}">`];
  out.push(`<h2>${esc(r.id)}</h2>`);
  out.push(`<div class="verdict ${v.kind}">${esc(v.text)}</div>`);
  out.push(`<div class="facts">${esc(headerFacts(r))} · <code>${esc(r.path)}</code></div>`);
  const partial = partialReadLine(r);
  if (partial) out.push(`<div class="finding warn">${esc(partial)}</div>`);
  if (r.attempts?.length) out.push(`<div class="facts attempts">${esc(attemptsLine(r.attempts))}</div>`);
  for (const w of checkpointWarnings(r)) out.push(`<div class="finding warn checkpoint-warning">${w.file ? `<code>${esc(basename(w.file))}</code>: ` : ''}${esc(w.text)}</div>`);
  const cov = coverageLines(r);
  if (cov.missing.length) {
    out.push(`<ul class="coverage">${cov.missing.map((m) => `<li><b>missing</b> ${esc(m)}</li>`).join('')}${cov.found.map((f) => `<li>found ${esc(f)}</li>`).join('')}${cov.hint ? `<li>map it: ${esc(cov.hint)}</li>` : ''}</ul>`);
  }
  for (const e of evaluationProblems(r)) out.push(`<div class="finding ${e.level}">${esc(e.text)}</div>`);
  out.push(
    `<div class="stats">${stat('source acc (final)', pct(m.finalSourceAcc))}${stat('target acc (final)', pct(m.finalTargetAcc))}` +
      `${m.bestTargetAcc !== undefined ? stat(`target acc (best${m.bestEpoch !== undefined ? `, epoch ${shownEpoch(m.bestEpoch, r.epochBase)}` : ''})`, pct(m.bestTargetAcc)) : ''}` +
      `${m.finalDomainAcc !== undefined ? stat('domain acc (final)', pct(m.finalDomainAcc)) : ''}</div>`,
  );
  if (r.crash) out.push(`<div class="finding error"><b>${esc(r.crash.type)}</b>${r.crash.message.trim() ? `: ${esc(r.crash.message)}` : ''} <code>${esc(locationOf(r.crash))}</code></div>`);
  const findings = sortedFindings(r);
  out.push(`<h3>Findings (${findings.length})</h3>`);
  out.push(findings.length ? `<div class="findings">${findings.map((f) => findingHtml(f, r.epochBase)).join('')}</div>` : '<p class="small">none</p>');
  if (r.causes.length) out.push(`<h3>Likely causes</h3><div class="causes">${r.causes.map(causeHtml).join('')}</div>`);
  const curves = plots.filter((p) => p.kind === 'curves' || p.kind === 'finding');
  if (curves.length) out.push(`<h3>Curves</h3>${figures(curves, 'curves')}`);
  const pc = perClassFromReport(r);
  if (pc) out.push(`<h3>Per-class accuracy</h3><div class="plots per-class"><figure>${perClassBarsSvg(pc)}</figure></div>`);
  const tsne = plots.filter((p) => p.kind === 'tsne-class' || p.kind === 'tsne-domain');
  if (tsne.length) out.push(`<h3>Features (t-SNE)</h3>${figures(tsne, 'tsne')}`);
  else if (r.features) out.push(`<p class="small">features at <code>${esc(r.features.path)}</code>: run with --plots (or pass reportPlots()) to embed them</p>`);
  if (r.replay) {
    const [head, ...rows] = replayTable(r.replay);
    out.push(`<h3>Replay of candidate fixes</h3><p class="small">${esc(r.replay.caveat)}</p>`);
    out.push(`<table class="replay"><thead><tr>${head!.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
    out.push(`<p class="small">${esc(replaySummaryLine(r.replay))}${r.replay.notes.map((n) => ` · ${esc(n)}`).join('')}</p>`);
  }
  if (r.checked.length) out.push(`<p class="small checked">checked: ${r.checked.map(esc).join(' · ')}</p>`);
  if (r.notChecked.length) out.push(`<p class="small not-checked">not checked: ${r.notChecked.map(esc).join(' · ')}</p>`);
  if (r.notes.length) out.push(`<details class="notes"><summary>${r.notes.length} note(s) from reading the files</summary><ul class="evidence">${r.notes.map((n) => `<li>${esc(n.level)}: ${esc(n.message)}${n.file ? ` <code>${esc(locationOf({ file: n.file, line: n.line }))}</code>` : ''}</li>`).join('')}</ul></details>`);
  out.push('</section>');
  return out.join('\n');
}

/**
 * Runs that get a section of their own (verdict, findings, causes, curves, t-SNE). A page is read by a person and
 * each section inlines its plots (100-500 KB of SVG): 50 sections keep a sweep's page to a few MB where 5,000 made
 * a 228 MB file that took 4 GB to build. Every run still has its row in the summary table.
 */
export const HTML_DETAILED_RUNS = 50;
/** Rows of the summary table (and of the unreadable-inputs list): ~0.5 KB each, so at most ~5 MB of table. */
export const HTML_TABLE_ROWS = 10_000;

export interface HtmlSelection {
  /** runs with a section, with their index in report.runs (anchors use it); worst first when cut */
  detailed: { run: RunReport; index: number }[];
  /** the summary table's rows, same order rule */
  rows: { run: RunReport; index: number }[];
  /** runs without a section, and without a table row */
  withoutDetails: number;
  withoutRow: number;
}

/**
 * What the page shows: every run in report order while there are at most `detailed` runs; beyond, the runs in
 * triage order (worst first, src/sweep/triage-table.ts) and only the first `detailed` of them in full.
 */
export function htmlSelection(report: Report, limits: { detailed?: number; rows?: number } = {}): HtmlSelection {
  const maxDetailed = limits.detailed ?? HTML_DETAILED_RUNS;
  const maxRows = limits.rows ?? HTML_TABLE_ROWS;
  let order = report.runs.map((run, index) => ({ run, index }));
  if (order.length > maxDetailed) {
    // triage rows carry the run id; ids repeat only in odd inputs, so each id maps to its runs in report order
    const byId = new Map<string, number[]>();
    report.runs.forEach((r, i) => byId.set(r.id, [...(byId.get(r.id) ?? []), i]));
    order = triageTable(report).rows.map((row) => byId.get(row.runId)!.shift()!).map((index) => ({ run: report.runs[index], index }));
  }
  const detailed = order.slice(0, maxDetailed);
  const rows = order.slice(0, maxRows);
  return { detailed, rows, withoutDetails: order.length - detailed.length, withoutRow: order.length - rows.length };
}

function summaryRow(r: RunReport, i: number, linked: boolean): string {
  const v = verdictOf(r);
  const name = linked ? `<a href="#${runAnchor(r, i)}">${esc(r.id)}</a>` : esc(r.id);
  return `<tr><td>${name}</td><td>${esc(r.algorithm)}</td><td>${esc(r.status)}</td><td>${pct(r.metrics.finalSourceAcc)}</td><td>${pct(r.metrics.finalTargetAcc)}</td><td class="verdict ${v.kind}">${esc(v.text)}</td></tr>`;
}

/** Table rows are yielded this many at a time: chunks of ~100 KB, never the whole table as one string. */
const ROWS_PER_CHUNK = 200;

/**
 * The report as HTML, in pieces that can be written as they come: at most HTML_DETAILED_RUNS run sections and
 * HTML_TABLE_ROWS table rows, with a line saying what was left out. Pure: Report (+ ready plots) -> strings. Plots
 * are needed (extras.svgs) only for htmlSelection(report).detailed; a run without ready plots gets them drawn from
 * its report.
 */
export function* htmlChunks(report: Report, extras: HtmlExtras = {}, limits: { detailed?: number; rows?: number } = {}): Generator<string> {
  const sel = htmlSelection(report, limits);
  const linked = new Set(sel.detailed.map((d) => d.index));
  yield `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dann-doctor report</title><style>${CSS}</style></head>
<body><header class="top"><h1>dann-doctor report</h1><div class="meta">${esc(report.tool.name)} ${esc(report.tool.version)} · schema ${report.schemaVersion} · ${esc(report.generatedAt)} · ${report.runs.length} run(s)</div></header>
<main>
<section id="summary"><h2>Runs</h2>`;
  const cut = sel.withoutDetails > 0 || sel.withoutRow > 0;
  if (cut) {
    const rowsNote = sel.withoutRow > 0 ? ` The table lists the first ${sel.rows.length}; ${sel.withoutRow} more are left out of this page.` : '';
    yield `<p class="small left-out">${report.runs.length} runs, worst first: the ${sel.detailed.length} most in need of a look are detailed below; ${sel.withoutDetails} run${sel.withoutDetails === 1 ? ' is' : 's are'} in the table only (no findings, causes or plots here).${rowsNote} Every run in full: <code>--format json</code>, <code>--format text --verbose</code>, or give one run's folder.</p>`;
  }
  yield '<table class="summary"><thead><tr><th>run</th><th>algorithm</th><th>status</th><th>source</th><th>target</th><th>verdict</th></tr></thead><tbody>';
  for (let k = 0; k < sel.rows.length; k += ROWS_PER_CHUNK) yield sel.rows.slice(k, k + ROWS_PER_CHUNK).map((x) => summaryRow(x.run, x.index, linked.has(x.index))).join('');
  yield '</tbody></table></section>\n';
  if (report.errors.length) {
    const shown = report.errors.slice(0, HTML_TABLE_ROWS);
    const more = report.errors.length - shown.length;
    yield `<section class="errors"><h3>Inputs that could not be read</h3><ul>${shown.map((e) => `<li><code>${esc(e.path)}</code>: ${esc(e.message)}</li>`).join('')}${more > 0 ? `<li>${more} more (--format json lists them)</li>` : ''}</ul></section>\n`;
  }
  for (const d of sel.detailed) yield `${runHtml(d.run, d.index, extras)}\n`;
  yield '</main></body></html>\n';
}

/** The whole report as one HTML document (see htmlChunks; the CLI writes the chunks as they come instead). */
export function renderHtml(report: Report, extras: HtmlExtras = {}): string {
  return [...htmlChunks(report, extras)].join('');
}
