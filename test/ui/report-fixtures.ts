// Hand-built Reports for UI tests, with numbers read off the real runs in ../shared/runs (log lines cited).
// Findings and cause confidences are illustrative (ux.md's sketch): the UI renders whatever diagnose decides,
// so these pin what the UI shows for a given Report, not what the rules conclude.
import type { Report, RunReport, SeriesSummary, Finding } from '../../src/report/schema.js';
import { SCHEMA_VERSION } from '../../src/report/schema.js';
import { SHARED_RUNS } from '../helpers/shared.js';

function series(key: string, rawName: string, unit: string, means: number[]): SeriesSummary {
  const finite = means.filter(Number.isFinite);
  return {
    key, rawName, unit, points: means.length,
    first: means[0] ?? null, last: means.at(-1) ?? null,
    min: finite.length ? Math.min(...finite) : null, max: finite.length ? Math.max(...finite) : null,
    nonFinite: means.length - finite.length,
    epochMeans: means.map((mean, epoch) => ({ epoch, mean })),
  };
}

const HYPER = {
  arch: 'lenet_small', bottleneck_dim: 128, trade_off: 1.0, batch_size: 32, lr: 0.01, lr_gamma: 0.001, lr_decay: 0.75,
  epochs: 15, iters_per_epoch: 300, seed: 1, disc_hidden: 1024, disc_batch_norm: false, disc_lr_mult: 1.0, grl_hi: 1.0, grl_max_iters: 1000,
};

/** label_shift/train-2026-11-27-18_38_15.txt: last running average of each epoch (lines 21, 47, ..., 385). */
const LS_CLS = [85.3, 98.6, 99.4, 99.2, 99.2, 99.5, 99.5, 99.7, 99.8, 99.8, 99.7, 99.8, 99.7, 99.8, 99.8];
const LS_DOMAIN = [82.4, 68.8, 61.4, 59.7, 60.3, 58.5, 59.1, 58.7, 56.6, 56.8, 56.3, 56.5, 55.8, 56.0, 56.2];
const LS_LOSS = [0.89, 0.66, 0.71, 0.72, 0.71, 0.71, 0.70, 0.70, 0.70, 0.70, 0.70, 0.70, 0.70, 0.70, 0.70];
/** ` * Acc@1` lines 23, 49, ..., 387 (= truth.json val_acc_per_epoch) */
const LS_VAL = [54.667, 59.556, 59.111, 56.889, 53.778, 57.333, 53.778, 57.778, 54.667, 54.667, 55.111, 53.333, 53.778, 50.222, 52.0];
/** `lr:` lines, one per epoch */
const LS_LR = [0.01, 0.008213769018249545, 0.007029266564879363, 0.006179236241810624, 0.005535833116504121, 0.005029733718731741,
  0.004619888312917149, 0.0042803445529350555, 0.0039938413785795416, 0.003748423974801389, 0.003535533905932738,
  0.00334887284810879, 0.00318369625258112, 0.003036357751812582, 0.0029040058859521123];
/** per-class table of the last epoch, lines 394-403 (= truth.json per_class_target_acc) */
const LS_PER_CLASS: [string, number][] = [
  ['0 - zero', 45.45454788208008], ['1 - one', 30.434782028198242], ['2 - two', 50.0], ['3 - three', 60.869564056396484],
  ['4 - four', 30.434782028198242], ['5 - five', 78.26087188720703], ['6 - six', 100.0], ['7 - seven', 9.090909004211426],
  ['8 - eight', 27.272727966308594], ['9 - nine', 86.36363983154297],
];

const LS_LOG = `${SHARED_RUNS}/label_shift/train-2026-11-27-18_38_15.txt`;

function finding(ruleId: string, severity: Finding['severity'], message: string, evidence: Finding['evidence'], causes: Finding['causes']): Finding {
  return { ruleId, messageId: 'default', severity, message, data: {}, evidence, causes, fingerprint: `fp-${ruleId}` };
}

