// forwardDomains with a stand-in network (the real one is tested in network-*.test.ts): the dump arrays it returns,
// its progress (images/s and the fraction done) and cancellation between batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { forwardDomains } from '../../src/rerun/forward-dataset.js';
import type { ImageBatch, RebuiltNetwork } from '../../src/rerun/types.js';
import { FIXTURES } from '../helpers/shared.js';

/** logits = [mean pixel, n], features = first pixel: enough to see which image each row came from. */
function fakeNetwork(onForward?: () => void): RebuiltNetwork {
  return {
    architecture: 'fake', input: { channels: 1 }, numClasses: 10, engine: 'none',
    async forward(b: ImageBatch) {
      onForward?.();
      const per = b.channels * b.height * b.width;
      const logits = new Float32Array(b.n * 2);
      const features = new Float32Array(b.n);
      for (let i = 0; i < b.n; i++) {
        let s = 0;
        for (let j = 0; j < per; j++) s += b.data[i * per + j]!;
        logits[2 * i] = s / per;
        logits[2 * i + 1] = b.n;
        features[i] = b.data[i * per]!;
      }
      return { backbone: { rows: b.n, cols: 1, data: features }, features: { rows: b.n, cols: 1, data: features }, logits: { rows: b.n, cols: 2, data: logits } };
    },
    async dispose() {},
  };
}

const images = (domain: string, n: number) => Array.from({ length: n }, (_, i) => ({
  path: join(FIXTURES, 'rerun', 'data', domain, 'images', `${String(i).padStart(4, '0')}.png`), label: i % 12, listFile: 'l.txt', line: i + 1,
}));
const t = { resize: 16, centerCrop: null, channels: 1 as const, mean: [0.5], std: [0.5] };

test('the arrays of a features.npz, rows in list order; labels outside the classes are counted, not fed; progress says images/s', async () => {
  const progress: [string, number][] = [];
  const res = await forwardDomains(fakeNetwork(), [{ domain: 'source', images: images('MNIST', 20) }, { domain: 'target', images: images('USPS', 10) }], t, { batchSize: 8, onProgress: (m, f) => progress.push([m, f]) });
  assert.deepEqual([...res.arrays.keys()].sort(), ['source_backbone_features', 'source_features', 'source_labels', 'source_logits', 'target_backbone_features', 'target_features', 'target_labels', 'target_logits']);
  // labels 10 and 11 are outside numClasses 10: 2 of 20 source rows and none of the 10 target rows
  assert.deepEqual(res.arrays.get('source_logits')!.shape, [18, 2]);
  assert.deepEqual([...res.arrays.get('source_labels')!.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(res.stats[0]!.badLabels, 2);
  assert.equal(res.stats[0]!.firstBadLabel!.line, 11);
  assert.match(progress[0]![0], /re-running the checkpoint on source images 8\/18 · \d+ images\/s/);
  assert.equal(progress.at(-1)![1], 1);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]![1] >= progress[i - 1]![1], 'the fraction never goes back');
});

test('an aborted signal stops between batches', async () => {
  const ac = new AbortController();
  let calls = 0;
  await assert.rejects(forwardDomains(fakeNetwork(() => { if (++calls === 2) ac.abort(); }), [{ domain: 'target', images: images('USPS', 40) }], t, { batchSize: 8, signal: ac.signal }), /cancelled/);
  assert.equal(calls, 2);
});
