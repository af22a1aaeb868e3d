// FormatReaders for other domain-adaptation codebases' text logs: DeepDA, Dassl, Keras/ADAPT console output.
import { readDeepdaLog, sniffDeepda } from './deepda.js';
import { readDasslLog, sniffDassl } from './dassl.js';
import { readKerasLog, sniffKeras } from './keras.js';
import type { FormatReader, ReadOptions } from '../format-reader.js';

export { readDeepdaLog, sniffDeepda, parseDeepdaFields } from './deepda.js';
export { readDasslLog, sniffDassl } from './dassl.js';
export { readKerasLog, sniffKeras, parseKerasPairs } from './keras.js';

export const deepdaLogReader: FormatReader = {
  format: 'deepda-log',
  sniff: sniffDeepda,
  read: (path: string, opts?: ReadOptions) => readDeepdaLog(path, opts),
};

export const dasslLogReader: FormatReader = {
  format: 'dassl-log',
  sniff: sniffDassl,
  read: (path: string, opts?: ReadOptions) => readDasslLog(path, opts),
};

export const kerasLogReader: FormatReader = {
  format: 'keras-log',
  sniff: sniffKeras,
  read: (path: string, opts?: ReadOptions) => readKerasLog(path, opts),
};
