// Rule: the run stopped without finishing (no end marker, fewer epochs than planned) and without a traceback.
import { createRule } from '../src/engine/create-rule.js';
import { HYPER_NAMES, hyperNumber } from '../src/facts/hyper.js';

export default createRule({
  meta: {
    id: 'run-incomplete',
    description: 'The run stopped before its end (no final line, fewer epochs than planned) without a traceback: killed, timed out, or still writing.',
    defaultSeverity: 'warn',
    needs: ['status'],
    messages: {
      incomplete: 'the run stopped after {{done}} of {{planned}} epochs without a final result or a traceback ({{status}})',
    },
    causes: [{ id: 'crash', weight: 0.5 }],
    fixes: ['check the job scheduler / OOM killer logs for the time the log stops', 'resume from checkpoints/latest.pth'],
    options: {},
    optionDocs: {},
  },
  check({ run, report }) {
    if (run.status === 'running') return { notApplicable: 'the run is still running' };
    if (run.crash || run.status === 'crashed' || run.status === 'failed') return { notApplicable: 'the run crashed; see run-crashed' };
    if (run.status !== 'incomplete' && run.status !== 'killed') return;
    // a setting (n_epoch, epochs) first; else the log's own counter (`Epoch: [29/500]`)
    const planned = hyperNumber(run, HYPER_NAMES.epochs)?.value ?? run.epochsPlanned;
    report({
      messageId: 'incomplete',
      data: { done: run.epochsCompleted ?? '?', planned: planned ?? '?', status: run.status },
      evidence: [{ file: run.files[0] ?? run.path, observed: run.status, ...(planned !== undefined ? { threshold: `${planned} epochs` } : {}) }],
    });
  },
});
