// Tests for metric-name splitting: camelCase / acronym boundaries, and linear time on long capital runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../src/understand/tokens.js';

test('camelCase, PascalCase and acronym boundaries split into lower-case words', () => {
  assert.deepEqual(tokenize('trainSrcAcc'), ['train', 'src', 'acc']);
  assert.deepEqual(tokenize('GRLCoeff'), ['grl', 'coeff']);
  assert.deepEqual(tokenize('HTTPServerURLParser'), ['http', 'server', 'url', 'parser']);
  assert.deepEqual(tokenize('ABCdEFg'), ['ab', 'cd', 'e', 'fg']);
  assert.deepEqual(tokenize('Domain_acc'), ['domain', 'acc']);
  assert.deepEqual(tokenize('Acc@1'), ['acc', '1']);
  assert.deepEqual(tokenize('val/loss'), ['val', 'loss']);
});

test('a long run of capitals stays one word, then the split goes on', () => {
  const caps = 'S'.repeat(50_000);
  assert.deepEqual(tokenize(`${caps}_step`), [caps.toLowerCase(), 'step']);
  assert.deepEqual(tokenize(`${caps}Loss`), [caps.toLowerCase(), 'loss']);
});
