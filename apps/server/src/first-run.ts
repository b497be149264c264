import { issueFirstRunSetupToken } from '@tickets/core';
import type { DB } from '@tickets/db';
import type { Kysely } from 'kysely';
import type { Logger } from './logger';

export interface SetupAnnouncement {
  token: string;
  /** Where a person opens the setup (the console serves it; until then it explains the API call). */
  setupUrl: string;
}

/** A bind-all address is not something to type into a browser: the loopback one is. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * On a database with no superadmin, issues a one-time setup token and prints where to use it: a log
 * line (for log collectors) and plain lines on stderr (for the person watching the terminal; stdout is
 * the JSON log). Nothing happens once a superadmin exists. Whoever can read this output may become the
 * superadmin, as with Jenkins' initial password: the server's output must be kept as private as its
 * configuration.
 */
export async function announceFirstRunSetup(
  db: Kysely<DB>,
  address: { host: string; port: number },
  logger: Logger,
  terminal: { write(text: string): unknown } = process.stderr,
): Promise<SetupAnnouncement | null> {
  const token = await issueFirstRunSetupToken(db);
  if (!token) return null;
  const base = `http://${displayHost(address.host)}:${address.port}`;
  const setupUrl = `${base}/setup?token=${token}`;
  logger.warn({ setupUrl }, 'first run: no superadmin yet; open the setup link to create one');
  // LOG_LEVEL=silent (tests, mostly) silences the terminal lines too.
  if (logger.level === 'silent') return { token, setupUrl };
  const body = JSON.stringify({
    json: { token, email: 'you@example.com', name: 'Your Name', password: 'at least 10 characters' },
  });
  terminal.write(
    [
      '',
      'First run: no superadmin exists yet. Create the first one with this one-time link:',
      `  ${setupUrl}`,
      'or with the API call it stands for (see /docs#auth.setup):',
      `  curl -s ${base}/trpc/auth.setup -H 'content-type: application/json' -d '${body}'`,
      '',
      '',
    ].join('\n'),
  );
  return { token, setupUrl };
}
