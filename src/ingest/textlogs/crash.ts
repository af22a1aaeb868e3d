// Spots a Python traceback in a text log and keeps the exception that ended it (the run crashed).
import { parseExceptionLine } from '../tllib/line-parsers.js';
import type { CrashInfo } from '../../model/types.js';

const TRACEBACK_START = 'Traceback (most recent call last):';

/** Feed every line; `crash` holds the last complete traceback's exception (type, message, file:line). */
export class CrashTracker {
  crash?: CrashInfo;
  private inTraceback = false;
  constructor(private readonly file: string) {}

  /** True when the line belonged to a traceback (so format parsers can ignore it). */
  feed(text: string, line: number): boolean {
    if (text.startsWith(TRACEBACK_START)) {
      this.inTraceback = true;
      return true;
    }
    if (!this.inTraceback) return false;
    // frames are indented; the first unindented line that looks like `Type: message` ends the traceback
    const ex = parseExceptionLine(text);
    if (ex) {
      this.crash = { file: this.file, line, type: ex.type, message: ex.message };
      this.inTraceback = false;
    }
    return true;
  }
}
