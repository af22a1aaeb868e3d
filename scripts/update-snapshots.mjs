// Regenerates test/corpus/__snapshots__ (the JSON reports on ../shared) after an intended behaviour change.
import { spawnSync } from 'node:child_process';
const r = spawnSync(process.execPath, ['scripts/test.mjs', '--corpus', 'test/corpus/report-snapshots'], {
  stdio: 'inherit', env: { ...process.env, UPDATE_SNAPSHOTS: '1' },
});
process.exit(r.status ?? 1);
