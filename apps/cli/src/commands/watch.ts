import type { Notification } from '@tickets/client';
import type { Command } from 'commander';
import { connect, currentUser } from '../client';
import type { CliContext } from '../context';
import { exitCodes } from '../errors';
import { describeFailure } from '../failure';
import { formatTime, truncate, wantsJson } from '../format';

const verbs: Record<Notification['type'], string> = {
  'ticket.assigned': 'assigned',
  'ticket.escalated': 'escalated',
  'ticket.closed': 'closed',
  'ticket.reopened': 'reopened',
  'message.created': 'new message',
  'attachment.created': 'new attachment',
  'sla.warning': 'service level due soon',
  'sla.breached': 'service level missed',
  'webhook.disabled': 'webhook disabled',
};

function describe(notification: Notification): string {
  const title =
    typeof notification.data.title === 'string' ? `  ${truncate(notification.data.title, 60)}` : '';
  const ticket = notification.ticketId ? `  ${notification.ticketId}` : '';
  return `${formatTime(notification.createdAt)}  ${verbs[notification.type]}${ticket}${title}\n`;
}

/** How long to wait before the n-th attempt in a row to reopen the stream: 1 s, 2 s, 4 s … up to 30 s. */
const retryDelayMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));

export function registerWatch(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description(
      'print your notifications as they arrive, one line each, until Ctrl-C; says when the connection is lost and when it is back',
    )
    .action(async (_options: unknown, command: Command) => {
      const json = wantsJson(command);
      const { client, session } = await connect(ctx);
      // Fails fast on a revoked session: the stream alone would only retry.
      await currentUser(client);
      // The last event seen: a new stream resumes after it, so nothing is missed or printed twice.
      let lastEventId: string | undefined;
      let failures = 0;
      let lost = false;
      const lose = (reason: string) => {
        if (!lost) ctx.stderr.write(`Connection to ${session.url} lost (${reason}); reconnecting…\n`);
        lost = true;
      };
      const regain = () => {
        if (lost) ctx.stderr.write('Reconnected; resuming after the last notification seen.\n');
        lost = false;
        failures = 0;
      };
      await new Promise<void>((resolve, reject) => {
        let current: { unsubscribe(): void } | undefined;
        let retry: ReturnType<typeof setTimeout> | undefined;
        const stop = () => {
          clearTimeout(retry);
          current?.unsubscribe();
          resolve();
        };
        const open = () => {
          current = client.notifications.onNotification.subscribe(lastEventId ? { lastEventId } : undefined, {
            onStarted: () => {
              if (!lost && failures === 0 && lastEventId === undefined) {
                ctx.stderr.write('Watching notifications (Ctrl-C to stop)…\n');
              }
            },
            onData: ({ id, data }) => {
              lastEventId = id;
              ctx.stdout.write(json ? `${JSON.stringify(data)}\n` : describe(data));
            },
            // The link reconnects a dropped stream by itself: report each loss once, and the return.
            onConnectionStateChange: (state) => {
              if (state.state === 'connecting' && state.error)
                lose(describeFailure(state.error, session.url).message);
              if (state.state === 'pending') regain();
            },
            onError: (error) => {
              current?.unsubscribe();
              const failure = describeFailure(error, session.url);
              // A server restarting (or out of reach) is worth waiting for; anything else ends the watch.
              if (
                failure.exitCode !== exitCodes.network &&
                failure.appCode !== 'SHUTTING_DOWN' &&
                failure.appCode !== 'DATABASE_UNAVAILABLE'
              ) {
                reject(error);
                return;
              }
              lose(failure.message);
              retry = setTimeout(open, retryDelayMs(failures));
              failures += 1;
            },
          });
        };
        if (ctx.signal?.aborted) {
          resolve();
          return;
        }
        ctx.signal?.addEventListener('abort', stop, { once: true });
        open();
      });
    });
}
