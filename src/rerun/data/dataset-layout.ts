// Where a tllib run's images are: its Namespace's `root`, `data`, `source` and `target` (formats.md 8.1) resolved
// to image lists (tllib's ImageList datasets, or `<root>/image_list/<task>.txt` for a custom dataset) or to
// ImageFolder directories. Pure apart from the file-system probe it is given, so every layout is testable.
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { HyperValue } from '../../model/types.js';

export type DomainName = 'source' | 'target';

/** One task's images: a list file of `path label` lines or an ImageFolder (`class/xxx.png`). */
export type ImageSource =
  | { kind: 'image-list'; task: string; file: string; /** list paths are relative to this */ root: string }
  | { kind: 'image-folder'; task: string; dir: string };

export interface DataLayout {
  /** the dataset root actually used (after --data) */
  root: string;
  dataset?: string;
  source: ImageSource[];
  target: ImageSource[];
  /** 1 when the dataset is read in PIL mode L (tllib's digit datasets), 3 for RGB, undefined when unknown */
  channels?: 1 | 3;
  classNames?: string[];
  /** what could not be resolved, one line each (a task without a list, an unknown root) */
  problems: string[];
  /** how the root was chosen (for the notes) */
  rootFrom: string;
}

/** What the resolver may look at: existence and directory listings, nothing else. */
export interface LayoutProbe {
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  /** entry names of a directory ([] when unreadable) */
  list(path: string): string[];
}

/** tllib's Digits class names (tllib.vision.datasets.MNIST.get_classes()). */
export const DIGIT_CLASS_NAMES = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];

/** tllib ImageList datasets: task -> list file under `<root>/image_list/` (formats.md 8.1, tllib/vision/datasets). */
const LIST_DATASETS: Record<string, { tasks: Record<string, string>; /** DomainNet: `<domain>_<split>.txt` */ split?: boolean }> = {
  office31: { tasks: { A: 'amazon', D: 'dslr', W: 'webcam' } },
  officehome: { tasks: { Ar: 'Art', Cl: 'Clipart', Pr: 'Product', Rw: 'Real_World' } },
  visda2017: { tasks: { Synthetic: 'train', Real: 'validation' } },
  domainnet: { tasks: { c: 'clipart', i: 'infograph', p: 'painting', q: 'quickdraw', r: 'real', s: 'sketch' }, split: true },
};

/** tllib's digit datasets (data='Digits'): root `<root>/<NAME>`, lists per split; mode L unless the *RGB variant. */
const DIGIT_DATASETS: Record<string, { test: string[] }> = {
  mnist: { test: ['mnist_test.txt'] },
  usps: { test: ['usps_test.txt'] },
  // tllib's SVHN lists its training split as svhn_balanced.txt; the test list name varies between versions
  svhn: { test: ['svhn_test.txt', 'svhn_balanced.txt'] },
};

/**
 * Both domains are evaluated on held-out images where the dataset has a test split (Digits, DomainNet: tllib's
 * validation set is the target's test split; the source's test split is the analogue for source accuracy), and on the
 * whole list otherwise (Office-31, Office-Home, VisDA: tllib's val = test = the whole target list).
 */
const EVAL_SPLIT = 'test';

