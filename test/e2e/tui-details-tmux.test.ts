// Issue 17 item 14, the UI's small things, driven in tmux on the real binary as a person would: run-list columns line
// up when run ids hold wide glyphs (CJK, emoji), the zoomed curve uses the whole width, the help describes the t-SNE
// as it is drawn (glyphs under NO_COLOR), and an export says where it goes before and after writing, and again on
// stderr after the UI closes. Needs tmux and a built dist/ (npm test builds first); fixtures only, no ../shared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import { tmpdir } from 'node:os';
import stringWidth from 'string-width';
import { FIXTURES } from '../helpers/shared.js';
import { BIN, tmuxSession, tmuxSkipReason } from '../helpers/tmux.js';

const SESSION = 'ui';
const COLUMNS = 160;
const ROWS = 45;
const START_TIMEOUT_MS = 30_000;
const KEY_TIMEOUT_MS = 10_000;

const skip = tmuxSkipReason();

let socket = '';
let cwd = '';

const { tmux, keys, waitForScreen, kill } = tmuxSession(() => socket, SESSION, KEY_TIMEOUT_MS);

before(() => {
  if (skip) return;
  cwd = realpathSync(mkdtempSync(join(tmpdir(), 'dann-doctor-tui-details-')));
  socket = join(cwd, 'tmux.sock');
  // three runs whose ids take 2 columns per character in places; algorithms and statuses of different lengths
  const runs = join(cwd, 'runs');
  const put = (dir: string, from: string) => { mkdirSync(join(runs, dir), { recursive: true }); copyFileSync(from, join(runs, dir, 'train.txt')); };
  put('plain', join(FIXTURES, 'textlogs', 'deepda-daan-d2a', 'DAAN_D2A.txt'));
  put('漢字漢字', join(FIXTURES, 'textlogs', 'deepda-daan-d2a', 'DAAN_D2A.txt'));
  put('run-😀', join(FIXTURES, 'textlogs', 'deepda_DANN_clean2rotated.txt'));
  tmux('new-session', '-d', '-s', SESSION, '-x', String(COLUMNS), '-y', String(ROWS), '-c', cwd, `node ${BIN} runs; echo "EXIT=$?"; sleep 60`);
});

after(() => {
  if (skip) return;
  kill();
  rmSync(cwd, { recursive: true, force: true });
});

/** Terminal column where `needle` starts in a captured line (wide glyphs count two, as the terminal drew them). */
const columnOf = (line: string, needle: string) => stringWidth(line.slice(0, line.indexOf(needle)));

test('run list columns, zoomed curve width, help text, export location', { skip, timeout: 120_000 }, async () => {
  let s = await waitForScreen((x) => x.includes('Runs (3)'), 'the run list', START_TIMEOUT_MS);
  const rows = s.split('\n').filter((l) => / tgt /.test(l));
  assert.equal(rows.length, 3, s);
  for (const needle of [' tgt ', '✖']) {
    const cols = rows.map((l) => columnOf(l, needle));
    assert.equal(new Set(cols).size, 1, `"${needle}" starts at columns ${cols} in:\n${rows.join('\n')}`);
  }

  // open the first run, focus the curves pane, zoom: the chart spans the pane (the 8-column scale + 1 space aside)
  keys('Enter');
  s = await waitForScreen((x) => x.includes('Curves per epoch (1..'), 'the run open, epochs as the log numbers them');
  assert.match(s, /ep × \d+ it \(numbered from 1\)/);
  keys('Tab');
  keys('Enter');
  // the pane's last line (under the chart) is drawn last: waiting for it keeps a half-drawn frame out of the measure
  s = await waitForScreen((x) => x.includes('Enter back') && /epochs \d+\.\.\d+ · last/.test(x), 'the zoomed curve');
  const chart = s.split('\n').map((l) => /[▁▂▃▄▅▆▇█]/.test(l) ? l.replace(/^│?[^▁▂▃▄▅▆▇█]*/, '').replace(/\s*│?\s*$/, '') : '').filter(Boolean);
  const widest = Math.max(...chart.map((l) => stringWidth(l)));
  const inner = COLUMNS - 2 - 10; // pane border and the scale column
  assert.ok(widest >= inner - 1, `zoomed chart is ${widest} of ${inner} columns:\n${s}`);
  keys('Escape');
  await waitForScreen((x) => x.includes('Curves per epoch (1..'), 'back to the overview');

  // help: with NO_COLOR the t-SNE is drawn with glyphs, and the help names those glyphs
  keys('?');
  s = await waitForScreen((x) => x.includes('? or Esc to close'), 'the help');
  assert.match(s, /a glyph per cell/);
  assert.match(s, /◦ source • target ◉ both/);
  assert.doesNotMatch(s, /braille/);
  keys('Escape');
  await waitForScreen((x) => !x.includes('? or Esc to close'), 'the help closed');

  // export: the prompt says the folder before anything is written; the footer says the full path after
  keys('e');
  s = await waitForScreen((x) => x.includes('export as: m Markdown'), 'the export prompt');
  assert.ok(s.includes(`into ${cwd}${sep}`), `the prompt names ${cwd}:\n${s}`);
  keys('m');
  s = await waitForScreen((x) => /exported to|export failed/.test(x), 'the export result');
  const written = readdirSync(cwd).filter((f) => f.endsWith('.md'));
  assert.equal(written.length, 1);
  assert.ok(s.includes(`exported to ${join(cwd, written[0])}`), `full path in the footer:\n${s}`);
  keys('q');
  s = await waitForScreen((x) => x.includes('EXIT=0'), 'the CLI exiting after q');
  assert.ok(s.includes(`dann-doctor: exported ${join(cwd, written[0])}`), `the path said again on stderr:\n${s}`);
});
