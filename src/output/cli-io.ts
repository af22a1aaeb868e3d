// What subcommands may touch instead of `process`: streams, env and TTY facts (so they stay testable).

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  cwd: string;
  /** resolves when the user interrupts (SIGINT); long-running commands (watch) stop on it */
  interrupted?: Promise<void>;
}
