import { once } from 'node:events';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { CliContext } from './context';
import { usageError } from './errors';

/**
 * Reads a secret: on a terminal the typed characters are not echoed; from a pipe, the first line is it,
 * with or without a newline after it (so scripts can `printf %s "$PW" | tickets login …`, keeping the
 * password out of the process list).
 */
export async function promptSecret(
  ctx: CliContext,
  label: string,
  variable = 'TICKETS_PASSWORD',
): Promise<string> {
  const missing = () =>
    usageError(`No ${label.toLowerCase()} given: type it, pipe it on stdin, or set ${variable}.`);
  if (ctx.stdin.isTTY !== true) {
    // readline drops a last line with no newline when the pipe closes: read the pipe ourselves.
    let text = '';
    for await (const chunk of ctx.stdin) {
      text += String(chunk);
      if (text.includes('\n') || text.length > 64 * 1024) break;
    }
    const [line = ''] = text.split(/\r?\n/);
    if (line === '') throw missing();
    return line;
  }
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) ctx.stderr.write(String(chunk));
      done();
    },
  });
  const rl = createInterface({ input: ctx.stdin, output, terminal: true });
  // On a terminal readline takes Ctrl-C for itself: treat it as giving up.
  rl.on('SIGINT', () => rl.close());
  const closed = once(rl, 'close').then(() => {
    throw missing();
  });
  try {
    const answer = rl.question(`${label}: `);
    muted = true;
    const value = await Promise.race([answer, closed]);
    ctx.stderr.write('\n');
    return value;
  } finally {
    closed.catch(() => {});
    rl.close();
  }
}
