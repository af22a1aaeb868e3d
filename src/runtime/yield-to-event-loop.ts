// A turn of the event loop for long synchronous-looking work: file reads here are synchronous calls behind resolved
// promises (cheaper than libuv's thread pool for small files), so awaiting them never lets Node run a signal handler,
// a timer or an I/O callback. Without a turn now and then, Ctrl-C during a sweep was honoured only at its end.

/** Resolves on the next turn of the event loop (after pending I/O callbacks and signal handlers have run). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((done) => setImmediate(done));
}
