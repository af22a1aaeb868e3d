// Which adaptation algorithm a run used, and where that came from: a config key (`algorithm`, `method`, `model.name`,
// `MODEL.NAME`, DeepDA's `transfer_loss` ...), the reader (the log's own structure), the folder names (`dann/`,
// `adda/`), or — as a last resort — the series it logs. A framework name (Dassl, DeepDA, DomainBed) is not an algorithm.
import type { Algorithm, HyperValue, Run } from '../model/types.js';
import { KEY } from '../model/metric-keys.js';
import { HYPER_NAMES, hyperLookup } from './hyper-aliases.js';
import { tokenize } from './tokens.js';

/**
 * The note a reader adds when it assumed DANN from the series (metric-aliases.ts guessAlgorithm); detectAlgorithm
 * below reads it to tell a guess from the reader's own finding.
 */
export const ASSUMED_DANN_NOTE = 'no algorithm named in the hyperparameters; assumed DANN-style (a discriminator accuracy is logged)';

export interface AlgorithmSource {
  /** the algorithm as the run names it (e.g. "CDAN+E", "NCI") */
  name: string;
  from: 'config' | 'log' | 'folder' | 'series';
  /** which key, file or folder */
  detail: string;
}

/** Spellings of the algorithms dann-doctor knows (lower case, no separators). */
const ALGORITHM_WORDS: Record<string, Algorithm> = {
  dann: 'dann', revgrad: 'dann', grl: 'dann', adv: 'dann', cdan: 'cdan', cdane: 'cdan', 'cdan+e': 'cdan', mdd: 'mdd', erm: 'erm',
  sourceonly: 'erm', srconly: 'erm', source: 'erm', baseline: 'erm', dan: 'dan', mmd: 'dan', jan: 'jan', mcd: 'mcd', adda: 'adda', afn: 'afn',
  bsp: 'bsp', mcc: 'mcc', fixmatch: 'fixmatch', selfensemble: 'self_ensemble', selfensembling: 'self_ensemble', ccloss: 'cc_loss',
  coral: 'coral', deepcoral: 'coral', shot: 'shot',
};
/** Tool and framework names: they say what wrote the run, not how it adapted. */
export const FRAMEWORK_WORDS = new Set(['dassl', 'deepda', 'domainbed', 'tllib', 'transferlearninglibrary', 'lightning', 'pytorchlightning', 'keras', 'mmengine', 'detectron2', 'timm', 'wandb', 'mlflow']);
/** Algorithms that train a domain discriminator through adversarial loss: they need a domain signal to be judged. */
export const ADVERSARIAL: ReadonlySet<Algorithm> = new Set<Algorithm>(['dann', 'cdan', 'mdd', 'adda', 'bsp']);

/** Config keys that name the algorithm, beyond the alias table's `algorithm`/`method`: nested model/trainer names. */
const NESTED_ALGORITHM_KEYS = ['model.name', 'trainer.name', 'model.method', 'da.method', 'adapt.method', 'transfer_loss', 'loss.transfer'];

function squash(s: string): string {
  return s.trim().toLowerCase().replace(/[\s_\-./]/g, '');
}

/** The known algorithm a spelling names ('CDAN+E' -> cdan, 'source_only' -> erm), 'framework', or undefined. */
export function algorithmOfWord(word: string): Algorithm | 'framework' | undefined {
  const w = squash(word);
  if (FRAMEWORK_WORDS.has(w)) return 'framework';
  if (ALGORITHM_WORDS[w]) return ALGORITHM_WORDS[w];
  const plus = w.split('+')[0];
  return ALGORITHM_WORDS[plus];
}

function fromConfig(hp: Readonly<Record<string, HyperValue>>): { algorithm: Algorithm; source: AlgorithmSource } | undefined {
  const tries: { name: string; value: HyperValue }[] = [];
  const direct = hyperLookup(hp, HYPER_NAMES.algorithm);
  if (direct) tries.push(direct);
  const lower = new Map(Object.keys(hp).map((k) => [k.toLowerCase(), k]));
  for (const k of NESTED_ALGORITHM_KEYS) {
    const real = lower.get(k);
    if (real !== undefined) tries.push({ name: real, value: hp[real] });
  }
  for (const t of tries) {
    if (typeof t.value !== 'string' || t.value.trim() === '') continue;
    const hit = algorithmOfWord(t.value);
    if (hit === 'framework') continue;
    // a named algorithm dann-doctor has no model of (e.g. "NCI") is still the run's algorithm: 'other'
    return { algorithm: hit ?? 'other', source: { name: t.value.trim(), from: 'config', detail: `config key ${t.name}` } };
  }
  // Any other key that reads like "the adaptation method" (adv_loss, alignment_type, uda_method, da_loss ...): only a
  // value that names a known algorithm counts there, since such keys also hold plain loss names ("bce", "mse").
  for (const [name, value] of Object.entries(hp)) {
    if (typeof value !== 'string' || !isMethodKey(name)) continue;
    const hit = algorithmOfWord(value);
    if (hit && hit !== 'framework') return { algorithm: hit, source: { name: value.trim(), from: 'config', detail: `config key ${name}` } };
  }
  return undefined;
}

