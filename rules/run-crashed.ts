// Rule: the run ended in a traceback (or its tracker marked it failed); names the exception.
import { createRule } from '../src/engine/create-rule.js';

export default createRule({
  meta: {
    id: 'run-crashed',
    description: 'The run ended with an exception (traceback in the log, or a failed status in the tracker).',
    defaultSeverity: 'error',
    needs: ['status / crash'],
    messages: {
      crashed: 'the run crashed with {{type}}: {{message}}{{after}}',
      crashedNoMessage: 'the run crashed with {{type}}{{after}} (the exception has no message)',
      failed: 'the tracker marks the run as {{status}}{{after}} (no exception text found)',
    },
    causes: [{ id: 'crash', weight: 0.95 }],
    fixes: ['fix the exception at the given line and resume from checkpoints/latest.pth', 'CUDA out of memory: lower batch_size or use gradient accumulation'],
    options: {},
    optionDocs: {},
  },
  check({ run, report }) {
    const after = run.epochsCompleted !== undefined ? ` after ${run.epochsCompleted} completed epochs` : '';
    if (run.crash) {
      const c = run.crash;
      const message = c.message.trim();
      report({
        messageId: message ? 'crashed' : 'crashedNoMessage',
        data: { type: c.type, message: message.length > 200 ? `${message.slice(0, 200)}...` : message, after },
        evidence: [{ file: c.file, ...(c.line !== undefined ? { line: c.line } : {}), ...(c.endLine !== undefined ? { endLine: c.endLine } : {}), observed: c.type }],
      });
      return;
    }
    if (run.status === 'crashed' || run.status === 'failed') {
      report({ messageId: 'failed', data: { status: run.status, after }, evidence: [{ file: run.files[0] ?? run.path, observed: run.status }] });
    }
  },
});
