// Issue 16.6: a plot resvg cannot render (or no font for PNG text) is a note naming the plot; its SVG is still
// written, the other plots are unaffected, and the CLI never prints a stack trace for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { writePlots } from '../../src/plot/write-plots.js';
import { svgToPng } from '../../src/plot/png.js';
import { SHARED_RUNS } from '../helpers/shared.js';
import { runCli } from '../hostile/helpers.js';

const RUN = join(SHARED_RUNS, 'label_shift');

test('one PNG that fails to render is a note naming the plot; its SVG and every other plot are written', async () => {
  const report = await diagnose([RUN]);
  const out = await mkdtemp(join(tmpdir(), 'dd-png-'));
  try {
    const notes: string[] = [];
    const written = await writePlots({ runId: 'r', report: report.runs[0] }, out, {
      notePlot: (m) => notes.push(m),
      // what resvg throws for an SVG it refuses, injected for one plot
      renderPng: async (svg, o) => (svg.includes('Loss') ? Promise.reject(new Error('SVG data parsing failed cause unknown token\n    at Resvg')) : svgToPng(svg, o)),
    });
    const names = (await readdir(out)).sort();
    assert.equal(notes.length, 1);
    assert.match(notes[0], /^PNG of r-curves-loss not written \(its SVG is\): SVG data parsing failed cause unknown token$/);
    assert.ok(names.includes('r-curves-loss.svg') && !names.includes('r-curves-loss.png'));
    assert.ok(names.includes('r-curves-accuracy.svg') && names.includes('r-curves-accuracy.png'), names.join(', '));
    assert.equal(written.length, names.length);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('--plots with no usable font: SVGs written, one note on stderr, exit 0, no stack trace', async () => {
  const t = await mkdtemp(join(tmpdir(), 'dd-png-cli-'));
  try {
    const plots = join(t, 'plots');
    const r = await runCli([RUN, '--plots', plots, '--format', 'json', '--fail-on', 'never', '--no-eval'], t, { DANN_DOCTOR_FONT: join(t, 'missing.ttf') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /note: label_shift: PNGs not written \(SVGs are\): DANN_DOCTOR_FONT=.*missing\.ttf: no such font file/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const names = await readdir(plots);
    assert.ok(names.some((n) => n.endsWith('.svg')) && !names.some((n) => n.endsWith('.png')), names.join(', '));
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
