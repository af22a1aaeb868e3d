// Tests for format detection: content first (whatever the name), then name, and the --format-hint override.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, READERS, readerForFormat } from '../../src/ingest/detect.js';
import { InputError } from '../../src/ingest/input-error.js';
import { FIXTURES, SHARED_RUNS, SHARED_REAL_LOGS, hasShared, trainLogOf } from '../helpers/shared.js';

const at = (...p: string[]) => join(FIXTURES, ...p);

test('every reader is registered once, tllib included', () => {
  const formats = READERS.map((r) => r.format);
  assert.equal(new Set(formats).size, formats.length);
  for (const f of ['tllib', 'tfevents', 'mlflow', 'csv', 'jsonl', 'deepda-log', 'dassl-log', 'keras-log']) assert.ok(formats.includes(f as never), f);
});

test('each fixture is detected as its format', async () => {
  const cases: [string, string][] = [
    [at('tfevents', 'encodings', 'events.out.tfevents.1764269000.fixturehost.4242.0'), 'tfevents'],
    [at('mlflow', 'mlruns', '0', '6f1c2b7e9a0d4c3f8e5b1a2d3c4e5f60'), 'mlflow'],
    [at('mlflow', 'mlruns', '0', '6f1c2b7e9a0d4c3f8e5b1a2d3c4e5f60', 'meta.yaml'), 'mlflow'],
    [join(SHARED_RUNS, 'healthy_lightning', 'metrics.csv'), 'csv'],
    [at('csv', 'train_log.csv'), 'csv'],
    [at('jsonl', 'wandb_history.jsonl'), 'jsonl'],
    [at('textlogs', 'deepda_DANN_clean2rotated.txt'), 'deepda-log'],
    [at('textlogs', 'dassl_log.txt'), 'dassl-log'],
    [at('textlogs', 'adapt_keras_console.txt'), 'keras-log'],
    [trainLogOf(join(SHARED_RUNS, 'healthy')), 'tllib'],
    [trainLogOf(join(SHARED_REAL_LOGS, 'dh-a2w-2ep')), 'tllib'],
  ];
  for (const [file, want] of cases) assert.equal((await detectFormat(file))?.format, want, file);
});

test('content wins over a misleading name; the name helps only when content is not decisive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dd-detect-'));
  try {
    copyFileSync(at('tfevents', 'encodings', 'events.out.tfevents.1764269000.fixturehost.4242.0'), join(dir, 'metrics.csv'));
    assert.equal((await detectFormat(join(dir, 'metrics.csv')))?.format, 'tfevents');
    copyFileSync(at('textlogs', 'dassl_log.txt'), join(dir, 'train.jsonl'));
    assert.equal((await detectFormat(join(dir, 'train.jsonl')))?.format, 'dassl-log');
    writeFileSync(join(dir, 'runs.csv'), 'a,b\n1,2\n'); // header says nothing; the .csv name decides
    assert.equal((await detectFormat(join(dir, 'runs.csv')))?.format, 'csv');
    writeFileSync(join(dir, 'notes.txt'), 'just some prose\n');
    assert.equal(await detectFormat(join(dir, 'notes.txt')), null);
    assert.equal(await detectFormat(dir), null); // a plain directory
    await assert.rejects(detectFormat(join(dir, 'missing')), InputError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--format-hint overrides detection; CSV flavours all map to the CSV reader', async () => {
  assert.equal((await detectFormat(at('textlogs', 'dassl_log.txt'), 'keras-log'))?.format, 'keras-log');
  assert.equal(readerForFormat('lightning-csv')?.format, 'csv');
  assert.equal(readerForFormat('deepda-csv')?.format, 'csv');
  assert.equal(readerForFormat('unknown'), undefined);
  assert.equal((await detectFormat(at('jsonl', 'wandb_history.jsonl'), 'unknown'))?.format, 'jsonl');
});
