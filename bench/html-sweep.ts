// `--format html` on a generated sweep (issue 16.10): file size and peak RSS of the CLI writing the page, with the
// HTML bounded to a summary table and the worst runs' sections. Runnable alone: `node --import tsx bench/html-sweep.ts [N]`.
// Sweep: N logs-only run folders, each one of the bundled real tllib logs (cycled) with its own seed.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile as execFileCb } from 'node:child_process';
import { promisify } from 'node:util';

const execFile = promisify(execFileCb);
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const HTML_SWEEP_RUNS = 5000;

async function makeLogSweep(root: string, n: number): Promise<void> {
  const logs: { name: string; text: string }[] = [];
  for (const parent of ['runs', 'real-logs']) {
    const dir = join(REPO, 'fixtures', parent);
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      for (const f of await readdir(join(dir, e.name))) if (/^train-.*\.txt$/.test(f)) logs.push({ name: f, text: await readFile(join(dir, e.name, f), 'utf8') });
    }
  }
  for (let i = 0; i < n; i++) {
    const l = logs[i % logs.length];
    const dir = join(root, `run-${String(i).padStart(4, '0')}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, l.name), l.text.replace(/\bseed=\d+/, `seed=${100 + Math.floor(i / logs.length)}`));
  }
}

export async function benchHtmlSweep(n = HTML_SWEEP_RUNS): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'dd-bench-html-'));
  try {
    await makeLogSweep(join(root, 'sweep'), n);
    const hook = join(root, 'rss.mjs');
    await writeFile(hook, "process.on('exit', () => process.stderr.write(`maxRSS ${process.resourceUsage().maxRSS}\\n`));\n");
    const out = join(root, 'report.html');
    const t0 = performance.now();
    const { stderr } = await execFile(process.execPath, ['--import', 'tsx', '--import', hook, join(REPO, 'src/cli.ts'), join(root, 'sweep'), '--format', `html=${out}`, '--fail-on', 'never'], { cwd: REPO, maxBuffer: 64 * 2 ** 20 });
    const secs = (performance.now() - t0) / 1000;
    const rssKb = Number(/maxRSS (\d+)/.exec(stderr)?.[1] ?? NaN);
    const size = (await stat(out)).size;
    const sections = ((await readFile(out, 'utf8')).match(/<section class="run"/g) ?? []).length;
    return [
      `${n} runs (logs only): --format html wrote ${(size / 2 ** 20).toFixed(1)} MB with ${sections} run sections in ${secs.toFixed(1)} s; peak RSS ${(rssKb / 1024).toFixed(0)} MB`,
      `(before the bounded page, 5,000 runs: 228 MB, 5,000 sections, peak RSS 4,151 MB)`,
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const line of await benchHtmlSweep(process.argv[2] ? Number(process.argv[2]) : undefined)) console.log(line);
}
