import { createTicketsClient, type TicketsClient, type User } from '@tickets/client';
import { EventSource } from 'eventsource';
import { resolveSession, type Session } from './config';
import type { CliContext } from './context';
import { CliError, exitCodes } from './errors';

export interface Connection {
  client: TicketsClient;
  session: Session;
}

/** A client signed in with the resolved session (exit 2 before any request when there is none). */
export async function connect(ctx: CliContext): Promise<Connection> {
  const session = await resolveSession(ctx.env);
  ctx.serverUrl = session.url;
  const client = createTicketsClient({ url: session.url, token: session.token, EventSource });
  return { client, session };
}

/** The signed-in user; auth.me answers null rather than failing when the token is no longer valid. */
export async function currentUser(client: TicketsClient): Promise<User> {
  const user = await client.auth.me.query();
  if (!user) {
    throw new CliError(exitCodes.auth, 'The session has ended or was revoked: run `tickets login` again.');
  }
  return user;
}

/** The signed-in user's id, for `me` in arguments. */
export async function myId(client: TicketsClient): Promise<string> {
  return (await currentUser(client)).id;
}
