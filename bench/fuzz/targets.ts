// What the fuzzer attacks: every reader, each with real seed files to mutate (from fixtures/).
import { readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled real runs and logs (fixtures/runs, fixtures/real-logs: copies of ../shared's, see fixtures/README.md). */
const SHARED = resolve(ROOT, 'fixtures');

export interface FuzzTarget {
  name: string;
  /** real files whose bytes are mutated */
  seeds: string[];
  /** file name the mutant is written under (readers may look at names) */
  fileName: string;
  /** module + export that reads a path; loaded inside the worker */
  read: (path: string) => Promise<unknown>;
  /** MLflow reads a directory: the mutant replaces this file inside a copy of the seed tree */
  treeSeed?: { dir: string; mutate: string };
}

function files(dir: string, re: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, re));
    else if (re.test(name)) out.push(p);
  }
  return out.sort();
}

const sharedRunLogs = () => files(join(SHARED, 'runs'), /^train-.*\.txt$/);

export function fuzzTargets(): FuzzTarget[] {
  return [
    {
      name: 'tllib', fileName: 'train-2026-01-01-00_00_00.txt',
      seeds: [...sharedRunLogs(), ...files(join(SHARED, 'real-logs', 'dh-a2w-2ep'), /\.txt$/), ...files(join(SHARED, 'real-logs', 'dao-dan-l1'), /^analysis/)],
      read: async (p) => (await import('../../src/ingest/tllib/index.js')).readTllibLog(p),
    },
    {
      name: 'textlogs (DeepDA/Dassl/Keras)', fileName: 'log.txt',
      seeds: files(join(ROOT, 'fixtures', 'textlogs'), /\.(log|txt)$/),
      read: async (p) => {
        const { detectFormat } = await import('../../src/ingest/detect.js');
        const r = await detectFormat(p);
        return r ? r.read(p) : null;
      },
    },
    {
      name: 'csv', fileName: 'metrics.csv',
      seeds: [...files(join(SHARED, 'runs', 'healthy_lightning'), /\.csv$/), ...files(join(ROOT, 'fixtures', 'csv'), /\.csv$/)],
      read: async (p) => (await import('../../src/ingest/csv/index.js')).readCsvLog(p),
    },
    {
      name: 'jsonl', fileName: 'history.jsonl',
      seeds: files(join(ROOT, 'fixtures', 'jsonl'), /\.jsonl$/),
      read: async (p) => (await import('../../src/ingest/jsonl/index.js')).readJsonlLog(p),
    },
    {
      name: 'tfevents', fileName: 'events.out.tfevents.1700000000.host.1.0',
      seeds: files(join(ROOT, 'fixtures', 'tfevents'), /^events\.out\.tfevents/),
      read: async (p) => (await import('../../src/ingest/tfevents/index.js')).readTfeventsFile(p),
    },
    {
      name: 'mlflow', fileName: 'meta.yaml',
      seeds: files(join(ROOT, 'fixtures', 'mlflow', 'mlruns'), /^(meta\.yaml|acc|loss|domain_acc|lr|trade_off)$/).filter((f) => !f.endsWith(join('0', 'meta.yaml'))),
      treeSeed: { dir: join(ROOT, 'fixtures', 'mlflow', 'mlruns', '0', '6f1c2b7e9a0d4c3f8e5b1a2d3c4e5f60'), mutate: 'meta.yaml' },
      read: async (p) => (await import('../../src/ingest/mlflow/index.js')).readMlflowRun(p),
    },
    {
      name: 'npy/npz', fileName: 'features.npz',
      seeds: files(join(ROOT, 'fixtures', 'npy'), /\.np[yz]$/),
      read: async (p) => {
        const m = await import('../../src/ingest/npy/index.js');
        return p.endsWith('.npy') ? m.readNpy(p) : m.readNpz(p);
      },
    },
    {
      name: 'wandb (.wandb log)', fileName: 'run-fuzz01.wandb',
      seeds: files(join(ROOT, 'fixtures', 'wandb'), /\.wandb$/),
      read: async (p) => (await import('../../src/ingest/wandb/index.js')).readWandbTransactionLog(p),
    },
    {
      name: 'console (generic)', fileName: 'out.txt',
      seeds: [...files(join(ROOT, 'fixtures', 'console'), /\.txt$/), ...files(join(ROOT, 'fixtures', 'textlogs'), /\.(log|txt)$/)],
      read: async (p) => (await import('../../src/ingest/console/index.js')).readConsoleLog(p),
    },
    {
      name: 'pth (zip + legacy)', fileName: 'latest.pth',
      seeds: [...files(join(ROOT, 'fixtures', 'pth'), /\.pth$/), join(ROOT, 'fixtures', 'runs', 'label_shift', 'checkpoints', 'best.pth')],
      read: async (p) => (await import('../../src/ingest/pth/index.js')).readPth(p),
    },
  ];
}
