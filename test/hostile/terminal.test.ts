// Issue 16.2: strings from files never reach a terminal with their control characters (OSC title/clipboard/link
// sequences, screen clears, C1 controls) — in text output, compare, watch, the UI, and JSON escapes U+0080-U+009F.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, rm, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { makeRun, tempDir, runCli, LOG_NAME } from './helpers.js';
import { showControls, showControlsDeep, terminalSafeText } from '../../src/output/terminal-safe.js';
import { watchCommand } from '../../src/cli/watch.js';
import { startUi } from '../../src/ui/index.js';
import { diagnose } from '../../src/index.js';

/** What Python's repr writes for arch='x\x1b]0;PWNED\x07\x1b[2J' and a C1 CSI: backslash escapes, no ESC byte. */
const REPR_ARCH = String.raw`x\x1b]0;PWNED\x07\x1b[2J\x9b31m`;
/** Any control character but newline and tab; SGR colour sequences are checked separately. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

async function hostileRun(parent: string): Promise<string> {
  const { dir } = await makeRun(parent, 'r1');
  const log = join(dir, LOG_NAME);
  let text = await readFile(log, 'utf8');
  text = text.replace("arch='lenet_small'", `arch='${REPR_ARCH}'`);
  // a class name with raw bytes in the table (an OSC 52 clipboard write and an OSC 8 link)
  text = text.replaceAll('| 7 - seven |', '| 7 - se\u001b]52;c;cm0gLXJmIH4=\u0007ven\u001b]8;;http://x\u0007 |');
  await writeFile(log, text);
  const evil = join(parent, 'evil\u001b]0;T\u0007');
  await rename(dir, evil);
  return evil;
}

test('showControls shows C0, DEL, C1 and bidi controls as escapes and keeps the rest', () => {
  assert.equal(showControls('a\u001b]0;x\u0007b\u009b\u007f\u202e\n\tc'), String.raw`a\x1b]0;x\x07b\x9b\x7f\u202e\n` + '\tc');
  assert.equal(terminalSafeText('\u001b[31mred\u001b[39m \u001b]0;t\u0007\n'), '\u001b[31mred\u001b[39m \\x1b]0;t\\x07\n');
});

test('showControlsDeep: a value without controls is returned as is; one with them is copied, shared parts once', () => {
  const clean = { id: 'r1', tags: ['a', 'b'], n: 3, nested: { x: [1, 2] } };
  assert.equal(showControlsDeep(clean), clean);
  const shared = { name: 'x\u001b' };
  const dirty = { a: shared, b: shared, ['k\u0007']: 1, list: ['ok'] };
  const out = showControlsDeep(dirty);
  assert.notEqual(out, dirty);
  assert.equal(out.a.name, String.raw`x\x1b`);
  assert.equal(out.a, out.b);
  assert.deepEqual(Object.keys(out), ['a', 'b', String.raw`k\x07`, 'list']);
  assert.equal(dirty.a.name, 'x\u001b'); // the input is left alone
});

test('text, JSON and compare outputs of a run with escapes in its Namespace, class names and folder name', async () => {
  const t = await tempDir();
  try {
    const run = await hostileRun(t);
    const text = await runCli([run, '--format', 'text', '--verbose'], t);
    assert.equal(text.code, 1, text.stderr);
    assert.doesNotMatch(text.stdout + text.stderr, RAW_CONTROL);
    assert.match(text.stdout, /arch x\\x1b\]0;PWNED\\x07\\x1b\[2J\\x9b31m/, 'shown escaped, not dropped');
    assert.match(text.stdout, /evil\\x1b\]0;T\\x07/);

    const colored = await runCli([run, '--format', 'text', '--color'], t, { FORCE_COLOR: '1' });
    assert.doesNotMatch(colored.stdout.replace(/\u001b\[[0-9;]*m/g, ''), RAW_CONTROL, 'only SGR colours remain');

    const json = await runCli([run, '--format', 'json'], t);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    assert.match(json.stdout, /\\u009b31m/, 'C1 escaped in JSON');
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.runs[0].hyperparameters.arch, 'x\u001b]0;PWNED\u0007\u001b[2J\u009b31m', 'JSON keeps the value itself');

    const other = (await makeRun(t, 'plain')).dir;
    const cmp = await runCli(['compare', other, run], t);
    assert.equal(cmp.code, 0, cmp.stderr);
    assert.doesNotMatch(cmp.stdout + cmp.stderr, RAW_CONTROL);
    assert.match(cmp.stdout, /x\\x1b\]0;PWNED/);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('watch alarms and the interactive UI show file strings escaped', async () => {
  const t = await tempDir();
  try {
    const run = await hostileRun(t);
    let out = '';
    const sink = () => {
      const s = new PassThrough();
      s.on('data', (d) => (out += d));
      return s;
    };
    const code = await watchCommand([run, '--exit-on-finding', '--interval', '50'], { stdout: sink(), stderr: sink(), env: {}, isTTY: false, cwd: t });
    assert.equal(code, 1);
    assert.match(out, /per-class-imbalance/);
    assert.doesNotMatch(out, RAW_CONTROL);

    let frames = '';
    const stdout = new PassThrough();
    stdout.on('data', (d) => (frames += d));
    Object.assign(stdout, { columns: 160, rows: 45 });
    const stdin = Object.assign(new PassThrough(), { isTTY: false, setRawMode() {}, ref() {}, unref() {} });
    const report = await diagnose([run]);
    let stop!: () => void;
    const interrupted = new Promise<void>((r) => (stop = r));
    const ui = startUi(report, { io: { stdout, stderr: new PassThrough(), stdin, env: { NO_COLOR: '1' }, isTTY: false, cwd: t, interrupted } });
    for (let i = 0; i < 200 && !frames.includes('PWNED'); i++) await new Promise((r) => setTimeout(r, 25));
    stop();
    await ui;
    assert.match(frames, /x\\x1b\]0;PWNED/, 'the UI shows the arch value, escaped');
    assert.doesNotMatch(frames.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''), /\u0007|\u001b\]|\u009b/, 'no OSC, BEL or C1 from the file');
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});

test('--plots with control characters in the run and class names writes SVG and PNG (issue 16.6)', async () => {
  const t = await tempDir();
  try {
    const run = await hostileRun(t);
    const plots = join(t, 'plots');
    const r = await runCli([run, '--format', 'json', '--plots', plots], t);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /non-XML|\n\s+at /);
    const { readdir } = await import('node:fs/promises');
    const files = await readdir(plots);
    assert.ok(files.some((f) => f.endsWith('.png')) && files.some((f) => f.endsWith('.svg')), files.join(', '));
    const svg = await readFile(join(plots, files.find((f) => f.endsWith('.svg'))!), 'utf8');
    assert.doesNotMatch(svg, RAW_CONTROL);
    assert.match(svg, /evil\\x1b\]0;T\\x07/);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