/** Words that say a setting is about the adaptation (the first half) and that it names a kind (the second half). */
const METHOD_SUBJECT = new Set(['transfer', 'adapt', 'adaptation', 'da', 'uda', 'align', 'alignment', 'adv', 'adversarial', 'domain']);
const METHOD_KIND = new Set(['loss', 'method', 'type', 'name', 'mode', 'algo', 'algorithm', 'kind']);

/** `transfer_loss`, `adv_loss`, `da.method`, `alignmentType`: a subject word and a kind word among the key's tokens. */
function isMethodKey(key: string): boolean {
  const toks = tokenize(key);
  return toks.some((t) => METHOD_SUBJECT.has(t)) && toks.some((t) => METHOD_KIND.has(t));
}

/** Folder names from the run's path, deepest first: `logs/cdan/Office31_A2W` says CDAN. */
function fromFolders(path: string): { algorithm: Algorithm; source: AlgorithmSource } | undefined {
  const parts = path.split(/[\\/]/).filter(Boolean).reverse();
  for (const part of parts) {
    const squashed = algorithmOfWord(part);
    if (squashed && squashed !== 'framework') return { algorithm: squashed, source: { name: part, from: 'folder', detail: `folder "${part}"` } };
    for (const tok of tokenize(part)) {
      // one-letter and generic words inside a longer folder name are too weak ("source" in "source_only" is handled whole)
      if (tok === 'source' || tok === 'adv' || tok === 'grl' || tok === 'baseline' || tok === 'mmd') continue;
      const hit = ALGORITHM_WORDS[tok];
      if (hit) return { algorithm: hit, source: { name: tok, from: 'folder', detail: `folder "${part}"` } };
    }
    if (/source[_-]?only|src[_-]?only/i.test(part)) return { algorithm: 'erm', source: { name: part, from: 'folder', detail: `folder "${part}"` } };
  }
  return undefined;
}

/**
 * Decides the run's algorithm (in place) and returns where it came from. Order: an explicit config key, then what the
 * reader found in the log itself, then folder names, then a discriminator accuracy in the series (assumed DANN-style).
 */
export function detectAlgorithm(run: Run): AlgorithmSource | undefined {
  const cfg = fromConfig(run.hyperparameters);
  if (cfg) {
    run.algorithm = cfg.algorithm;
    return cfg.source;
  }
  const guessed = run.notes.some((n) => n.message === ASSUMED_DANN_NOTE);
  if (run.algorithm !== 'unknown' && run.algorithm !== 'deepda' && run.algorithm !== 'dassl' && !(guessed && run.algorithm === 'dann')) {
    return { name: run.algorithm, from: 'log', detail: `the ${run.formats.join('/')} reader` };
  }
  const framework = run.algorithm === 'deepda' || run.algorithm === 'dassl' ? run.algorithm : undefined;
  const dir = run.path;
  const folder = fromFolders(dir);
  if (folder) {
    run.algorithm = folder.algorithm;
    if (guessed) run.notes = run.notes.filter((n) => n.message !== ASSUMED_DANN_NOTE);
    return folder.source;
  }
  if (framework) {
    run.algorithm = 'unknown';
    run.notes.push({ level: 'info', file: run.path, message: `written by ${framework === 'deepda' ? 'DeepDA' : 'Dassl'} (a framework, not an algorithm); the algorithm is not named` });
  }
  if (run.series[KEY.domainAcc]) {
    run.algorithm = 'dann';
    if (!guessed) run.notes.push({ level: 'info', file: run.series[KEY.domainAcc].file, message: ASSUMED_DANN_NOTE });
    return { name: 'DANN-style', from: 'series', detail: `assumed: a discriminator accuracy ("${run.series[KEY.domainAcc].rawName}") is logged` };
  }
  return undefined;
}
