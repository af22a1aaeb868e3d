// Words people use in metric names, grouped by what they mean (../shared/docs/logging-conventions.md, checked
// against real runs). Each set answers one question about one token; role inference combines the answers.

const set = (...w: string[]): ReadonlySet<string> => new Set(w);

/** the labelled domain (`x` is Dassl's labelled batch: `loss_x`, `acc_x`) */
export const SOURCE_WORDS = set('src', 'source', 's', 'labeled', 'labelled', 'sup', 'supervised', 'x');
/** the domain we adapt to (`test`/`val` are splits, handled separately) */
export const TARGET_WORDS = set('tgt', 'target', 't', 'trg', 'tar', 'unlabeled', 'unlabelled', 'adapt', 'adaptation', 'uda', 'u');
/** the domain discriminator / adversarial branch */
export const DISCRIMINATOR_WORDS = set('domain', 'dom', 'disc', 'discriminator', 'd', 'adv', 'adversarial', 'critic', 'dis');
/** discrepancy / transfer terms: a transfer loss without a discriminator */
export const TRANSFER_WORDS = set('transfer', 'trans', 'da', 'mmd', 'coral', 'lmmd', 'jmmd', 'cmd', 'mdd', 'wasserstein', 'align', 'alignment', 'bnm', 'daan');
export const ACCURACY_WORDS = set('acc', 'accuracy', 'acc1', 'top1', 'accu', 'precision', 'correct', 'prec1', 'prec');
/** accuracy words that are evaluation conventions (top-k; old DA code prints test accuracy as "precision"): validation when no split is named */
export const EVAL_ACCURACY_WORDS = set('acc1', 'top1', 'prec1', 'precision');
export const ERROR_WORDS = set('err', 'error', 'errors');
export const CLASS_WORDS = set('cls', 'class', 'ce', 'clf', 'classification', 'classifier', 'nll', 'label', 'xent', 'crossentropy', 'c', 'cross');
export const TOTAL_WORDS = set('total', 'all', 'overall', 'sum', 'full');
export const LOSS_WORDS = set('loss', 'losses', 'cost', 'objective');
export const LR_WORDS = set('lr', 'learningrate');
export const GRL_WORDS = set('grl', 'coeff', 'coef', 'lambda', 'lamb', 'alpha');
export const TRADE_OFF_WORDS = set('tradeoff', 'trade', 'weight');
export const ENTROPY_WORDS = set('ent', 'entropy', 'im', 'div', 'diversity');
/** per-class summary metrics: F1, recall, macro/micro averages (`precision macro` is one of these, not an accuracy) */
export const F1_WORDS = set('f1', 'macro', 'micro', 'weighted', 'fscore', 'recall', 'auc', 'iou', 'miou');
export const TRAIN_WORDS = set('train', 'training', 'tr', 'fit');
export const VAL_WORDS = set('val', 'valid', 'validation', 'dev');
export const TEST_WORDS = set('test', 'testing', 'eval', 'evaluation', 'tst');
/** resources and bookkeeping: never training signals */
export const RESOURCE_WORDS = set('mem', 'memory', 'gb', 'mb', 'time', 'runtime', 'seconds', 'sec', 'throughput', 'gpu', 'timestamp', 'samples', 'sps', 'fps', 'eta', 'data');
/** pseudo-label accuracies (SHOT's `Accuracy = a% -> b%` before/after clustering): about the target, but not the model's */
export const PSEUDO_WORDS = set('before', 'after', 'pseudo', 'pl', 'cluster', 'clustering', 'plabel');
/** post-training analysis (tllib's A-distance probe): not a training signal */
export const ANALYSIS_WORDS = set('analysis', 'anet', 'adist', 'a_distance', 'probe');
export const PLACEHOLDER_NAMES = set('hp_metric', '_step', '_runtime', '_timestamp');
export const EPOCH_COUNTER_NAMES = set('epoch', 'step', 'iteration', 'iter', 'global_step', 'trainer/global_step');
