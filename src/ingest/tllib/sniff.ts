// Decides from a file's first bytes whether it is a tllib text log, whatever its name (train-*.txt, log.txt, out.log).

/** How much of the head is looked at; the header and the first epoch lines fit well inside. */
const SNIFF_CHARS = 64 * 1024;

/** A tllib training progress line, or the validation summary, at the start of a line. */
const TRAIN_LINE = /(?:^|\n)Epoch: \[\d{1,9}\]\[ *\d{1,12}\/\d{1,12}\]\t/;
const SUMMARY_LINE = /(?:^|\n) \* Acc@?1 [-0-9.naif]/;

/** CompleteLogger's file names: `<phase>-%Y-%m-%d-%H_%M_%S.txt` (formats.md 1.1). */
const COMPLETE_LOGGER_NAME = /(?:^|[\\/])(?:train|test|analysis)-\d{4}-\d{2}-\d{2}-\d{2}_\d{2}_\d{2}\.txt$/;

/**
 * Content first: a `Namespace(` first line, a training progress line or a validation summary. Name second: a
 * CompleteLogger file name claims text that shows none of these (an empty log, or one that crashed before printing
 * its arguments), so the run is still reported, as empty or crashed.
 */
export function sniffTllib(name: string, head: Buffer): boolean {
  const text = head.subarray(0, SNIFF_CHARS).toString('utf8');
  if (text.includes('\u0000')) return false;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith('Namespace(', start)) return true;
  if (TRAIN_LINE.test(text) || SUMMARY_LINE.test(text)) return true;
  return COMPLETE_LOGGER_NAME.test(name);
}
