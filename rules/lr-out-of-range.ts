// Config lint: the learning rate (or the discriminator's, after its multiplier) is outside any range that trains.
import { createRule } from '../src/engine/create-rule.js';
import { HYPER_NAMES, hyperNumber, hyperString } from '../src/facts/hyper.js';
import { hyperEvidence, fmt } from '../src/facts/facts.js';

/** Optimisers that scale each step by a running gradient norm (step ~ lr per weight). */
const ADAPTIVE = /adam|adamax|nadam|radam|lamb|rmsprop|adagrad|adadelta|adafactor/i;

export default createRule({
  meta: {
    id: 'lr-out-of-range',
    description: 'The learning rate (or the discriminator learning rate) is far outside the range that trains.',
    defaultSeverity: 'warn',
    needs: ['hyperparameters (lr)'],
    messages: {
      tooHigh: '{{setting}} is above {{limit}} for {{optimizer}}: updates this large blow the weights up',
      tooLow: '{{setting}} is below {{limit}} for {{optimizer}}: the weights barely move, too low to learn',
      discTooHigh: 'the discriminator learns at {{discLr}} ({{setting}} x {{mult}}), above {{limit}} for {{optimizer}}',
    },
    causes: [
      { id: 'learning-rate-too-high', weight: 0.75 },
      { id: 'learning-rate-mismatch', weight: 0.5 },
      { id: 'insufficient-capacity-or-underfit', weight: 0.4 },
    ],
    fixes: ['SGD: lr=0.01 (tllib DANN default; backbone gets 0.1x); Adam: lr=1e-4..1e-3'],
    options: { highSgd: 1, highAdam: 0.01, lowSgd: 1e-5, lowAdam: 1e-6 },
    optionDocs: {
      highSgd: 'SGD+momentum on cross-entropy diverges above ~1 for essentially any network; ImageNet recipes peak at 0.1-0.4 with warm-up and large batches. tllib DANN uses 0.01.',
      highAdam: 'Adam steps are ~lr per weight regardless of gradient scale; above 1e-2 they wreck pretrained features and destabilise the adversarial game.',
      lowSgd:
        'SGD moves a weight by lr x its gradient, typically 1e-3..1e-2 per weight for cross-entropy: at lr 1e-5 ten thousand iterations move it by ~1e-3, far below the ~1e-2 scale of initial weights, so nothing learns. Working SGD recipes start at 1e-4 (DLCV DANN) to 1e-2 (tllib).',
      lowAdam:
        'Adam moves a weight by about lr per step whatever the gradient scale: at 1e-6 ten thousand steps move it by at most 1e-2, barely past its initial scale; fine-tuning recipes stay at 1e-5..1e-3 (DomainBed 5e-5). Below 1e-6 (e.g. 5e-7) it cannot learn. Without an optimiser name the lower of the two bounds applies.',
    },
  },
  check({ run, options, report }) {
    const lr = hyperNumber(run, HYPER_NAMES.lr);
    if (!lr) return { notApplicable: 'learning rate not logged' };
    const named = hyperString(run, HYPER_NAMES.optimizer)?.value;
    // Family: adaptive (Adam & co. step ~lr per weight) or SGD; without a name, tllib's scripts use SGD, and for other
    // codebases the bounds that hold for both families apply.
    const family: 'adaptive' | 'sgd' | 'unknown' = named ? (ADAPTIVE.test(named) ? 'adaptive' : 'sgd') : run.formats.includes('tllib') ? 'sgd' : 'unknown';
    const limit = family === 'adaptive' ? options.highAdam : options.highSgd;
    const low = family === 'adaptive' ? options.lowAdam : family === 'sgd' ? options.lowSgd : Math.min(options.lowAdam, options.lowSgd);
    const optimizer = named ?? (family === 'sgd' ? 'SGD (tllib default)' : 'any optimiser');
    const setting = `${lr.name}=${lr.value}`;
    if (lr.value > limit) {
      report({ messageId: 'tooHigh', data: { setting, limit, optimizer }, evidence: [hyperEvidence(run, lr.value, `<= ${limit}`, lr.name)], causes: [{ id: 'learning-rate-too-high', weight: 0.75 }] });
      return;
    }
    if (lr.value < low) {
      report({ messageId: 'tooLow', data: { setting, limit: low, optimizer }, evidence: [hyperEvidence(run, lr.value, `>= ${low}`, lr.name)], causes: [{ id: 'insufficient-capacity-or-underfit', weight: 0.4 }] });
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
