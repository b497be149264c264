import { once } from 'node:events';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { CliContext } from './context';
import { usageError } from './errors';

/**
 * Reads a secret: on a terminal the typed characters are not echoed; from a pipe, the first line is it
 * (so scripts can `printf %s "$PW" | tickets login …`, keeping the password out of the process list).
 */
export async function promptSecret(ctx: CliContext, label: string): Promise<string> {
  const interactive = ctx.stdin.isTTY === true;
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (interactive && !muted) ctx.stderr.write(String(chunk));
      done();
    },
  });
  const rl = createInterface({ input: ctx.stdin, output, terminal: interactive });
  // On a terminal readline takes Ctrl-C for itself: treat it as giving up.
  rl.on('SIGINT', () => rl.close());
  const closed = once(rl, 'close').then(() => {
    throw usageError(`No ${label.toLowerCase()} given: type it, pipe it on stdin, or set TICKETS_PASSWORD.`);
  });
  try {
    const answer = rl.question(`${label}: `);
    muted = true;
    const value = await Promise.race([answer, closed]);
    if (interactive) ctx.stderr.write('\n');
    return value;
  } finally {
    closed.catch(() => {});
    rl.close();
  }
}
