// The tllib text-log reader as a FormatReader (sniff + read), plus its parts for direct use.
import type { FormatReader } from '../format-reader.js';
import { readTllibLog } from './read-tllib-log.js';
import { sniffTllib } from './sniff.js';

export const tllibReader: FormatReader = {
  format: 'tllib',
  sniff: sniffTllib,
  read: readTllibLog,
};

export { readTllibLog, MAX_NOTES_PER_KIND, MAX_TABLES, MAX_SERIES, MAX_TABLE_ROWS, type ReaderTuning } from './read-tllib-log.js';
export { TllibTextParser } from './text-parser.js';
export { TllibFastPath } from './fast-path.js';
export { sniffTllib } from './sniff.js';
export { inferAlgorithm, algorithmFromLogPath, algorithmFromMeters } from './algorithm.js';
export { MAX_POINTS_PER_SERIES } from '../common/point-buffer.js';
