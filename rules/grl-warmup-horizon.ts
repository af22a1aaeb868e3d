// Config lint: the GRL warm-up ramp (tanh(i/2000) in tllib) is long compared with the whole run, so the reversal never reaches full strength.
import { createRule } from '../src/engine/create-rule.js';
import { grlScheduleOf, totalIterationsOf, hyperEvidence, fmt, WARMUP_FRACTION } from '../src/facts/facts.js';
import { grlCoefficient, grlWarmupEnd } from '../src/signals/grl-schedule.js';

export default createRule({
  meta: {
    id: 'grl-warmup-horizon',
    description: 'The GRL coefficient ramp is long compared with the training run, so the reversal never reaches full strength.',
    defaultSeverity: 'info',
    needs: ['hyperparameters (epochs, iters_per_epoch, grl_*) or iteration counts'],
    messages: {
      neverReached:
        'the GRL coefficient only reached {{final}} of its maximum by the last iteration ({{total}}, {{totalFrom}}); with {{schedule}} it needs ~{{needed}} iterations to pass {{fraction}}',
    },
    causes: [{ id: 'grl-coefficient-too-low', weight: 0.35 }],
    fixes: ['train longer (at least the warm-up plus a few epochs at full strength)', 'or shorten the ramp (grl max_iters) for short runs'],
    options: { fraction: WARMUP_FRACTION },
    optionDocs: { fraction: 'The reversal counts as at full strength once it passes 90% of its range (tllib: iteration 2944).' },
  },
  check({ run, options, report }) {
    const s = grlScheduleOf(run);
    if (!s) return { notApplicable: 'no GRL schedule known (no discriminator, or not tllib and no grl_* settings logged)' };
    const total = totalIterationsOf(run);
    if (!total) return { notApplicable: 'total iterations unknown' };
    const span = s.hi - s.lo;
    const reached = span !== 0 ? (grlCoefficient(total.value, s) - s.lo) / span : 1;
    if (reached >= options.fraction) return;
    report({
      messageId: 'neverReached',
      data: { final: fmt(reached, 2), total: total.value, totalFrom: total.from, schedule: s.from, needed: Math.round(grlWarmupEnd(options.fraction, s)), fraction: options.fraction },
      evidence: [hyperEvidence(run, Number(reached.toFixed(3)), `>= ${options.fraction}`, `lambda(${total.value}) / hi`)],
    });
  },
});
