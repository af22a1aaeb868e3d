// Bench: our Barnes-Hut t-SNE vs scikit-learn's on the same 5,000 x 256 clustered data (time + trustworthiness).
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { tsne } from '../src/tsne/tsne.js';
import { trustworthiness } from '../src/tsne/trustworthiness.js';
import { createRng } from '../src/tsne/prng.js';
import type { DenseMatrix } from '../src/tsne/matrix.js';

const N = 5000;
const D = 256;
const CLUSTERS = 10;
const ITERATIONS = 1000;
const K_TRUST = 10;
/** The bar: no slower than sklearn, trustworthiness within 0.01 of sklearn's. */
const MAX_RATIO = 1;
const MAX_TRUST_GAP = 0.01;
/** sklearn gets this long (PCA + TSNE + two trustworthiness calls) before we call it hung. */
const PYTHON_TIMEOUT_MS = 600_000;

/** Deterministic clustered data: 10 Gaussian blobs, centres ~ N(0, 3^2) per axis, noise sd 2 (like make_blobs). */
export function clusteredData(n = N, d = D, clusters = CLUSTERS, seed = 1): DenseMatrix {
  const rng = createRng(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: d }, () => rng.normal() * 3));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % clusters];
    for (let j = 0; j < d; j++) data[i * d + j] = c[j] + rng.normal() * 2;
  }
  return { data, rows: n, cols: d };
}

/** Minimal little-endian float64 .npy (format 1.0) so python can load the exact same numbers. */
function npyBytes(m: DenseMatrix): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(Float64Array.from(m.data).buffer);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

const SKLEARN_SCRIPT = `
import json, sys, time, numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
import sklearn, inspect
X = np.load(sys.argv[1]); ours = np.load(sys.argv[2])
kw = dict(n_components=2, perplexity=30.0, init='pca', method='barnes_hut', random_state=0, learning_rate='auto')
kw['max_iter' if 'max_iter' in inspect.signature(TSNE).parameters else 'n_iter'] = ${ITERATIONS}
t = time.perf_counter(); c = time.process_time()
Z = PCA(n_components=50, random_state=0).fit_transform(X)
E = TSNE(**kw).fit_transform(Z)
secs = time.perf_counter() - t; cpu = time.process_time() - c
print(json.dumps(dict(version=sklearn.__version__, seconds=secs, cpu=cpu,
  trust_sklearn=float(trustworthiness(X, E, n_neighbors=${K_TRUST})),
  trust_ours=float(trustworthiness(X, ours, n_neighbors=${K_TRUST})))))
`;

interface SklearnResult {
  version: string;
  seconds: number;
  /** CPU seconds over all of its threads */
  cpu: number;
  trust_sklearn: number;
  trust_ours: number;
}

/** First interpreter that imports sklearn: a pyenv `python3` on PATH may shadow Debian's, which has python3-sklearn. */
function findPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

function runSklearn(dir: string, x: DenseMatrix, ours: DenseMatrix): SklearnResult | string {
  const py = findPython();
  if (!py) return 'scikit-learn absent (apt-get install python3-sklearn)';
  const xPath = join(dir, 'x.npy');
  const oPath = join(dir, 'ours.npy');
  writeFileSync(xPath, npyBytes(x));
  writeFileSync(oPath, npyBytes(ours));
  const r = spawnSync(py, ['-c', SKLEARN_SCRIPT, xPath, oPath], { encoding: 'utf8', timeout: PYTHON_TIMEOUT_MS });
  if (r.error) return `python3 not runnable (${r.error.message})`;
  if (r.status !== 0) {
    if (/No module named '?(sklearn|numpy)/.test(r.stderr)) return 'scikit-learn absent (apt-get install python3-sklearn)';
    return `sklearn failed: ${r.stderr.trim().split('\n').at(-1)}`;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as SklearnResult;
}

export async function benchTsne(): Promise<string[]> {
  const lines: string[] = [];
  // the machine is shared: say how busy it was, since sklearn's OpenMP threads suffer more from contention
  const load = () => loadavg()[0].toFixed(1);
  const x = clusteredData();
  const loadBefore = load();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const res = tsne(x, { iterations: ITERATIONS, seed: 0 });
  const ourSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const ourCpu = (cpu.user + cpu.system) / 1e6;
  const y: DenseMatrix = { data: res.embedding, rows: N, cols: 2 };
  const t = res.timings;
  lines.push(
    `tsne: ours ${N}x${D}, ${res.iterations} it: ${ourSeconds.toFixed(2)} s (${ourCpu.toFixed(2)} s CPU) ` +
      `(pca ${(t.pca / 1000).toFixed(2)}, knn ${(t.neighbours / 1000).toFixed(2)}, P ${(t.affinities / 1000).toFixed(2)}, ` +
      `optimise ${(t.optimize / 1000).toFixed(2)}), KL ${res.kl.toFixed(3)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'dann-doctor-bench-tsne-'));
  try {
    const sk = runSklearn(dir, x, y);
    if (typeof sk === 'string') {
      const ourTrust = trustworthiness(x, y, K_TRUST);
      lines.push(`tsne: sklearn comparison skipped: ${sk}; ours trustworthiness(k=${K_TRUST}) ${ourTrust.toFixed(4)}`);
      return lines;
    }
    const ratio = ourSeconds / sk.seconds;
    const gap = Math.abs(sk.trust_ours - sk.trust_sklearn);
    const pass = ratio <= MAX_RATIO && gap <= MAX_TRUST_GAP;
    lines.push(`tsne: sklearn ${sk.version} Barnes-Hut (PCA 50 + TSNE): ${sk.seconds.toFixed(2)} s (${sk.cpu.toFixed(2)} s CPU); 1-min load average ${loadBefore} before ours, ${load()} after sklearn`);
    lines.push(
      `tsne: ratio ours/sklearn ${ratio.toFixed(2)}x; trustworthiness(k=${K_TRUST}) ours ${sk.trust_ours.toFixed(4)}, ` +
        `sklearn ${sk.trust_sklearn.toFixed(4)} (gap ${gap.toFixed(4)}) -> ${pass ? 'meets' : 'MISSES'} the bar ` +
        `(ratio <= ${MAX_RATIO}, gap <= ${MAX_TRUST_GAP})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await benchTsne()) console.log(line);
}
