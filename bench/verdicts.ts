// `npm run bench -- verdicts`: for every real run in ../shared (runs, real-logs, real-artifacts), the findings and the
// top cause next to what its README says the run shows, so a threshold change shows its effect on all of them at once.
// The expected-behaviour strings are ours, written from the READMEs of ../shared (they live here, never in src/).
// Runnable alone: `node --import tsx bench/verdicts.ts`.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { SHARED, sharedCorpusFolders } from '../test/helpers/shared.js';
import { diagnose } from '../src/index.js';
import { verdictOf } from '../src/reporters/run-headline.js';


/** What each folder's README says the run shows (paraphrased; "open" = the README leaves the diagnosis to the tool). */
const EXPECTED: Record<string, string> = {
  'runs/source_only': 'no adaptation (baseline): source 97.8, target 49.8; training itself fine',
  'runs/healthy': 'healthy DANN: target 85.8 (+36 over source-only), domain acc ~80 -> ~55; nothing wrong',
  'runs/strong_disc': 'BatchNorm discriminator, hidden 2048, 10x disc lr, but the GRL still wins: domain acc ~55, target 85.8; must NOT claim saturation',
  'runs/label_shift': 'long-tailed target: target 52.0 (best 59.6), per-class 9..100% -> class imbalance / label shift',
  'runs/healthy_lightning': 'same training as healthy, Lightning CSV logging: same verdicts as healthy',
  'runs/diverged': 'lr 10: loss explodes to ~8e12, network dies, accuracies at chance, one class, domain acc exactly 50%',
  'real-logs/dh-a2w-2ep': 'unmodified DANN Office-31 A->W, only 2 epochs (open)',
  'real-logs/dh-digits-b1-b': 'DANN MNIST->USPS, condensed source, 100 epochs (open)',
  'real-logs/dao-dan-l1': 'DAN (MK-MMD, no discriminator) with per-class tables (open)',
  'real-artifacts/cdan-appended-log-office31-d2a': '64 appended CDAN/CDAN+E invocations, final precision 0.66-0.71; TB dirs without scalars',
  'real-artifacts/coral-colored-mnist-negative-transfer': 'Deep CORAL: lambda 1 and 100 end below the source-only 0.897 (negative transfer), lambda 10 does not; upper bound 0.99',
  'real-artifacts/dann-mnistm2svhn-custom-log': 'student DANN MNIST-M->SVHN: target acc peaks 28.7% at epoch 2, then stays 20-26%',
  'real-artifacts/domainbed-nci-pacs-uda': '10 crashed invocations (tracebacks, OOM) then a finished NCI run: target 28.7 -> 83.2% with dips at steps 600 and 3600',
  'real-artifacts/keras-csvlogger-lung': 'not DA: val accuracy oscillates 39..95% epoch to epoch',
  'real-artifacts/lightning-csvlogger-asl': 'not DA: healthy classifier, val acc 96.8 -> 99.7',
  'real-artifacts/lightning-tb-pickled-hparams': 'MNIST demo, losses only, pickled hparams.yaml; nothing wrong',
  'real-artifacts/mlflow-keras-vgg16-transfer': 'MLflow run never ended (status RUNNING); 1 epoch, train acc 0.70, val 0.79',
  'real-artifacts/shot-office31-a2d-a2w': 'healthy source-free adaptation (SHOT): AD 86.95 -> 92.77, AW 87.42 -> 88.93',
  'real-artifacts/tensorboardx-dann-usps2svhn': 'DANN USPS->SVHN: domain acc 47 -> 66% (not winning), no target accuracy logged; a resumed second run with a cut last record',
  'real-artifacts/tllib-kedro-dann-digits-final': 'end-of-run results only (DANN 98.2 vs source-only 98.1): no curves to judge',
  'real-artifacts/wandb-cifar100-nan-and-linear-probe': 'bnb7rj6y: loss NaN from epoch 4, accuracy to chance, killed; qlypj1lr: healthy linear probe, test 79.5',
};

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

export async function benchVerdicts(): Promise<string[]> {
  if (!existsSync(SHARED)) return [`no ../shared beside the checkout (${SHARED}): nothing to tabulate`];
  const out: string[] = [];
  for (const { group, entry, path: p } of sharedCorpusFolders()) {
    const name = `${group}/${entry}`;
    out.push('', `### ${name}`, ...wrap(`README: ${EXPECTED[name] ?? '(no expectation written for this folder yet)'}`, 110).map((l) => `  ${l}`));
    const rep = await diagnose([p]);
    for (const r of rep.runs) {
      const sub = relative(p, r.path) || '.';
      const v = verdictOf(r);
      out.push(`  - ${sub}: ${v.text}`);
      for (const f of r.findings) out.push(...wrap(`${f.severity} ${f.ruleId}: ${f.message}`, 106).map((l, i) => `      ${i ? '  ' : ''}${l}`));
    }
    if (rep.runs.length === 0) out.push('  - no run read');
    const errs = rep.errors.filter((e) => !/README|truth\.json/.test(e.path));
    if (errs.length) out.push(`  (${errs.length} input error${errs.length > 1 ? 's' : ''}: ${errs.map((e) => relative(p, e.path) || '.').join(', ')})`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of await benchVerdicts()) console.log(l);
