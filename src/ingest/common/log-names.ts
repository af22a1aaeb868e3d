// The file names logs go by, in one place: discovery (which files of a folder are a run's logs), `watch` (which file
// to follow) and the tllib sniffer (a CompleteLogger name claims a file whose text shows nothing yet) all use them.

/** CompleteLogger's file names, `<phase>-%Y-%m-%d-%H_%M_%S.txt` (docs/formats.md 1.1); groups: phase, timestamp. */
export const TLLIB_LOG_NAME = /^(train|test|analysis)-(\d{4}-\d{2}-\d{2}-\d{2}_\d{2}_\d{2})\.txt$/;

/** Any other name a log file may have: text, CSV and JSON-lines files, `log.txt` and its rotations (`log.txt-1`). */
export const LOG_FILE_NAME = /(\.(txt|log|csv|jsonl|ndjson)$)|^log\.txt(-.*)?$/i;
