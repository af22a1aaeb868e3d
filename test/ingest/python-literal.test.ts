// Tests for the Python-literal parser and the Namespace(...) splitter, on real headers and on the reprs Python prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { literalOrSource, parseNamespace, parsePythonLiteral, parsePythonNumber, PythonLiteralError } from '../../src/ingest/common/python-literal.js';
import { SHARED_REAL_LOGS, SHARED_RUNS, hasShared, trainLogOf } from '../helpers/shared.js';
import type { HyperValue } from '../../src/model/types.js';

const firstLine = (file: string): string => readFileSync(file, 'utf8').split('\n')[0];

test('literals: the value each Python repr stands for', () => {
  const cases: [string, HyperValue][] = [
    ["'resnet50'", 'resnet50'],
    ['"it\'s"', "it's"],
    ["'it\\'s'", "it's"],
    ["'a\\nb\\t\\\\c'", 'a\nb\t\\c'],
    ["'\\x41\\u00e9\\U0001F600'", 'Aé😀'],
    ["'caf\\xe9'", 'café'],
    ["r'C:\\new'", 'C:\\new'],
    ["b'bytes'", 'bytes'],
    ["''", ''],
    ['32', 32],
    ['-3', -3],
    ['0.01', 0.01],
    ['1e-05', 1e-5],
    ['5e-4', 5e-4],
    ['1.3333333333333333', 1.3333333333333333],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['True', true],
    ['False', false],
    ['None', null],
    ["['A']", ['A']],
    ["['A', 'D']", ['A', 'D']],
    ['[0.08, 1.0]', [0.08, 1.0]],
    ['(0.485, 0.456, 0.406)', [0.485, 0.456, 0.406]],
    ['(1,)', [1]],
    ['(1)', 1],
    ['()', []],
    ['[]', []],
    ["[[1, 2], ('x', None), []]", [[1, 2], ['x', null], []]],
    ['[1, 2, ]', [1, 2]],
    // unknown constructs keep their source text
    ["device(type='cuda')", "device(type='cuda')"],
    ['PIL.Image.BILINEAR', 'PIL.Image.BILINEAR'],
    ["[device(type='cuda', index=0), 1]", ["device(type='cuda', index=0)", 1]],
    ['<function relu at 0x7f>', '<function relu at 0x7f>'],
    ["{'a': 1, 'b': [2]}", "{'a': 1, 'b': [2]}"],
    ['1j', '1j'],
  ];
  for (const [src, want] of cases) assert.deepEqual(parsePythonLiteral(src), want, src);
  assert.ok(Number.isNaN(parsePythonLiteral('nan')));
});

test('literals: broken text throws PythonLiteralError with an offset; literalOrSource keeps the text instead', () => {
  for (const bad of ["'unterminated", '[1, 2', '(1, 2', "'a' 'b' x", '[1 2]', '']) {
    assert.throws(() => parsePythonLiteral(bad), PythonLiteralError, bad);
    assert.equal(literalOrSource(bad), bad.trim());
  }
  assert.throws(() => parsePythonLiteral('['.repeat(10_000)), PythonLiteralError, 'deep nesting is refused, not a stack overflow');
});

test('parsePythonNumber: the number forms repr and argparse produce', () => {
  const cases: [string, number | undefined][] = [
    ['0.001', 0.001], ['1e-05', 1e-5], ['-2.5E+3', -2500], ['1_000', 1000], ['0x10', 16], ['.5', 0.5], ['7.', 7],
    ['inf', Infinity], ['-inf', -Infinity], ['abc', undefined], ['', undefined], ['1.2.3', undefined], ['--1', undefined],
  ];
  for (const [s, want] of cases) assert.equal(parsePythonNumber(s), want, s);
});

