// E2E: the HTML report of real runs opened in headless Chromium renders its sections, plots and points, with no console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diagnose } from '../../src/index.js';
import { renderHtml } from '../../src/reporters/html.js';
import { reportPlots } from '../../src/pipeline/report-plots.js';
import { SHARED_RUNS, hasShared } from '../helpers/shared.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM)
  ? `Chromium not installed (${CHROMIUM}); apt-get install chromium to run this test`
  : !hasShared
    ? 'needs ../shared/runs'
    : false;
/** Flags from the machine notes: without the networking ones Chromium tries to phone home from a closed network. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-logging=stderr', '--v=0'];
const CHROMIUM_TIMEOUT_MS = 120_000;

function chromium(args: string[], userDataDir: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(CHROMIUM, [...FLAGS, `--user-data-dir=${userDataDir}`, ...args], { encoding: 'utf8', timeout: CHROMIUM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

function count(html: string, re: RegExp): number {
  return (html.match(re) ?? []).length;
}

test('the HTML report of label_shift and diverged renders in Chromium with every section', { skip, timeout: 300_000 }, async () => {
  const report = await diagnose([join(SHARED_RUNS, 'label_shift'), join(SHARED_RUNS, 'diverged')]);
  const html = renderHtml(report, { svgs: await reportPlots(report, { maxPoints: 150 }) });
  const dir = mkdtempSync(join(tmpdir(), 'dd-html-'));
  try {
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const dom = chromium(['--dump-dom', url], join(dir, 'profile-dom'));
    assert.equal(dom.status, 0, dom.stderr.slice(-2000));
    const d = dom.stdout;
    // what the browser parsed (not just what we wrote): summary rows, one section per run, findings, causes
    assert.equal(count(d, /<section class="run"/g), 2);
    assert.match(d, /<section id="summary">/);
    assert.equal(count(d, /<tr><td><a href="#run-/g), 2);
    assert.ok(count(d, /<div class="finding (error|warn|info)/g) >= 4, 'label_shift has 3 findings, diverged more');
    assert.ok(count(d, /class="conf-bar" role="meter"/g) >= 2);
    assert.match(d, /data-rule="per-class-imbalance"/);
    assert.match(d, /data-rule="loss-divergence"/);
    // plots: curves for both runs, per-class bars of both (each has a dump: quick evaluation is on by default), both
    // t-SNE views with their points
    assert.ok(count(d, /<svg[^>]*class="curve-plot"/g) >= 6);
    assert.equal(count(d, /<svg[^>]*class="per-class-bars"/g), 2);
    assert.equal(count(d, /<svg[^>]*class="tsne-plot tsne-class"/g), 2);
    assert.equal(count(d, /<svg[^>]*class="tsne-plot tsne-domain"/g), 2);
    assert.equal(count(d, /class="pt src"/g), 4 * 75, '2 runs x 2 views x 75 source points (150 of 450, stratified)');
    assert.equal(count(d, /class="bar" data-class=/g), 40, 'ten digit classes x target and source x 2 runs');
    // nothing went wrong in the page: no console messages, no blocked loads (the CSP would log them)
    assert.doesNotMatch(dom.stderr, /:CONSOLE[:(]|Refused to|Uncaught/, "console messages (chromium logs them as INFO:CONSOLE:<line>)");

    const shot = join(dir, 'shot.png');
    const s = chromium(['--screenshot=' + shot, '--window-size=1200,2400', '--hide-scrollbars', url], join(dir, 'profile-shot'));
    assert.equal(s.status, 0, s.stderr.slice(-2000));
    const png = readFileSync(shot);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 2400]);
    // a white page compresses to a few KB; the report's text, charts and bars make it far larger
    assert.ok(png.length > 60_000, `screenshot is ${png.length} bytes: blank page?`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
