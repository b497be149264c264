import type { Notification } from '@tickets/client';
import type { Command } from 'commander';
import { connect, currentUser } from '../client';
import type { CliContext } from '../context';
import { formatTime, truncate, wantsJson } from '../format';

const verbs: Record<Notification['type'], string> = {
  'ticket.assigned': 'assigned',
  'ticket.escalated': 'escalated',
  'ticket.closed': 'closed',
  'ticket.reopened': 'reopened',
  'message.created': 'new message',
  'attachment.created': 'new attachment',
  'webhook.disabled': 'webhook disabled',
};

function describe(notification: Notification): string {
  const title =
    typeof notification.data.title === 'string' ? `  ${truncate(notification.data.title, 60)}` : '';
  const ticket = notification.ticketId ? `  ${notification.ticketId}` : '';
  return `${formatTime(notification.createdAt)}  ${verbs[notification.type]}${ticket}${title}\n`;
}

export function registerWatch(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description('print your notifications as they arrive, one line each, until Ctrl-C')
    .action(async (_options: unknown, command: Command) => {
      const json = wantsJson(command);
      const { client } = await connect(ctx);
      // Fails fast on a revoked session: the stream alone would only retry.
      await currentUser(client);
      await new Promise<void>((resolve, reject) => {
        const subscription = client.notifications.onNotification.subscribe(undefined, {
          onStarted: () => ctx.stderr.write('Watching notifications (Ctrl-C to stop)…\n'),
          onData: ({ data }) => ctx.stdout.write(json ? `${JSON.stringify(data)}\n` : describe(data)),
          onError: (error) => {
            subscription.unsubscribe();
            reject(error);
          },
        });
        const stop = () => {
          subscription.unsubscribe();
          resolve();
        };
        if (ctx.signal?.aborted) stop();
        else ctx.signal?.addEventListener('abort', stop, { once: true });
      });
    });
}
