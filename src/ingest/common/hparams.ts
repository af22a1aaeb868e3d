// Reads Lightning's hparams.yaml (beside metrics.csv or tfevents) into flat hyperparameters.
import { readFileSync } from 'node:fs';
import { loadYaml } from '../lazy-yaml.js';
import { InputError, inputErrorFromFs } from '../input-error.js';
import type { HyperValue } from '../../model/types.js';
import { flattenConfig } from '../config/read-config.js';
import { parseSimpleYaml } from './simple-yaml.js';

/** hparams.yaml files are a few KB; anything far larger is not one (resource guard). */
const MAX_HPARAMS_BYTES = 4 << 20;

/** Nested mappings become dotted keys (`optimizer.lr`); the one flattening every config reader uses. */
export { flattenConfig as flattenHyper } from '../config/read-config.js';

/**
 * Parses hparams.yaml. Lightning writes python objects with `!!python/...` tags for non-plain values; those are read
 * as their string form rather than failing the whole file.
 */
export async function readHparamsYaml(file: string): Promise<Record<string, HyperValue>> {
  let text: string;
  try {
    // sync: a few KB, read in one call (fs/promises' open/stat/read/close round trips cost more than the read)
    const buf = readFileSync(file);
    if (buf.length > MAX_HPARAMS_BYTES) throw new InputError(file, `${buf.length} bytes is too large for an hparams.yaml`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw inputErrorFromFs(file, err);
  }
  // PyYAML's flat dump (the usual hparams.yaml) is read without loading `yaml`; anything else goes to `yaml`
  let doc: unknown = parseSimpleYaml(text);
  if (doc === undefined) {
    try {
      doc = (await loadYaml()).parse(text, { logLevel: 'silent', customTags: [], strict: false, uniqueKeys: false, maxAliasCount: 100 });
    } catch (err) {
      const line = err instanceof (await loadYaml()).YAMLParseError ? err.linePos?.[0]?.line : undefined;
      throw new InputError(file, `not valid YAML: ${(err as Error).message.split('\n')[0]}`, { line });
    }
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(file, 'expected a mapping of hyperparameters');
  return flattenConfig(doc);
}

/** Hyperparameter names that give the planned number of epochs (tllib/argparse, Lightning users, DeepDA). */
const EPOCH_PARAM_NAMES = ['epochs', 'max_epochs', 'num_epochs', 'n_epoch', 'n_epochs', 'trainer.max_epochs'];

/**
 * A metric file has no end marker; when the hyperparameters say how many epochs were planned, the number of epochs
 * that reached validation tells a finished run from one that stopped early. Undefined when they do not say.
 */
export function statusFromPlannedEpochs(
  hparams: Record<string, HyperValue> | undefined,
  epochsValidated: number | undefined,
  file: string,
): { status?: 'finished' | 'incomplete'; note?: { level: 'info'; file: string; message: string } } {
  if (!hparams || epochsValidated === undefined) return {};
  const name = EPOCH_PARAM_NAMES.find((n) => typeof hparams[n] === 'number' && (hparams[n] as number) > 0);
  if (!name) return {};
  const planned = hparams[name] as number;
  if (epochsValidated >= planned) return { status: 'finished', note: { level: 'info', file, message: `status inferred: ${epochsValidated} of ${planned} planned epochs (${name}) reached validation` } };
  return { status: 'incomplete', note: { level: 'info', file, message: `only ${epochsValidated} of ${planned} planned epochs (${name}) reached validation: the run stopped early or is still running` } };
}

