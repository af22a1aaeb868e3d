// Hostile-input families of issue 16, each read in its own child process: every input is under 50 MB and must
// finish (parsed or refused with a message) within MAX_RSS_MB of peak RSS. `npm run fuzz` runs them after the
// mutation fuzzing; `node --import tsx bench/fuzz/hostile-memory.ts` runs them alone.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The budget: a hostile input under 50 MB never takes more than this (Node itself with tsx is ~100 MB). */
export const MAX_RSS_MB = 512;

export const FAMILIES = ['mark-levels', 'built-lists', 'deflated-storages', 'stored-view', 'npz-members', 'zero-width', 'huge-label'] as const;
type Family = (typeof FAMILIES)[number];

/** Child side: build one input, read it the way dann-doctor does, print the outcome and peak RSS. */
async function child(family: Family): Promise<void> {
  const g = await import('./hostile-inputs.js');
  const { unpickle } = await import('../../src/ingest/pth/pickle-vm.js');
  const { readPthBuffer } = await import('../../src/ingest/pth/read-pth.js');
  const { readNpzDetailed } = await import('../../src/ingest/npy/read-npz.js');
  const { checkFeatureDump } = await import('../../src/ingest/npy/dump-checks.js');
  const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  let outcome = 'parsed';
  let bytes = 0;
  const tmp = mkdtempSync(join(tmpdir(), 'dd-hostile-mem-'));
  try {
    const npz = async (buf: Buffer) => {
      bytes = buf.length;
      const f = join(tmp, 'features.npz');
      writeFileSync(f, buf);
      const r = await readNpzDetailed(f);
      checkFeatureDump(r.arrays, f);
      if (r.notes.length) outcome = `notes: ${r.notes.length}`;
    };
    switch (family) {
      case 'mark-levels': { const b = g.markLevelsBomb(); bytes = b.length; unpickle(b, { file: 'x', notes: [] }); break; }
      case 'built-lists': { const b = g.builtListsBomb(); bytes = b.length; unpickle(b, { file: 'x', notes: [] }); break; }
      case 'deflated-storages': { const b = g.deflatedStorageBomb(); bytes = b.length; const r = await readPthBuffer(b, 'x.pth'); outcome = `${r.stateDict.size} tensors, ${r.notes.length} notes`; break; }
      case 'stored-view': {
        const numel = 10 << 20; // 40 MB storage behind one element
        const b = g.torchZip(g.stateDictPickle([{ name: 'w', key: '0', numel, shape: [1], offset: numel - 1 }]), [g.storedMember('0', Buffer.alloc(numel * 4))]);
        bytes = b.length;
        const r = await readPthBuffer(b, 'x.pth');
        outcome = `${r.stateDict.size} tensors`;
        break;
      }
      case 'npz-members': {
        const z = g.deflatedZeros(1024 ** 3);
        const member = (name: string) => ({ name: `${name}.npy`, data: z.data, method: 8 as const, crc: z.crc, size: 1024 ** 3 });
        await npz(g.zipOf([member('a'), member('b'), member('c'), member('d')]));
        break;
      }
      case 'zero-width': await npz(g.npzOf({ source_features: g.npyOf('<f4', [1e9, 0]) })); break;
      case 'huge-label': await npz(g.npzOf({ source_labels: g.npyOf('<i8', [2], g.int64s([0, 2n ** 31n - 1n])) })); break;
    }
  } catch (err) {
    outcome = `refused: ${(err as Error).message.slice(0, 100)}`;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ family, bytes, outcome, rssMb }) + '\n');
}

export interface HostileResult { family: string; bytes: number; outcome: string; rssMb: number; ok: boolean }

/** Runs every family in a fresh child process and checks size < 50 MB and peak RSS <= MAX_RSS_MB. */
export function runHostileMemory(): HostileResult[] {
  const self = fileURLToPath(import.meta.url);
  return FAMILIES.map((family) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', family], { encoding: 'utf8', timeout: 120_000 });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    try {
      const res = JSON.parse(line) as Omit<HostileResult, 'ok'>;
      return { ...res, ok: res.bytes < 50e6 && res.rssMb <= MAX_RSS_MB };
    } catch {
      return { family, bytes: 0, outcome: `child failed (status ${r.status}): ${r.stderr.slice(-200)}`, rssMb: NaN, ok: false };
    }
  });
}

export function formatHostileTable(rs: HostileResult[]): string[] {
  return [
    `| hostile family | input MB | outcome | peak RSS MB (<= ${MAX_RSS_MB}) |`, '|---|---|---|---|',
    ...rs.map((r) => `| ${r.family} | ${(r.bytes / 1e6).toFixed(1)} | ${r.outcome.replace(/\|/g, '/')} | ${r.rssMb.toFixed(0)}${r.ok ? '' : ' FAIL'} |`),
  ];
}

if (process.argv[2] === '--child') await child(process.argv[3] as Family);
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rs = runHostileMemory();
  for (const l of formatHostileTable(rs)) console.log(l);
  process.exitCode = rs.every((r) => r.ok) ? 0 : 1;
}
