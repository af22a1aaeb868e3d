// Concrete fixes per cause, written with this run's own hyperparameter values.
import type { Run } from '../model/types.js';
import type { CauseId, Finding } from '../report/schema.js';
import { HYPER_NAMES, hyperNumber, hyperString, showHyper } from '../facts/hyper.js';
import { discriminatorBatchNormOf, grlScheduleOf, grlSwitchOf, totalIterationsOf, fmt } from '../facts/facts.js';
import { grlCoefficient } from '../signals/grl-schedule.js';

/** tllib's DANN/CDAN defaults: the values a fix points back to. */
const DEFAULT_TRADE_OFF = 1.0;
/** As the user would type it in a Python config. */
const DEFAULT_TRADE_OFF_TEXT = DEFAULT_TRADE_OFF.toFixed(1);
const DEFAULT_SGD_LR = 0.01;
const DEFAULT_ADAM_LR = 1e-4;
const DEFAULT_DISC_HIDDEN = 1024;
const MIN_BN_BATCH = 32;

export function fixesFor(id: CauseId, run: Readonly<Run>, findings: readonly Finding[]): string[] {
  const tradeOff = hyperNumber(run, HYPER_NAMES.tradeOff);
  const lr = hyperNumber(run, HYPER_NAMES.lr);
  const mult = hyperNumber(run, HYPER_NAMES.discLrMult);
  const hidden = hyperNumber(run, HYPER_NAMES.discHidden);
  const batch = hyperNumber(run, HYPER_NAMES.batchSize);
  const grlHi = hyperNumber(run, HYPER_NAMES.grlHi);
  const opt = hyperString(run, HYPER_NAMES.optimizer)?.value ?? '';
  const out: string[] = [];
  switch (id) {
    case 'discriminator-too-strong': {
      const bn = discriminatorBatchNormOf(run);
      if (bn?.value) out.push(`${bn.from} -> DomainDiscriminator(batch_norm=False)`);
      else if (!bn && run.formats.includes('tllib')) out.push('discriminator BatchNorm not logged (tllib DomainDiscriminator default batch_norm=True) -> DomainDiscriminator(batch_norm=False)');
      if (hidden && hidden.value > DEFAULT_DISC_HIDDEN) out.push(`${showHyper(hidden)} -> ${DEFAULT_DISC_HIDDEN} (tllib scripts)`);
      if (mult && mult.value > 1) out.push(`${showHyper(mult)} -> 1.0`);
      const steps = hyperNumber(run, HYPER_NAMES.discSteps);
      if (steps && steps.value > 1) out.push(`${showHyper(steps)} -> 1`);
      if (tradeOff && tradeOff.value < DEFAULT_TRADE_OFF) out.push(`${showHyper(tradeOff)} -> try ${DEFAULT_TRADE_OFF_TEXT} (stronger reversal)`);
      if (out.length === 0) out.push('weaken the discriminator: no BatchNorm, hidden 1024, lr multiplier 1.0; or raise trade_off');
      break;
    }
    case 'grl-coefficient-too-low': {
      if (tradeOff && tradeOff.value < DEFAULT_TRADE_OFF) out.push(`${showHyper(tradeOff)} -> try ${DEFAULT_TRADE_OFF_TEXT}`);
      if (grlHi && grlHi.value < 1) out.push(`${showHyper(grlHi)} -> 1.0`);
      const sw = grlSwitchOf(run);
      if (sw && sw.hiAfter < sw.hiBefore) out.push(`${sw.text}: the reversal drops to ${sw.hiAfter} mid-run -> keep hi at ${sw.hiBefore} (remove the switch)`);
      const s = grlScheduleOf(run);
      const total = totalIterationsOf(run);
      if (s && total) {
        const reached = (grlCoefficient(total.value, s) - s.lo) / (s.hi - s.lo || 1);
        if (reached < 0.9) out.push(`the GRL reaches only ${fmt(reached, 2)} of its maximum in ${total.value} iterations -> train longer (>= ${Math.ceil((2 * s.maxIters * Math.atanh(0.9)) / s.alpha / 1000) * 1000 + 2000} iterations) or shorten the ramp (max_iters ${s.maxIters} -> ${Math.max(100, Math.round(s.maxIters / 4))})`);
      }
      if (out.length === 0) out.push('raise trade_off toward 1.0 and check the GRL coefficient reaches its maximum');
      break;
    }
    case 'trade-off-too-high': {
      const sw = grlSwitchOf(run);
      if (sw && sw.hiAfter > sw.hiBefore) out.push(`${sw.text}: the reversal jumps to ${sw.hiAfter} mid-run -> keep hi at ${sw.hiBefore}`);
      out.push(tradeOff ? `${showHyper(tradeOff)} -> try ${tradeOff.value > DEFAULT_TRADE_OFF ? DEFAULT_TRADE_OFF_TEXT : fmt(tradeOff.value / 3, 2)} (then tune in 0.1-1)` : 'lower the adversarial weight (trade_off) 3-10x');
      break;
    }
    case 'learning-rate-too-high': {
      const adam = /adam/i.test(opt);
      const target = adam ? DEFAULT_ADAM_LR : DEFAULT_SGD_LR;
      if (lr && lr.value > target) out.push(`${showHyper(lr)} -> ${target} (${adam ? 'Adam' : 'tllib DANN SGD default'})`);
      else out.push(lr ? `${showHyper(lr)} -> ${fmt(lr.value / 10, 6)} (10x lower)` : 'lower the learning rate 10x');
      out.push('clip gradients (torch.nn.utils.clip_grad_norm_(params, 5.0))');
      break;
    }
    case 'learning-rate-mismatch':
      if (mult && mult.value !== 1) out.push(`${showHyper(mult)} -> 1.0 (discriminator at the head's lr)`);
      else out.push('give the discriminator the same lr as the bottleneck/head (lr multiplier 1.0), the backbone 0.1x');
      break;
    case 'class-imbalance-or-label-shift': {
      const pc = findings.find((f) => f.ruleId === 'per-class-imbalance');
      const low = pc?.data.low && pc.data.low !== 'none' ? ` (classes ${pc.data.low} left behind)` : '';
      out.push(`estimate the target class priors from predictions (BBSE) and compare with the source${low}`);
      out.push('class-weighted / importance-weighted adversarial loss (IWDAN) or CDAN+E instead of marginal DANN alignment');
      break;
    }
    case 'conditional-shift':
      out.push('condition the discriminator on predictions (CDAN, CDAN+E) or add a class-aware term (MCC)');
      break;
    case 'label-space-mismatch':
      out.push('check the target classes are a subset of the source classes; for partial DA use PADA/ETN-style class weighting');
      break;
    case 'tiny-batch-batchnorm':
      out.push(batch ? `${showHyper(batch)} with BatchNorm -> >= ${MIN_BN_BATCH}` : `batch size >= ${MIN_BN_BATCH} with BatchNorm`);
      out.push('or replace BatchNorm with GroupNorm / freeze BN statistics');
      break;
    case 'discriminator-not-learning': {
      const pinned = findings.find((f) => f.ruleId === 'domain-acc-at-chance' && f.messageId === 'pinned');
      if (pinned && /BCE/.test(pinned.message)) {
        out.push(`the discriminator sigmoid saturated (loss at the BCE clamp) -> ${mult && mult.value > 1 ? `${showHyper(mult)} -> 1.0, ` : ''}compute the loss with BCEWithLogits on logits, clip gradients`);
      }
      out.push('check the discriminator receives the features through the GRL (not detached) and is in the optimizer');
      if (tradeOff && tradeOff.value > DEFAULT_TRADE_OFF) out.push(`${showHyper(tradeOff)} -> ${DEFAULT_TRADE_OFF_TEXT}: a reversal at full strength from step 0 can keep it at chance`);
      break;
    }
    case 'insufficient-capacity-or-underfit':
      out.push(tradeOff ? `train source-only (${tradeOff.name}=0) and check the source fits; then restore ${showHyper(tradeOff)}` : 'train source-only first and check the source fits');
      out.push('train longer or use a larger / pretrained backbone');
      break;
    case 'crash': {
      const c = run.crash;
      // resume only from a checkpoint that exists; otherwise say to rerun
      const latest = run.checkpoints.find((k) => /(^|\/)latest\.pth$/.test(k.path)) ?? run.checkpoints.at(-1);
      const resume = latest ? `resume from ${latest.path.split('/').slice(-2).join('/')}` : 'rerun (no checkpoint was saved to resume from)';
      if (c && isOutOfMemory(c)) {
        const half = batch && batch.value >= 2 ? Math.floor(batch.value / 2) : undefined;
        out.push(batch ? `GPU out of memory at ${showHyper(batch)}: lower it (${batch.name}=${half}) and keep the effective batch with gradient accumulation (${batch.value / (half ?? 1)} steps)` : 'GPU out of memory: lower the batch size and keep the effective batch with gradient accumulation');
        out.push('or train in mixed precision (torch.cuda.amp autocast + GradScaler), which roughly halves activation memory');
        out.push(`then ${resume}`);
        break;
      }
      out.push(c ? `fix the ${c.type} at ${c.file}${c.line !== undefined ? `:${c.line}` : ''} and ${resume}` : `find why the job stopped (scheduler/OOM logs) and ${resume}`);
      break;
    }
  }
  return out;
}

/** A CUDA / PyTorch / TF out-of-memory exception (by its type or its message). */
export function isOutOfMemory(c: { type: string; message: string }): boolean {
  return /OutOfMemory|ResourceExhausted/i.test(c.type) || /out of memory|CUBLAS_STATUS_ALLOC_FAILED|OOM when allocating/i.test(c.message);
}
