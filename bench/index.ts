// `npm run bench [-- ingest tsne eval triage verdicts replay rerun]`: every benchmark, one after the other (never part of npm test).
import { benchIngest } from './ingest.js';
import { benchTsne } from './tsne.js';
import { benchEval } from './eval.js';
import { benchEvalBudgets } from './eval-budgets.js';
import { benchTriage } from './triage.js';
import { benchStartup } from './startup.js';
import { benchVerdicts } from './verdicts.js';
import { benchReplay } from './replay.js';
import { benchRerunNetwork } from './rerun-network.js';
import { benchHtmlSweep } from './html-sweep.js';
import { benchRerunData } from './rerun-data.js';

const BENCHES: Record<string, () => Promise<string[]>> = {
  ingest: () => benchIngest(),
  tsne: () => benchTsne(),
  eval: () => benchEvalBudgets(),
  'eval-backends': () => benchEval(),
  triage: () => benchTriage(),
  startup: () => benchStartup(),
  verdicts: () => benchVerdicts(),
  replay: () => benchReplay(),
  // the network forward (wt-18a) and the decode + transform rate (rerun-data) of a re-run, one after the other
  rerun: async () => [...(await benchRerunNetwork()), ...(await benchRerunData())],
  html: () => benchHtmlSweep(),
  'rerun-data': () => benchRerunData(),
};

const wanted = process.argv.slice(2);
/** Lines starting with GOAL (issue 19's goals and their measured values), repeated together at the end. */
const goals: string[] = [];
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  const run = BENCHES[name];
  if (!run) {
    console.error(`unknown bench "${name}" (one of ${Object.keys(BENCHES).join(', ')})`);
    process.exitCode = 2;
    continue;
  }
  console.log(`\n## ${name}`);
  const t0 = performance.now();
  try {
    for (const line of await run()) {
      console.log(line);
      if (line.startsWith('GOAL')) goals.push(line);
    }
  } catch (err) {
    console.log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
if (goals.length) console.log(`\n## goals\n${goals.join('\n')}`);