export function labelShiftRun(): RunReport {
  return {
    id: 'label_shift', path: `${SHARED_RUNS}/label_shift`, formats: ['tllib'], files: [LS_LOG], earlierAttempts: [],
    status: 'finished', algorithm: 'dann', hyperparameters: HYPER, epochsCompleted: 15, itersPerEpoch: 300,
    verdict: 'problems', coverage: { found: ['target accuracy: "Acc@1" (15 values)', 'domain signal: discriminator accuracy "Domain Acc"'], missing: [] },
    // truth.json: source_acc 99.11 (re-evaluated); the log's last Cls Acc average is 99.8
    metrics: { finalSourceAcc: 99.8, finalTargetAcc: 52.0, bestTargetAcc: 59.556, bestEpoch: 1, testAcc: 59.556, finalDomainAcc: 56.2 },
    series: [
      series('train/loss', 'Loss', 'loss', LS_LOSS),
      series('train/cls_acc', 'Cls Acc', 'percent', LS_CLS),
      series('train/domain_acc', 'Domain Acc', 'percent', LS_DOMAIN),
      series('lr', 'lr', 'lr', LS_LR),
      series('val/acc1', 'Acc@1', 'percent', LS_VAL),
    ],
    evaluations: [],
    perClass: [{
      file: LS_LOG, line: 394, endLine: 403, domain: 'target', origin: 'log', epoch: 14, phase: 'val',
      globalCorrect: 52.0, meanCorrect: 51.8, meanIoU: 36.5, rows: LS_PER_CLASS.map(([name, acc]) => ({ name, acc })),
    }],
    checkpoints: [],
    features: { path: `${SHARED_RUNS}/label_shift/features.npz`, arrays: [] },
    findings: [
      // listed info first on purpose: the UI must sort worst first
      finding('oracle-model-selection', 'info', 'best_acc1 59.6 was picked on target labels (epoch 1)', [{ file: LS_LOG, line: 405, observed: 59.6 }], []),
      finding('target-acc-degrading', 'warn', 'target accuracy fell 59.6% -> 52.0% after epoch 1',
        [{ file: LS_LOG, line: 49, endLine: 387, series: 'val/acc1', from: 1, to: 14, unit: 'epoch', observed: 52.0, threshold: 59.556 }],
        ['class-imbalance-or-label-shift', 'conditional-shift']),
      finding('per-class-imbalance', 'error', 'target per-class accuracy 9%..100% (classes 7, 8, 1, 4 below 35%)',
        [{ file: LS_LOG, line: 394, endLine: 403, observed: '9.1..100', threshold: 35, note: 'per-class table, epoch 14' }],
        ['class-imbalance-or-label-shift', 'conditional-shift']),
    ],
    causes: [
      { id: 'class-imbalance-or-label-shift', confidence: 0.78,
        evidence: ['per-class target accuracy spans 9%..100% while source classes are balanced'],
        fixes: ['class-weighted adversarial loss or CDAN+E; estimate target class priors first'],
        experiment: 'retrain with target classes re-balanced: if the spread closes, it was label shift' },
      { id: 'conditional-shift', confidence: 0.31, evidence: ['domain acc settled near chance (56%) yet classes disagree'], fixes: ['CDAN conditioning on predictions'] },
    ],
    notApplicable: [], checked: ['no NaN/Inf in 5 series', 'domain acc 82.4% -> 56.2% (settled near chance)'],
    notChecked: ['features.npz not evaluated (run with --eval)'], notes: [],
  };
}

/** healthy/train-2026-11-27-18_42_29.txt: same extraction as above; truth.json target 85.78, domain 54.69 last epoch. */
export function healthyRun(): RunReport {
  const log = `${SHARED_RUNS}/healthy/train-2026-11-27-18_42_29.txt`;
  const val = [48.889, 59.556, 63.111, 67.556, 72.889, 76.444, 78.222, 76.889, 79.556, 81.778, 82.667, 84.444, 84.889, 84.889, 85.778];
  const dom = [81.6, 68.4, 60.1, 58.4, 58.3, 57.4, 56.7, 54.9, 55.1, 55.0, 54.7, 54.4, 54.3, 54.0, 55.0];
  const cls = [85.8, 98.4, 99.3, 99.4, 99.6, 99.6, 99.7, 99.7, 99.7, 99.8, 99.8, 99.8, 99.8, 99.8, 99.9];
  return {
    ...labelShiftRun(),
    id: 'healthy', path: `${SHARED_RUNS}/healthy`, files: [log],
    hyperparameters: { ...HYPER },
    metrics: { finalSourceAcc: 99.9, finalTargetAcc: 85.778, bestTargetAcc: 85.778, bestEpoch: 14, testAcc: 85.778, finalDomainAcc: 55.0 },
    series: [series('train/cls_acc', 'Cls Acc', 'percent', cls), series('train/domain_acc', 'Domain Acc', 'percent', dom), series('val/acc1', 'Acc@1', 'percent', val)],
    perClass: [], findings: [], causes: [], verdict: 'ok',
    checked: ['domain acc 81.6% -> 55.0%: settled near chance after warm-up', 'target 85.8% vs source-only 49.8% (+36.0)', 'no NaN/Inf'],
    notChecked: ['no per-class table (run with --per-class-eval)'],
  };
}

/** diverged/train-2026-11-27-18_40_00.txt: loss running averages per epoch reach 9.17e10 at epoch 1. */
export function divergedRun(): RunReport {
  const log = `${SHARED_RUNS}/diverged/train-2026-11-27-18_40_00.txt`;
  const loss = [145990213.92, 91730808209.29, 133773203.49, 38922807.82, 3012915.76, 81005.12, 1820.55, 81.87, 50.43, 18.14, 3.12, 3.11, 3.11, 3.10, 3.10];
  const val = [10.222, 10.222, 9.778, 9.778, 9.778, 9.778, 9.778, 10.222, 10.222, 10.222, 10.222, 10.222, 9.778, 10.222, 9.778];
  return {
    ...labelShiftRun(),
    id: 'diverged', path: `${SHARED_RUNS}/diverged`, files: [log],
    hyperparameters: { ...HYPER, lr: 10 },
    metrics: { finalSourceAcc: 9.9, finalTargetAcc: 9.778, bestTargetAcc: 10.222, bestEpoch: 0, testAcc: 10.222, finalDomainAcc: 50.0 },
    series: [series('train/loss', 'Loss', 'loss', loss), series('val/acc1', 'Acc@1', 'percent', val)],
    perClass: [],
    findings: [finding('loss-divergence', 'error', 'loss exploded to 9.17e10 by epoch 1 (lr 10)',
      [{ file: log, series: 'train/loss', from: 0, to: 1, unit: 'epoch', observed: 91730808209.29, threshold: 100 }], ['learning-rate-too-high'])],
    causes: [{ id: 'learning-rate-too-high', confidence: 0.9, evidence: ['lr=10 with SGD momentum 0.9'], fixes: ['lr=10: lower to 0.01'] }],
    checked: [], notChecked: [],
  };
}

export function reportOf(...runs: RunReport[]): Report {
  return { schemaVersion: SCHEMA_VERSION, tool: { name: 'dann-doctor', version: '0.0.0-test' }, generatedAt: '2026-11-27T19:00:00Z', runs, errors: [] };
}