function normName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `source=['A']`, `source='A'`, `source='A,D'`: the task names. */
export function taskNames(v: HyperValue | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap((x) => taskNames(x));
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

/** An entry of `dir` whose name equals `name` ignoring case (exact match first). */
function findEntry(probe: LayoutProbe, dir: string, name: string): string | undefined {
  const entries = probe.list(dir);
  if (entries.includes(name)) return name;
  const lower = name.toLowerCase();
  return entries.find((e) => e.toLowerCase() === lower);
}

/**
 * The dataset root: `--data ROOT` when given; else the Namespace's root — absolute as is, relative to the directory
 * the training script ran in, which is the run dir minus the Namespace's relative `log` path when the run dir ends
 * with it (tllib's `--log logs/dann/A2W` is relative to the same working directory), else the current directory.
 */
export function resolveRoot(h: Record<string, HyperValue>, runDir: string, override?: string): { root?: string; from: string } {
  if (override) return { root: resolve(override), from: '--data' };
  const r = typeof h.root === 'string' && h.root ? h.root : undefined;
  if (!r) return { from: 'the run names no dataset root (Namespace root); give --data ROOT' };
  if (isAbsolute(r)) return { root: r, from: "the run's Namespace root" };
  const log = typeof h.log === 'string' && h.log && !isAbsolute(h.log) ? h.log.replace(/[\\/]+$/, '') : undefined;
  const dir = resolve(runDir);
  if (log && (dir === resolve(log) || dir.endsWith(sep + join(log)))) {
    const cwd = dir.slice(0, dir.length - join(log).length);
    return { root: resolve(cwd || sep, r), from: `the run's Namespace root, relative to the directory the run was started in (${cwd || sep})` };
  }
  return { root: resolve(r), from: "the run's Namespace root, relative to the current directory" };
}

function listSource(probe: LayoutProbe, task: string, root: string, names: readonly string[]): ImageSource | undefined {
  const dir = join(root, 'image_list');
  for (const n of names) {
    const e = findEntry(probe, dir, n);
    if (e && probe.isFile(join(dir, e))) return { kind: 'image-list', task, file: join(dir, e), root };
  }
  return undefined;
}

/** A custom dataset: `<root>/image_list/<task>.txt` (or `<task>_test.txt`), else the ImageFolder `<root>/<task>/`. */
function genericSource(probe: LayoutProbe, task: string, root: string): ImageSource | undefined {
  const list = listSource(probe, task, root, [`${task}_${EVAL_SPLIT}.txt`, `${task}.txt`]);
  if (list) return list;
  const d = findEntry(probe, root, task);
  if (d && probe.isDir(join(root, d)) && isImageFolder(probe, join(root, d))) return { kind: 'image-folder', task, dir: join(root, d) };
  return undefined;
}

/** An ImageFolder: at least one sub-directory (a class) and no image_list/ beside them. */
export function isImageFolder(probe: LayoutProbe, dir: string): boolean {
  const entries = probe.list(dir);
  return !entries.includes('image_list') && entries.some((e) => !e.startsWith('.') && probe.isDir(join(dir, e)));
}

function resolveTask(probe: LayoutProbe, data: string, task: string, root: string): { source?: ImageSource; channels?: 1 | 3; digits?: boolean; tried: string } {
  const ds = LIST_DATASETS[normName(data)];
  if (ds) {
    const base = ds.tasks[task] ?? Object.entries(ds.tasks).find(([k]) => k.toLowerCase() === task.toLowerCase())?.[1];
    if (base) {
      const names = ds.split ? [`${base}_${EVAL_SPLIT}.txt`, `${base}_train.txt`] : [`${base}.txt`];
      return { source: listSource(probe, task, root, names), tried: join(root, 'image_list', names[0]!) };
    }
  }
  if (normName(data) === 'digits') {
    const rgb = /rgb$/i.test(task);
    const name = task.replace(/rgb$/i, '');
    const dg = DIGIT_DATASETS[name.toLowerCase()];
    if (dg) {
      const dir = findEntry(probe, root, task) ?? findEntry(probe, root, name) ?? task;
      return { source: listSource(probe, task, join(root, dir), dg.test), channels: rgb ? 3 : 1, digits: true, tried: join(root, dir, 'image_list', dg.test[0]!) };
    }
  }
  return { source: genericSource(probe, task, root), tried: `${join(root, 'image_list', `${task}.txt`)} or the ImageFolder ${join(root, task)}/` };
}

/** The run's data layout from its hyperparameters, or problems saying what is missing. */
export function resolveDataLayout(h: Record<string, HyperValue>, runDir: string, probe: LayoutProbe, override?: string): DataLayout {
  const { root, from } = resolveRoot(h, runDir, override);
  const dataset = typeof h.data === 'string' ? h.data : undefined;
  const out: DataLayout = { root: root ?? '', ...(dataset ? { dataset } : {}), source: [], target: [], problems: [], rootFrom: from };
  if (!root) {
    out.problems.push(from);
    return out;
  }
  if (!probe.isDir(root)) {
    out.problems.push(`dataset root ${root} is not a directory (from ${from})`);
    return out;
  }
  let channels: 1 | 3 | undefined;
  let digits = false;
  for (const domain of ['source', 'target'] as const) {
    const tasks = taskNames(h[domain]);
    if (tasks.length === 0) out.problems.push(`the run names no ${domain} task (Namespace ${domain})`);
    for (const task of tasks) {
      const r = resolveTask(probe, dataset ?? '', task, root);
      if (r.channels) channels = channels === undefined || channels === r.channels ? r.channels : 3;
      digits ||= !!r.digits;
      if (r.source) out[domain].push(r.source);
      else out.problems.push(`${domain} task ${task}: no image list found (looked for ${r.tried})`);
    }
  }
  if (channels) out.channels = channels;
  if (digits) out.classNames = DIGIT_CLASS_NAMES;
  return out;
}
