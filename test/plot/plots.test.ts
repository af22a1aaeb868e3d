// Tests of the SVG/PNG plots: points, colours per class and domain, markers, axes, legend, curves, PNG size and text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { readNpz } from '../../src/ingest/npy/index.js';
import { embedFeatures, embedInputFromArrays, type FeatureEmbedding } from '../../src/tsne/index.js';
import { tsneScatterSvg, classCentres } from '../../src/plot/tsne-scatter-svg.js';
import { curvePlotSvg, downsampleMinMax } from '../../src/plot/curves-svg.js';
import { classColor, DOMAIN_COLORS } from '../../src/plot/palette.js';
import { svgToPng } from '../../src/plot/png.js';
import { resolveFontFiles } from '../../src/plot/fonts.js';
import { buildPlots } from '../../src/plot/build-plots.js';
import { writePlots } from '../../src/plot/write-plots.js';
import { curveSourceFromRun, findingCurves } from '../../src/plot/run-curves.js';
import { loadRuns, diagnose } from '../../src/index.js';
import { SHARED_RUNS, hasShared } from '../helpers/shared.js';

const skip = hasShared ? false : 'needs ../shared/runs';
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

let cached: FeatureEmbedding | undefined;
/** The healthy run's bottleneck features, 120 of 450 points (stratified), a short t-SNE: structure, not beauty. */
async function healthyEmbedding(): Promise<FeatureEmbedding> {
  if (cached) return cached;
  const file = join(SHARED_RUNS, 'healthy', 'features.npz');
  cached = embedFeatures(embedInputFromArrays(await readNpz(file), file, 'features', DIGITS), { cap: 120, iterations: 250 });
  return cached;
}

/** [class, domain, fill] of every point mark in a scatter SVG. */
function marks(svg: string): { cls: number; domain: string; fill: string; shape: string }[] {
  return [...svg.matchAll(/<(circle|path) class="pt (?:src|tgt)" data-domain="(\w+)" data-class="(-?\d+)"[^>]*? fill="(#[0-9a-f]{6})"/g)].map((m) => ({
    shape: m[1],
    domain: m[2],
    cls: Number(m[3]),
    fill: m[4],
  }));
}

test('class view: one mark per point, circle for source and triangle for target, filled by class', { skip }, async () => {
  const e = await healthyEmbedding();
  const svg = tsneScatterSvg(e, { colorBy: 'class', arrows: true });
  const m = marks(svg);
  assert.equal(m.length, e.n);
  assert.equal(m.filter((x) => x.domain === 'source').length, e.sourceRows.length);
  assert.ok(m.every((x) => (x.domain === 'source' ? x.shape === 'circle' : x.shape === 'path')));
  assert.ok(m.every((x) => x.fill === classColor(x.cls)), 'fill follows the class');
  assert.equal(new Set(m.map((x) => x.fill)).size, 10, 'ten digits, ten colours');
  // legend names the classes with the names given, and both domain shapes
  for (const name of DIGITS) assert.match(svg, new RegExp(`>${name}</text>`));
  assert.match(svg, /data-domain="source"><circle/);
  assert.match(svg, /data-domain="target"><path/);
  // axes, labels, caption with the cap
  assert.match(svg, /class="axes"/);
  assert.match(svg, />t-SNE 1</);
  assert.match(svg, />t-SNE 2</);
  assert.match(svg, /stratified sample of 450 \(cap 120\)/);
  // one arrow per class present in both domains
  assert.equal((svg.match(/class="centroid-arrow"/g) ?? []).length, classCentres(e).length);
  assert.ok(classCentres(e).length >= 9);
});

test('domain view: every mark is the domain colour', { skip }, async () => {
  const e = await healthyEmbedding();
  const m = marks(tsneScatterSvg(e, { colorBy: 'domain' }));
  assert.ok(m.every((x) => x.fill === (x.domain === 'source' ? DOMAIN_COLORS.source : DOMAIN_COLORS.target)));
  assert.equal(new Set(m.map((x) => x.fill)).size, 2);
});

test('a collapsed embedding (all points equal) says so instead of drawing an empty frame', () => {
  const n = 6;
  const e: FeatureEmbedding = {
    xy: new Float64Array(2 * n), n, domain: Uint8Array.from([0, 0, 0, 1, 1, 1]), label: Int32Array.from([0, 1, 2, 0, 1, 2]),
    numClasses: 3, featureName: 'features', sourceRows: Int32Array.from([0, 1, 2]), targetRows: Int32Array.from([0, 1, 2]),
    cap: 5000, totalPoints: n, subsampled: false, perplexity: 1, iterations: 300, learningRate: 50, seed: 1, kl: 0, seconds: 0,
  };
  assert.match(tsneScatterSvg(e, { colorBy: 'class' }), /all 6 points at one spot/);
});

