import type { Readable } from 'node:stream';

/** A place text goes to: process.stdout in the real program, a buffer in tests. */
export interface Output {
  write(text: string): unknown;
}

/**
 * Everything a command may touch from the outside world. The entry (main.ts) fills it from the real
 * process; tests fill it by hand, so commands run in process with their own environment and streams.
 */
export interface CliContext {
  /** The environment, read once by the entry (main.ts): no command reads the process environment itself. */
  env: Readonly<Record<string, string | undefined>>;
  stdout: Output;
  stderr: Output;
  /** Where a password is read from when TICKETS_PASSWORD is unset. */
  stdin: Readable & { isTTY?: boolean };
  /** Aborted on Ctrl-C: long-running commands (watch) end cleanly when it fires. */
  signal?: AbortSignal;
  /** The server the command talks to, once known: errors name it ("Cannot reach http://…"). */
  serverUrl?: string;
}
