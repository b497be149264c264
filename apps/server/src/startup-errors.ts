import { createServer } from 'node:net';
import { DataDirInUseError } from './data-dir-lock';
import type { Env } from './env';

/**
 * A failure at start-up that the operator can fix from one sentence: shown as that sentence, with no
 * stack (a stack says "bug", and this is not one).
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Fails fast, before the database is opened (and migrated), when the port is taken: otherwise the
 * server would connect, migrate, and only then find out. PORT=0 always finds a free one.
 */
export async function ensurePortIsFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new StartupError(
        `Port ${port} on ${host} is already in use (is another server running?). Stop it, or set PORT to another port (PORT=0 picks a free one).`,
      );
    }
    if (error.code === 'EACCES') {
      throw new StartupError(
        `Not allowed to listen on port ${port} (ports below 1024 need privileges). Set PORT.`,
      );
    }
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
      throw new StartupError(
        `HOST=${host} is not an address of this machine. Set HOST (e.g. 127.0.0.1 or 0.0.0.0).`,
      );
    }
    throw error;
  });
}

/** The error codes of the first cause in the chain that has one (PostgreSQL's SQLSTATE, or Node's). */
function codesOf(error: unknown): { code?: string; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return { code, message: current.message };
    // AggregateError (a host with several addresses, all refused) carries its causes in `errors`.
    const inner = (current as { errors?: unknown[] }).errors?.[0];
    current = inner ?? current.cause;
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * The one sentence for a failure the operator can fix (a missing database, an unreachable server, a
 * refused password, a taken port), or null for anything else (logged with its stack).
 */
export function explainStartupFailure(error: unknown, database: Env['database']): string | null {
  if (error instanceof StartupError || error instanceof DataDirInUseError) return error.message;
  if (database.kind !== 'postgres') return null;
  const url = new URL(database.url);
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const user = decodeURIComponent(url.username) || 'postgres';
  const name = decodeURIComponent(url.pathname.slice(1)) || user;
  const { code } = codesOf(error);
  switch (code) {
    case '3D000':
      return `The database "${name}" does not exist on ${host}:${port}. Create it with: createdb -h ${host} -p ${port} -U ${user} ${name}`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
      return `Cannot reach PostgreSQL at ${host}:${port} (${code}). Is it running, and is DATABASE_URL right?`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${host}:${port} refused user "${user}" (${code === '28P01' ? 'wrong password' : 'not allowed'}). Check DATABASE_URL.`;
    default:
      return null;
  }
}