test('curves of the diverged run: log scale for the exploding loss, finding range and change point drawn', { skip }, async () => {
  const dir = join(SHARED_RUNS, 'diverged');
  const report = await diagnose([dir]);
  const { runs } = await loadRuns([dir]);
  const src = curveSourceFromRun(runs[0]);
  const f = report.runs[0].findings.find((x) => x.ruleId === 'loss-divergence');
  assert.ok(f, 'the diverged run has a loss-divergence finding');
  const plot = findingCurves('diverged', f, src)!;
  assert.equal(plot.series[0].key, 'train/loss');
  // 90 logged loss values (every 50 of 300 iterations x 15 epochs), read off the log: 3.01 at step 0, 1453032.62 at 50
  assert.equal(plot.series[0].points.length, 90);
  assert.deepEqual(plot.series[0].points.slice(0, 2), [{ step: 0, value: 3.01 }, { step: 50, value: 1453032.62 }]);
  const svg = curvePlotSvg(plot);
  assert.match(svg, /loss \(log scale\)/);
  assert.match(svg, />1e9</, 'a tick at 1e9: the loss reaches ~8e8');
  assert.ok((svg.match(/class="marker change-point"/g) ?? []).length + (svg.match(/class="highlight"/g) ?? []).length >= 1);
  // validation accuracy per epoch: 15 dots on the accuracy overview
  const acc = buildPlots({ runId: 'diverged', run: runs[0], report: report.runs[0] }).find((p) => p.name === 'diverged-curves-accuracy')!;
  assert.equal((acc.svg.match(/class="val-point"/g) ?? []).length, 15);
});

test('non-finite values break the line and are marked, and counted in the legend', () => {
  const svg = curvePlotSvg({
    title: 't',
    series: [{ key: 'train/loss', points: [{ step: 0, value: 1 }, { step: 1, value: 2 }, { step: 2, value: NaN }, { step: 3, value: Infinity }, { step: 4, value: 1 }] }],
  });
  assert.equal((svg.match(/class="nan-mark"/g) ?? []).length, 3, 'two in the plot, one in the legend');
  assert.match(svg, /NaN\/Inf \(2\)/);
  assert.match(svg, /d="M[^"]*L[^"]*M/, 'the path restarts after the gap');
});

test('downsampling keeps each bucket min and max and every non-finite point', () => {
  const pts = Array.from({ length: 10_000 }, (_, i) => ({ step: i, value: i === 5000 ? 1e9 : i === 7000 ? NaN : Math.sin(i) }));
  const d = downsampleMinMax(pts, 100);
  assert.ok(d.length <= 2 * 100 + 3);
  assert.ok(d.some((p) => p.value === 1e9));
  assert.ok(d.some((p) => Number.isNaN(p.value)));
});

/** Width and height from IHDR, after checking the signature and that the image data inflates to the right size. */
function pngSize(buf: Buffer): [number, number] {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const w = buf.readUInt32BE(16), h = buf.readUInt32BE(20);
  const bitDepth = buf[24], colorType = buf[25];
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType as 0 | 2 | 4 | 6];
  assert.ok(bitDepth === 8 && channels, `8-bit grey/RGB/RGBA expected, got depth ${bitDepth} type ${colorType}`);
  const idat: Buffer[] = [];
  for (let o = 8; o < buf.length; ) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('latin1', o + 4, o + 8);
    if (type === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  // one filter byte per row, then the pixels
  assert.equal(inflateSync(Buffer.concat(idat)).length, h * (1 + w * channels!));
  return [w, h];
}

test('PNG: right size, and the text is really drawn (not silently dropped for lack of a font)', async () => {
  const svg = curvePlotSvg({ title: 'accuracy', series: [{ key: 'a', points: [{ step: 0, value: 1 }, { step: 10, value: 2 }] }] });
  const png = await svgToPng(svg);
  assert.deepEqual(pngSize(png), [760, 340]);
  const noText = await svgToPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''));
  assert.notDeepEqual(png, noText, 'removing the text changes the pixels');
  assert.ok(png.length > noText.length + 500, `text adds ink: ${png.length} vs ${noText.length} bytes`);
  assert.deepEqual(pngSize(await svgToPng(svg, { width: 380 })), [380, 170]);
});

test('a font named in DANN_DOCTOR_FONT that does not exist is an error, not blank text', () => {
  assert.throws(() => resolveFontFiles({ DANN_DOCTOR_FONT: '/nonexistent/font.ttf' }), /DANN_DOCTOR_FONT=\/nonexistent\/font\.ttf: no such font file/);
  assert.ok(resolveFontFiles({}).some((f) => f.endsWith('DejaVuSans.ttf')));
});

test('writePlots writes stable file names: t-SNE by class and domain, overview curves, one per finding', { skip }, async () => {
  const dir = join(SHARED_RUNS, 'label_shift');
  const report = await diagnose([dir]);
  const { runs } = await loadRuns([dir]);
  const out = mkdtempSync(join(tmpdir(), 'dd-plots-'));
  try {
    const written = await writePlots({ runId: 'runs/label_shift', run: runs[0], report: report.runs[0], embedding: await healthyEmbedding() }, out);
    const names = readdirSync(out).sort();
    assert.equal(written.length, names.length);
    for (const stem of ['runs_label_shift-tsne-class', 'runs_label_shift-tsne-domain', 'runs_label_shift-curves-accuracy', 'runs_label_shift-curves-loss']) {
      assert.ok(names.includes(`${stem}.svg`) && names.includes(`${stem}.png`), `${stem}.svg/.png in ${names.join(', ')}`);
    }
    assert.ok(names.includes('runs_label_shift-curves-target-acc-degrading.svg'), 'the degrading finding gets its curve');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