test('parseNamespace: splits only at top-level ", name=" (commas and "=" inside strings and lists stay put)', () => {
  const ns = parseNamespace("Namespace(a='x, y=1', b=[1, 2], c=(3, 4), d='q=(', e=None, f=device(type='cuda', index=0), g=1e-05)");
  assert.deepEqual(ns, { a: 'x, y=1', b: [1, 2], c: [3, 4], d: 'q=(', e: null, f: "device(type='cuda', index=0)", g: 1e-5 });
  assert.deepEqual(parseNamespace('Namespace()'), {});
  assert.deepEqual(parseNamespace('lr=0.1, wd=5e-4'), { lr: 0.1, wd: 5e-4 }, 'the inside alone is accepted too');
  assert.equal(parseNamespace('Namespace(lr=0.1'), undefined, 'cut header');
  assert.equal(parseNamespace('Namespace(not an assignment)'), undefined);
  assert.deepEqual(parseNamespace('Namespace(cmp=a==b, x=1)'), { cmp: 'a==b', x: 1 }, "'==' does not start a new argument");
});

test('parseNamespace: the py>=3.9 header of the unmodified dann.py log (dh-a2w-2ep), values read off the file', () => {
  const ns = parseNamespace(firstLine(resolve(SHARED_REAL_LOGS, 'dh-a2w-2ep/train-2023-03-26-19_51_41.txt')));
  assert.ok(ns);
  assert.equal(Object.keys(ns).length, 31);
  assert.equal(Object.keys(ns)[0], 'root', 'definition order is kept');
  assert.deepEqual(ns.source, ['A']);
  assert.deepEqual(ns.target, ['W']);
  assert.deepEqual(ns.scale, [0.08, 1.0]);
  assert.deepEqual(ns.ratio, [0.75, 1.3333333333333333]);
  assert.deepEqual(ns.norm_mean, [0.485, 0.456, 0.406]);
  assert.equal(ns.batch_size, 16);
  assert.equal(ns.lr, 0.01);
  assert.equal(ns.lr_gamma, 0.001);
  assert.equal(ns.weight_decay, 0.001);
  assert.equal(ns.no_hflip, false);
  assert.equal(ns.epochs, 2);
  assert.equal(ns.iters_per_epoch, 1000);
  assert.equal(ns.log, 'logs/dann/Office31_A2W');
  assert.equal(ns.phase, 'train');
});

test('parseNamespace: the sorted py3.7 header of the dao fork and the fork args of dh-digits and the shared runs', () => {
  const dao = parseNamespace(firstLine(resolve(SHARED_REAL_LOGS, 'dao-dan-l1/train-2023-10-01-14_05_16.txt')));
  assert.ok(dao);
  assert.equal(Object.keys(dao).length, 30);
  assert.equal(dao.seed, null);
  assert.equal(dao.subset, '3', 'a quoted number stays a string');
  assert.equal(dao.wd, 0.0005);
  assert.equal(dao.per_class_eval, true);
  assert.equal(dao.log, 'Result/DAN/Byte_512/MKMMD/Test_3/Lambda_1/');

  const digits = parseNamespace(firstLine(resolve(SHARED_REAL_LOGS, 'dh-digits-b1-b/train-2023-04-19-10_04_13.txt')));
  assert.ok(digits);
  assert.equal(digits.download_dataset_only, 'False', "the fork passes booleans as strings: 'False' is kept as written");
  assert.equal(digits.channel, 3);
  assert.match(String(digits.condensed_data_path), /res_DC_pre_processed_mnist_ConvNet_10ipc\.pt$/);

  const healthy = parseNamespace(firstLine(trainLogOf(resolve(SHARED_RUNS, 'healthy'))));
  assert.ok(healthy);
  assert.equal(Object.keys(healthy).length, 45);
  assert.equal(healthy.grl_switch_iter, null);
  assert.equal(healthy.disc_batch_norm, false);
  assert.deepEqual(healthy.norm_mean, [0.5]);
  assert.equal(healthy.shift_order, '');
  assert.equal(healthy.target_rotation, 35.0);
});
