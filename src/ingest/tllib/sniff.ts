// Decides from a file's first bytes whether it is a tllib text log, whatever its name (train-*.txt, log.txt, out.log).
import { TLLIB_LOG_NAME } from '../common/log-names.js';

/** How much of the head is looked at; the header and the first epoch lines fit well inside. */
const SNIFF_CHARS = 64 * 1024;

/** Text before a first NUL for a file to be judged by it (a Namespace line alone is ~500 characters). */
const MIN_TEXT_BEFORE_NUL = 64;

/** A tllib training progress line, or the validation summary, at the start of a line. */
const TRAIN_LINE = /(?:^|\n)Epoch: \[\d{1,9}\]\[ *\d{1,12}\/\d{1,12}\]\t/;
const SUMMARY_LINE = /(?:^|\n) \* Acc@?1 [-0-9.naif]/;


/**
 * Content first: a `Namespace(` first line, a training progress line or a validation summary. Name second: a
 * CompleteLogger file name claims text that shows none of these (an empty log, or one that crashed before printing
 * its arguments), so the run is still reported, as empty or crashed.
 */
export function sniffTllib(name: string, head: Buffer): boolean {
  let text = head.subarray(0, SNIFF_CHARS).toString('utf8');
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    // A binary file has NULs from its first bytes. A crash-truncated log padded with zeros (the filesystem kept the
    // size, not the data) has them only after real lines: judge it by the structure before the first NUL run.
    if (nul < MIN_TEXT_BEFORE_NUL) return false;
    text = text.slice(0, nul);
    const s0 = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return text.startsWith('Namespace(', s0) || TRAIN_LINE.test(text) || SUMMARY_LINE.test(text);
  }
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.startsWith('Namespace(', start)) return true;
  if (TRAIN_LINE.test(text) || SUMMARY_LINE.test(text)) return true;
  // CompleteLogger's name, on the path's last part
  return TLLIB_LOG_NAME.test(name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1));
}
