// Config lint: the domain discriminator uses BatchNorm (tllib's DomainDiscriminator default), which makes it stronger.
import { createRule } from '../src/engine/create-rule.js';
import { KEY } from '../src/model/metric-keys.js';
import { HYPER_NAMES, hyperNumber } from '../src/facts/hyper.js';
import { hasDiscriminator, discriminatorBatchNormOf, epochMeansOf, seriesOf, postWarmupEpochs, hyperEvidence, epochEvidence, fmt } from '../src/facts/facts.js';

export default createRule({
  meta: {
    id: 'discriminator-batchnorm',
    description: "The domain discriminator uses BatchNorm (tllib's DomainDiscriminator default), which makes it train faster and win more easily.",
    defaultSeverity: 'warn',
    needs: ['hyperparameters (disc_batch_norm) or checkpoint facts'],
    messages: {
      explicit: 'the domain discriminator uses BatchNorm ({{setting}}{{extra}}): a BatchNorm discriminator separates the domains faster and can overpower the gradient reversal',
      tllibDefault:
        "the discriminator setting is not logged, and tllib's DomainDiscriminator defaults to batch_norm=True; with domain accuracy at {{domainAcc}}% after the warm-up the discriminator is winning",
    },
    causes: [{ id: 'discriminator-too-strong', weight: 0.4 }],
    fixes: ['DomainDiscriminator(features_dim, hidden_size=1024, batch_norm=False) (Linear-ReLU-Dropout instead of Linear-BN-ReLU)'],
    options: { strongLevel: 75 },
    optionDocs: {
      strongLevel:
        'When the BatchNorm setting is only inferred from the tllib default, report it only if the post-warm-up domain accuracy (epoch means) is at least 75%, well above the 50-70% band of a balanced game.',
    },
  },
  check({ run, options, report }) {
    if (!hasDiscriminator(run)) return { notApplicable: 'no domain discriminator in this run' };
    const hidden = hyperNumber(run, HYPER_NAMES.discHidden);
    const mult = hyperNumber(run, HYPER_NAMES.discLrMult);
    const steps = hyperNumber(run, HYPER_NAMES.discSteps);
    const extra = [hidden ? `, hidden ${hidden.value}` : '', mult && mult.value !== 1 ? `, ${mult.value}x discriminator lr` : '', steps && steps.value > 1 ? `, ${steps.value} discriminator steps per iteration` : ''].join('');
    const bn = discriminatorBatchNormOf(run);
    if (bn) {
      if (!bn.value) return { notApplicable: `the discriminator has no BatchNorm (${bn.from})` };
      report({ messageId: 'explicit', data: { setting: bn.from, extra }, evidence: [hyperEvidence(run, bn.from, 'batch_norm=False', 'discriminator configuration')] });
      return;
    }
    const tllibDiscriminator = run.formats.includes('tllib') && ['dann', 'cdan', 'bsp'].includes(run.algorithm);
    if (!tllibDiscriminator) return { notApplicable: 'the discriminator configuration is not logged' };
    const dom = seriesOf(run, KEY.domainAcc);
    const post = dom ? postWarmupEpochs(run, dom, epochMeansOf(run, KEY.domainAcc).filter((e) => Number.isFinite(e.mean))).epochs : [];
    if (!dom || post.length === 0) return { notApplicable: "discriminator setting not logged (tllib's default is BatchNorm) and no post-warm-up domain accuracy to judge it by" };
    const m = post.reduce((a, e) => a + e.mean, 0) / post.length;
    if (m < options.strongLevel) {
      return { notApplicable: `discriminator setting not logged (tllib's default is BatchNorm); domain accuracy ${fmt(m)}% after the warm-up shows no sign of it winning` };
    }
    report({ messageId: 'tllibDefault', data: { domainAcc: fmt(m) }, evidence: [epochEvidence(dom, post, Number(m.toFixed(2)), `< ${options.strongLevel}%`), hyperEvidence(run, 'batch_norm not logged (tllib default True)')] });
  },
});
