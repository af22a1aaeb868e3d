// Says, on each adapted run that got no source-only baseline while the report has source-only runs, why none was
// taken (they trained on other data), instead of leaving the user to wonder or to trust a wrong comparison.
import type { RunReport } from './schema.js';
import type { Run } from '../model/types.js';
import { isSourceOnly, whyNoBaselines } from '../understand/baseline-run.js';

/** Adds the reason to `notChecked` of every run concerned (in place). Nothing happens with an explicit baseline. */
export function explainMissingBaselines(reports: RunReport[], explicitBaseline: boolean): void {
  if (explicitBaseline) return;
  const asRuns = reports as unknown as (Pick<Run, 'algorithm' | 'hyperparameters' | 'path' | 'formats' | 'inRunBaseline'>)[];
  const sourceOnly = reports.filter((r) => isSourceOnly(r as unknown as Pick<Run, 'algorithm' | 'hyperparameters'>));
  if (sourceOnly.length === 0) return;
  whyNoBaselines(asRuns, sourceOnly).forEach((why, i) => {
    if (why) reports[i].notChecked.push(why);
  });
}
