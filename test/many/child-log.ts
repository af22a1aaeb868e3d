// Drives test/many/append-log.mjs (a child process appending a real log) and waits on its answers with a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const SCRIPT = fileURLToPath(new URL('./append-log.mjs', import.meta.url));

export class ChildLog {
  readonly child: ChildProcess;
  private answers: string[] = [];
  private waiter: ((s: string) => void) | undefined;

  constructor(src: string, dest: string) {
    this.child = spawn(process.execPath, [SCRIPT, src, dest], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (l) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(l);
      } else this.answers.push(l);
    });
  }

  /** The next line the child prints, or a rejection after `timeoutMs` (a hung child fails the test, never hangs it). */
  next(timeoutMs = 20_000): Promise<string> {
    const queued = this.answers.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child gave no answer within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = (s) => {
        clearTimeout(t);
        resolve(s);
      };
    });
  }

  async send(cmd: string): Promise<string> {
    this.child.stdin!.write(`${cmd}\n`);
    return this.next();
  }

  stop(): void {
    this.child.stdin!.end('exit\n');
    this.child.kill();
  }
}

/** Resolve when `check()` turns true, re-checking on each `tick()`; reject after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, tick: () => Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await tick();
  }
}
