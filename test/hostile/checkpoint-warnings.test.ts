// Issue 16.10: what the checkpoint readers warn about the checkpoint as a whole (it references code, a tensor view
// reaching past its storage, ...) reaches every reporter, not only JSON; file-derived text in it stays escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { makeRun, tempDir, runCli } from './helpers.js';
import { float32s, stateDictPickle, storedMember, torchZip } from '../../bench/fuzz/hostile-inputs.js';

/** A tensor name an HTML or Markdown viewer would act on if it were not escaped. */
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

/** head.weight is fine; the hostile-named tensor is a [10] view on a 4-element storage; `payload` calls posix.system. */
function damagedCheckpoint(): Buffer {
  const pickle = stateDictPickle(
    [
      { name: 'head.weight', key: '0', numel: 6, shape: [2, 3] },
      { name: HOSTILE_NAME, key: '1', numel: 4, shape: [10] },
    ],
    ['posix', 'system'],
  );
  return torchZip(pickle, [storedMember('0', float32s(6)), storedMember('1', float32s(4))]);
}

test('checkpoint warnings appear in text, Markdown, HTML and SARIF, escaped where markup could run', async () => {
  const t = await tempDir();
  try {
    const { dir, checkpoint } = await makeRun(t);
    await writeFile(checkpoint, damagedCheckpoint());
    const json = JSON.parse((await runCli([dir, '--format', 'json', '--fail-on', 'never'], t)).stdout);
    const notes: string[] = json.runs[0].checkpoints[0].notes.map((n: { message: string }) => n.message);
    assert.ok(notes.some((m) => m.includes('reaches past its storage')), 'the reader warns about the view (the JSON report has always had it)');

    const out: Record<string, string> = {};
    for (const f of ['text', 'markdown', 'html', 'sarif']) out[f] = (await runCli([dir, '--format', f, '--fail-on', 'never'], t)).stdout;
    for (const [f, s] of Object.entries(out)) {
      assert.match(s, /checkpoint references code that dann-doctor does not run: posix\.system/, `${f}: the code reference`);
      assert.match(s, /skipped: view \(offset 0, 10 elements\) reaches past its storage/, `${f}: the skipped tensor`);
    }
    assert.ok(!out.html.includes(HOSTILE_NAME), 'HTML: the tensor name is escaped, not an <img> element');
    assert.ok(out.html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'HTML: the tensor name is shown, escaped');
    assert.doesNotMatch(out.markdown, /(?<!\\)<img/, 'Markdown: no live <img> tag');
    const sarif = JSON.parse(out.sarif);
    const note = sarif.runs[0].invocations[0].toolExecutionNotifications.find((n: { message: { text: string } }) => n.message.text.includes('past its storage'));
    assert.equal(note.level, 'warning');
    assert.match(note.locations[0].physicalLocation.artifactLocation.uri, /checkpoints\/latest\.pth$/);
    // the per-global reader note is summarised by the one code-reference line, not repeated
    assert.doesNotMatch(out.text, /pickle references 'posix\.system'/);
  } finally {
    await rm(t, { recursive: true, force: true });
  }
});
