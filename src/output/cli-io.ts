// What subcommands may touch instead of `process`: streams, env and TTY facts (so they stay testable).

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  /** stdout is a terminal */
  isTTY: boolean;
  /** stderr is a terminal: progress lines go there only then */
  stderrIsTTY?: boolean;
  cwd: string;
  /**
   * resolves when the user interrupts; long-running commands (watch, the UI) stop on it. From the CLI entry it
   * resolves with the exit code for the signal (130 SIGINT, 143 SIGTERM; see runtime/interrupt.ts).
   */
  interrupted?: Promise<number | void>;
}
