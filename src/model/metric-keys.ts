// Canonical metric keys shared by readers (which map raw names onto them) and rules (which ask for them).

export const KEY = {
  clsAcc: 'train/cls_acc',
  domainAcc: 'train/domain_acc',
  loss: 'train/loss',
  clsLoss: 'train/cls_loss',
  transferLoss: 'train/transfer_loss',
  lr: 'lr',
  grlCoeff: 'grl/coeff',
  valAcc: 'val/acc1',
  valLoss: 'val/loss',
  sourceValAcc: 'val/source_acc1',
} as const;

export type CanonicalKey = (typeof KEY)[keyof typeof KEY];
