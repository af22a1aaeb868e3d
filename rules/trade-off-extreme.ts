// Config lint: the adversarial weight (trade_off x GRL hi) is far from the range where DANN works.
import { createRule } from '../src/engine/create-rule.js';
import { HYPER_NAMES, hyperNumber } from './support/hyper.js';
import { isSourceOnlyRun, hyperEvidence, grlSwitchOf, fmt } from './support/facts.js';

export default createRule({
  meta: {
    id: 'trade-off-extreme',
    description: 'The adversarial weight (trade_off, times the GRL coefficient ceiling) is far too low or too high.',
    defaultSeverity: 'warn',
    needs: ['hyperparameters (trade_off)'],
    messages: {
      tooLow: '{{setting}}: the adversarial gradient reaching the features is {{effective}}x the classification gradient at most, so the run is close to source-only',
      tooHigh: '{{setting}}: the reversed domain gradient is {{effective}}x the classification gradient, enough to erase class information from the features',
    },
    causes: [
      { id: 'grl-coefficient-too-low', weight: 0.6 },
      { id: 'trade-off-too-high', weight: 0.6 },
    ],
    fixes: ['trade_off=1.0 (tllib default for DANN/CDAN/MDD), then tune in 0.1-3'],
    options: { low: 0.05, high: 10 },
    optionDocs: {
      low: "tllib's default is 1.0 and published sweeps tune in 0.1-1; below 1/20 of the default the adversarial term is drowned by cross-entropy.",
      high: 'Above 10x the default the discriminator gradient dominates the classifier gradient through the GRL; runs then lose source accuracy or collapse.',
    },
  },
  check({ run, options, report }) {
    const t = hyperNumber(run, HYPER_NAMES.tradeOff);
    if (!t) return { notApplicable: 'no trade-off hyperparameter logged' };
    if (isSourceOnlyRun(run)) return { notApplicable: 'source-only run (no adversarial term)' };
    const hi = hyperNumber(run, HYPER_NAMES.grlHi);
    const effective = t.value * (hi?.value ?? 1);
    const setting = hi && hi.value !== 1 ? `${t.name}=${t.value} with ${hi.name}=${hi.value}` : `${t.name}=${t.value}`;
    const sw = grlSwitchOf(run);
    if (sw) {
      // The ceiling that matters is the one the run trains under for longest: after a scripted switch, the new one.
      const after = t.value * sw.hiAfter;
      const switched = `${t.name}=${t.value} with the GRL ceiling switched to ${sw.hiAfter} at iteration ${sw.iter} (${sw.text})`;
      if (after < options.low) {
        report({ messageId: 'tooLow', data: { setting: switched, effective: fmt(after, 3) }, evidence: [hyperEvidence(run, after, `>= ${options.low}`, switched)], causes: [{ id: 'grl-coefficient-too-low', weight: 0.6 }] });
        return;
      }
      if (after > options.high) {
        report({ messageId: 'tooHigh', data: { setting: switched, effective: fmt(after, 2) }, evidence: [hyperEvidence(run, after, `<= ${options.high}`, switched)], causes: [{ id: 'trade-off-too-high', weight: 0.6 }] });
        return;
      }
    }
    if (effective < options.low) {
      report({ messageId: 'tooLow', data: { setting, effective: fmt(effective, 3) }, evidence: [hyperEvidence(run, effective, `>= ${options.low}`, setting)], causes: [{ id: 'grl-coefficient-too-low', weight: 0.6 }] });
    } else if (effective > options.high) {
      report({ messageId: 'tooHigh', data: { setting, effective: fmt(effective, 2) }, evidence: [hyperEvidence(run, effective, `<= ${options.high}`, setting)], causes: [{ id: 'trade-off-too-high', weight: 0.6 }] });
    }
  },
});
