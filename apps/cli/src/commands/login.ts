import { createTicketsClient } from '@tickets/client';
import type { Command } from 'commander';
import { readConfig, writeConfig } from '../config';
import type { CliContext } from '../context';
import { usageError } from '../errors';
import { formatFields, printJson, wantsJson } from '../format';
import { promptSecret } from '../prompt';

interface LoginOptions {
  url?: string;
  email: string;
}

function serverUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`"${value}" is not a URL (expected e.g. https://help.example.com).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`"${value}" is not an http(s) URL.`);
  }
  return url.href.replace(/\/$/, '');
}

export function registerLogin(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('sign in and keep the session for the next commands')
    .option('--url <url>', 'server base URL (default: TICKETS_URL, then the last server used)')
    .requiredOption('--email <email>', 'your e-mail address')
    .action(async (options: LoginOptions, command: Command) => {
      const stored = await readConfig(ctx.env);
      const raw = options.url ?? ctx.env.TICKETS_URL ?? stored.url;
      if (!raw) throw usageError('Which server? Pass --url (e.g. --url https://help.example.com).');
      const url = serverUrl(raw);
      ctx.serverUrl = url;
      const password = ctx.env.TICKETS_PASSWORD || (await promptSecret(ctx, 'Password'));
      const client = createTicketsClient({ url });
      const result = await client.auth.signIn.mutate({ email: options.email, password });
      const path = await writeConfig(ctx.env, { url, token: result.token, email: result.user.email });
      if (wantsJson(command)) {
        printJson(ctx.stdout, { user: result.user, url, expiresAt: result.expiresAt, configPath: path });
        return;
      }
      ctx.stdout.write(`Signed in as ${result.user.name} <${result.user.email}> (${result.user.role}).\n`);
      ctx.stdout.write(
        formatFields([
          ['Server', url],
          ['Session until', result.expiresAt.toISOString()],
          ['Kept in', path],
        ]),
      );
    });
}
