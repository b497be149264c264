import { once } from 'node:events';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';

/**
 * Reads a secret from stdin. On a terminal the typed characters are not echoed and the value is asked
 * twice (a typo would otherwise go unseen); from a pipe, the first line is the secret.
 */
export async function promptSecret(label: string): Promise<string> {
  const interactive = process.stdin.isTTY === true;
  if (!interactive) return readFirstLine(process.stdin, label);
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (interactive && !muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: interactive });
  const closed = once(rl, 'close').then(() => {
    throw new Error(`no ${label.toLowerCase()} given on stdin`);
  });
  const ask = async (question: string) => {
    muted = false;
    const answer = rl.question(question);
    muted = true;
    const value = await Promise.race([answer, closed]);
    if (interactive) process.stderr.write('\n');
    return value;
  };
  try {
    const value = await ask(`${label}: `);
    if (interactive && (await ask(`${label} (again): `)) !== value) {
      throw new Error(`the two ${label.toLowerCase()}s differ`);
    }
    return value;
  } finally {
    closed.catch(() => {});
    rl.close();
  }
}

/**
 * From a pipe: the first line, with or without a newline after it (`printf %s "$PW" | …` sends none;
 * readline would drop such a last line when the pipe closes). Reading stops at a sane bound.
 */
export async function readFirstLine(input: AsyncIterable<Buffer | string>, label: string): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > 64 * 1024) break;
  }
  const [line = ''] = text.split(/\r?\n/);
  if (line === '') throw new Error(`no ${label.toLowerCase()} given on stdin`);
  return line;
}
