// Config lint: a tiny batch with BatchNorm layers (tllib's bottleneck and discriminator have BN): batch statistics are noise.
import { createRule } from '../src/engine/create-rule.js';
import { HYPER_NAMES, hyperNumber, hyperString, hyperBool } from '../src/facts/hyper.js';

/** torchvision/timm families built with BatchNorm (ViTs and ConvNeXt use LayerNorm and are not listed). */
const BN_BACKBONE = /resnet|resnext|wide_resnet|densenet|efficientnet|mobilenet|regnet|inception|vgg\d+_bn|dtn/i;
import { discriminatorBatchNormOf, hyperEvidence } from '../src/facts/facts.js';

export default createRule({
  meta: {
    id: 'tiny-batch-batchnorm',
    description: 'Batch size below 8 with BatchNorm layers: batch statistics are noise and train/eval behaviour diverges.',
    defaultSeverity: 'warn',
    needs: ['hyperparameters (batch_size)'],
    messages: {
      tiny: '{{setting}} with BatchNorm in {{where}}: BatchNorm normalises over {{perForward}} samples per forward, so its statistics are noise and its running averages do not match training',
    },
    causes: [{ id: 'tiny-batch-batchnorm', weight: 0.8 }],
    fixes: ['batch_size >= 32 (or at least 16)', 'replace BatchNorm with GroupNorm/LayerNorm, or freeze BN statistics (eval mode for BN layers)'],
    options: { minBatch: 8 },
    optionDocs: {
      minBatch: 'BatchNorm estimates a mean and variance per channel from the batch; below ~8 samples the estimates are dominated by noise (Wu & He, Group Normalization, 2018, show BN error rising sharply below 8).',
    },
  },
  check({ run, options, report }) {
    const b = hyperNumber(run, HYPER_NAMES.batchSize);
    if (!b) return { notApplicable: 'batch size not logged' };
    if (b.value >= options.minBatch) return;
    const where: string[] = [];
    if (run.checkpoints.some((c) => c.facts.bottleneckBatchNorm)) where.push('the bottleneck (checkpoint)');
    else if (run.formats.includes('tllib') && ['dann', 'cdan', 'jan', 'bsp', 'adda', 'mdd'].includes(run.algorithm)) where.push("the bottleneck (tllib's Linear-BN-ReLU)");
    const arch = hyperString(run, ['arch', 'backbone', 'model', 'architecture'])?.value;
    if (arch && BN_BACKBONE.test(arch) && !hyperBool(run, ['freeze_bn', 'frozen_bn', 'bn_eval'])?.value) where.push(`the backbone (${arch} BatchNorm layers)`);
    const dbn = discriminatorBatchNormOf(run);
    if (dbn?.value) where.push(`the discriminator (${dbn.from})`);
    else if (!dbn && run.formats.includes('tllib') && ['dann', 'cdan', 'bsp'].includes(run.algorithm)) where.push("the discriminator (tllib default batch_norm=True)");
    if (where.length === 0) return { notApplicable: `${b.name}=${b.value}, but no BatchNorm layer is known in this model` };
    // DANN-style scripts forward source and target together, so BN sees 2B samples per forward.
    const joint = ['dann', 'cdan', 'jan', 'dan', 'bsp', 'mdd'].includes(run.algorithm);
    report({
      messageId: 'tiny',
      data: { setting: `${b.name}=${b.value}`, where: where.join(' and '), perForward: joint ? `${2 * b.value} (source + target)` : String(b.value) },
      evidence: [hyperEvidence(run, b.value, `>= ${options.minBatch}`, b.name)],
    });
  },
});
