import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliContext } from './context';
import { CliError, exitCodes, notSignedIn } from './errors';

/** What `tickets login` keeps: enough to call the server again without a password. */
export interface StoredSession {
  url: string;
  token: string;
  email: string;
}

type Env = CliContext['env'];

/** `$XDG_CONFIG_HOME/tickets/config.json`, `~/.config/tickets/config.json` when XDG_CONFIG_HOME is unset. */
export function configPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'tickets', 'config.json');
}

export async function readConfig(env: Env): Promise<Partial<StoredSession>> {
  const path = configPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { url, token, email } = parsed as Record<string, unknown>;
    return {
      ...(typeof url === 'string' ? { url } : {}),
      ...(typeof token === 'string' ? { token } : {}),
      ...(typeof email === 'string' ? { email } : {}),
    };
  } catch {
    throw new CliError(exitCodes.usage, `${path} is not valid JSON: fix it or remove it and sign in again.`);
  }
}

/**
 * Writes the session readable by its owner only (0600, folder 0700). Through a temporary file and a
 * rename, so a crash never leaves half a file, and the token is never readable by others even briefly.
 */
export async function writeConfig(env: Env, session: StoredSession): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

export async function removeConfig(env: Env): Promise<void> {
  await rm(configPath(env), { force: true });
}

export interface Session {
  url: string;
  token: string;
}

/** The server and token to use: TICKETS_URL / TICKETS_TOKEN win over the stored session. */
export async function resolveSession(env: Env): Promise<Session> {
  const stored = await readConfig(env);
  const url = env.TICKETS_URL || stored.url;
  const token = env.TICKETS_TOKEN || stored.token;
  if (!url || !token) throw notSignedIn();
  return { url, token };
}
