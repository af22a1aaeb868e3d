// `dann-doctor inspect RUN`: what dann-doctor understood of a run before judging it — every series with its role,
// confidence and reasons, the hyperparameters found and where, the algorithm and where it came from, and what the
// verdict rests on. The first thing to run when a verdict looks wrong (then correct it with --map or config roles).
import { basename } from 'node:path';
import type { CliIO } from '../output/cli-io.js';
import type { Run } from '../model/types.js';
import type { RunReport } from '../engine/types.js';
import { parseCliArgs, UsageError } from './args.js';
import { loadCommandConfig } from './config.js';
import { describeRole } from '../understand/assign-roles.js';
import { canonicalHyperparameters } from '../understand/hyper-aliases.js';
import { showControlsDeep } from '../output/terminal-safe.js';

export const INSPECT_HELP = `dann-doctor inspect — what dann-doctor understood of a run

Usage
  dann-doctor inspect PATH [--map NAME=ROLE]... [-c CONFIG] [--format text|json] [--format-hint FMT]

Lists every series with its role (domain, quantity, split, granularity), the confidence and the reasons;
the hyperparameters recognised and the file each came from; the algorithm and its source; and what the
verdict needs that is missing. Correct a role with --map NAME=ROLE or "roles" in dann-doctor.config.json.
`;

export interface InspectedRun {
  id: string;
  path: string;
  formats: string[];
  algorithm: string;
  algorithmFrom?: Run['algorithmFrom'];
  series: { key: string; rawName: string; file: string; points: number; role?: Run['series'][string]['role'] }[];
  hyperparameters: { concept: string; name: string; value: unknown }[];
  hyperparameterFiles: string[];
  otherHyperparameters: number;
  verdict: RunReport['verdict'];
  coverage: RunReport['coverage'];
}

function inspected(run: Run, report: RunReport): InspectedRun {
  const canon = canonicalHyperparameters(run.hyperparameters);
  const known = Object.entries(canon).map(([concept, hit]) => ({ concept, name: hit!.name, value: hit!.value }));
  return {
    id: run.id,
    path: run.path,
    formats: run.formats,
    algorithm: run.algorithm,
    algorithmFrom: run.algorithmFrom,
    series: Object.values(run.series).map((s) => ({ key: s.key, rawName: s.rawName, file: s.file, points: s.points.length, role: s.role })),
    hyperparameters: known,
    hyperparameterFiles: run.hyperparameterFiles ?? [],
    otherHyperparameters: Object.keys(run.hyperparameters).length - known.length,
    verdict: report.verdict,
    coverage: report.coverage,
  };
}

function renderText(runs: InspectedRun[]): string {
  const out: string[] = [];
  for (const r of runs) {
    out.push(`${r.id}  (${r.formats.join(', ') || 'no reader'})`);
    const a = r.algorithmFrom;
    out.push(`  algorithm        ${r.algorithm === 'other' && a ? a.name : r.algorithm}${a ? `  — from ${a.detail}${a.name && a.name.toLowerCase() !== r.algorithm ? ` ("${a.name}")` : ''}` : '  — not named anywhere'}`);
    out.push(`  series (${r.series.length})`);
    const width = Math.min(40, Math.max(8, ...r.series.map((s) => s.rawName.length)));
    for (const s of r.series) {
      const role = s.role;
      const key = s.key !== s.rawName ? ` → ${s.key}` : '';
      out.push(`    ${s.rawName.padEnd(width)}  ${role ? describeRole(role) : 'no role'}${key}  [${role ? role.confidence.toFixed(2) : '-'}${role?.from === 'user' ? ', yours' : ''}] ${s.points} pts, ${basename(s.file)}`);
      if (role?.reasons.length) out.push(`    ${''.padEnd(width)}    ${role.reasons.join('; ')}`);
    }
    out.push(`  hyperparameters  ${r.hyperparameterFiles.length ? `from ${r.hyperparameterFiles.map((f) => basename(f)).join(', ')}` : 'no config file or header found'}`);
    for (const h of r.hyperparameters) out.push(`    ${h.concept.padEnd(14)} ${h.name}=${JSON.stringify(h.value)}`);
    if (r.otherHyperparameters > 0) out.push(`    (${r.otherHyperparameters} more not used by any rule; --format json lists nothing more, the main report's JSON has them all)`);
    out.push(`  verdict needs    ${r.coverage.missing.length ? `MISSING: ${r.coverage.missing.join('; ')}` : 'everything it needs was found'}`);
    for (const f of r.coverage.found) out.push(`    found ${f}`);
    if (r.coverage.hint) out.push(`  correct it       ${r.coverage.hint}`);
    out.push('');
  }
  return out.join('\n');
}

export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout.write(INSPECT_HELP);
    return 0;
  }
  const opts = parseCliArgs(argv);
  if (opts.paths.length === 0) throw new UsageError('inspect needs a run: dann-doctor inspect ./runs/exp42');
  const format = opts.outputs[0]?.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`inspect prints text or json, not ${format}`);
  const config = await loadCommandConfig(opts, io.cwd);
  const { loadRuns } = await import('../pipeline/load.js');
  const { judgeRun } = await import('../pipeline/judge.js');
  const { resolveConfig } = await import('../pipeline/config.js');
  const { runs, errors } = await loadRuns(opts.paths, { config, formatHint: opts.formatHint, maxDepth: opts.maxDepth, maxBytes: opts.maxBytes });
  const resolved = resolveConfig(config);
  const result = runs.map((run) => inspected(run, judgeRun(run, resolved)));
  for (const e of errors) io.stderr.write(`dann-doctor: ${e.message}\n`);
  if (format === 'json') io.stdout.write(JSON.stringify({ runs: result, errors }, null, 2) + '\n');
  else io.stdout.write(renderText(showControlsDeep(result)));
  return runs.length === 0 ? 2 : 0;
}
