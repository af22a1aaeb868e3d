// Config lint: the adversarial weight (trade_off x GRL hi) is far from the range where DANN works.
import { createRule } from '../src/engine/create-rule.js';
import { HYPER_NAMES, hyperNumber } from '../src/facts/hyper.js';
import { isSourceOnlyRun, hyperEvidence, grlSwitchOf, grlScheduleOf, grlCoefficientAt, totalIterationsOf, hasDiscriminator, fmt, WARMUP_FRACTION } from '../src/facts/facts.js';

export default createRule({
  meta: {
    id: 'trade-off-extreme',
    description: 'The adversarial weight the run trained with (trade_off times the GRL coefficient it reached) is far too low or too high.',
    defaultSeverity: 'warn',
    needs: ['hyperparameters (trade_off)'],
    messages: {
      tooLow: '{{setting}}: the adversarial gradient reaching the features is weighted {{effective}} at the end of training (tllib default 1.0), so the run is close to source-only',
      tooHigh: '{{setting}}: the reversed domain gradient is weighted up to {{effective}} against the classification loss (tllib default 1.0), enough to erase class information from the features',
    },
    causes: [
      { id: 'grl-coefficient-too-low', weight: 0.6 },
      { id: 'trade-off-too-high', weight: 0.6 },
    ],
    fixes: ['trade_off=1.0 (tllib default for DANN/CDAN/MDD), then tune in 0.1-3'],
    options: { low: 0.1, high: 5 },
    optionDocs: {
      low: "tllib's default is 1.0 and published DANN/CDAN sweeps tune in 0.1-1; an effective weight (trade_off x the GRL coefficient reached at the end) below 0.1 leaves the adversarial term drowned by cross-entropy.",
      high: 'Published sweeps rarely go above 1-3; above 5x the default the reversed discriminator gradient dominates the classifier gradient, and runs lose class information, source accuracy, or collapse.',
    },
  },
  check({ run, options, report }) {
    const t = hyperNumber(run, HYPER_NAMES.tradeOff);
    if (!t) return { notApplicable: 'no trade-off hyperparameter logged' };
    if (isSourceOnlyRun(run)) return { notApplicable: 'source-only run (no adversarial term)' };
    // With a GRL (DANN family) the features receive -trade_off x lambda(i) x the discriminator gradient; lambda ramps
    // (tanh(i/2000) in tllib) and may be switched mid-run, so judge what the run actually trained with.
    const s = hasDiscriminator(run) ? grlScheduleOf(run) : undefined;
    const sw = s ? grlSwitchOf(run) : undefined;
    const total = totalIterationsOf(run);
    const hi = s ? s.hi : 1;
    const ceiling = sw ? sw.hiAfter : hi;
    const reached = s && total ? grlCoefficientAt(run, total.value - 1)! : hi;
    // A ramp past 90% of its ceiling counts as at full strength (as in grl-warmup-horizon).
    const finalLambda = reached >= WARMUP_FRACTION * ceiling ? ceiling : reached;
    const peakLambda = Math.max(hi, sw?.hiAfter ?? -Infinity);
    const low = t.value * finalLambda;
    const high = t.value * peakLambda;
    const parts = [`${t.name}=${t.value}`];
    if (s && s.hi !== 1) parts.push(`GRL hi ${s.hi}`);
    if (sw) parts.push(`GRL ceiling switched to ${sw.hiAfter} at iteration ${sw.iter}`);
    if (s && total && finalLambda < ceiling) parts.push(`GRL coefficient only ${fmt(finalLambda, 3)} after ${total.value} iterations (${s.from})`);
    const setting = parts.join(', ');
    if (low < options.low) {
      report({ messageId: 'tooLow', data: { setting, effective: fmt(low, 3) }, evidence: [hyperEvidence(run, Number(low.toFixed(4)), `>= ${options.low}`, setting)], causes: [{ id: 'grl-coefficient-too-low', weight: 0.6 }] });
    } else if (high > options.high) {
      report({ messageId: 'tooHigh', data: { setting, effective: fmt(high, 2) }, evidence: [hyperEvidence(run, high, `<= ${options.high}`, setting)], causes: [{ id: 'trade-off-too-high', weight: 0.6 }] });
    }
  },
});
