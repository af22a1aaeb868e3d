// Config lint: the learning rate (or the discriminator's, after its multiplier) is outside any range that trains.
import { createRule } from '../src/engine/create-rule.js';
import { HYPER_NAMES, hyperNumber, hyperString } from './support/hyper.js';
import { hyperEvidence, fmt } from './support/facts.js';

export default createRule({
  meta: {
    id: 'lr-out-of-range',
    description: 'The learning rate (or the discriminator learning rate) is far outside the range that trains.',
    defaultSeverity: 'warn',
    needs: ['hyperparameters (lr)'],
    messages: {
      tooHigh: '{{setting}} is above {{limit}} for {{optimizer}}: updates this large blow the weights up',
      tooLow: '{{setting}} is below {{limit}}: the weights barely move',
      discTooHigh: 'the discriminator learns at {{discLr}} ({{setting}} x {{mult}}), above {{limit}} for {{optimizer}}',
    },
    causes: [
      { id: 'learning-rate-too-high', weight: 0.75 },
      { id: 'learning-rate-mismatch', weight: 0.5 },
      { id: 'insufficient-capacity-or-underfit', weight: 0.4 },
    ],
    fixes: ['SGD: lr=0.01 (tllib DANN default; backbone gets 0.1x); Adam: lr=1e-4..1e-3'],
    options: { highSgd: 1, highAdam: 0.01, low: 1e-6 },
    optionDocs: {
      highSgd: 'SGD+momentum on cross-entropy diverges above ~1 for essentially any network; ImageNet recipes peak at 0.1-0.4 with warm-up and large batches. tllib DANN uses 0.01.',
      highAdam: 'Adam steps are ~lr per weight regardless of gradient scale; above 1e-2 they wreck pretrained features and destabilise the adversarial game.',
      low: 'Below 1e-6 a few thousand iterations move the weights by less than float32 noise of typical initialisations.',
    },
  },
  check({ run, options, report }) {
    const lr = hyperNumber(run, HYPER_NAMES.lr);
    if (!lr) return { notApplicable: 'learning rate not logged' };
    const opt = hyperString(run, HYPER_NAMES.optimizer)?.value ?? 'SGD';
    const adam = /adam/i.test(opt);
    const limit = adam ? options.highAdam : options.highSgd;
    const optimizer = adam ? opt : hyperString(run, HYPER_NAMES.optimizer) ? opt : 'SGD (tllib default)';
    const setting = `${lr.name}=${lr.value}`;
    if (lr.value > limit) {
      report({ messageId: 'tooHigh', data: { setting, limit, optimizer }, evidence: [hyperEvidence(run, lr.value, `<= ${limit}`, lr.name)], causes: [{ id: 'learning-rate-too-high', weight: 0.75 }] });
      return;
    }
    if (lr.value > 0 && lr.value < options.low) {
      report({ messageId: 'tooLow', data: { setting, limit: options.low }, evidence: [hyperEvidence(run, lr.value, `>= ${options.low}`, lr.name)], causes: [{ id: 'insufficient-capacity-or-underfit', weight: 0.4 }] });
      return;
    }
    const mult = hyperNumber(run, HYPER_NAMES.discLrMult);
    if (mult && lr.value * mult.value > limit) {
      report({
        messageId: 'discTooHigh',
        data: { discLr: fmt(lr.value * mult.value, 4), setting, mult: mult.value, limit, optimizer },
        evidence: [hyperEvidence(run, lr.value * mult.value, `<= ${limit}`, `${setting} x ${mult.name}=${mult.value}`)],
        causes: [{ id: 'learning-rate-mismatch', weight: 0.5 }, { id: 'discriminator-too-strong', weight: 0.3 }],
      });
    }
  },
});
