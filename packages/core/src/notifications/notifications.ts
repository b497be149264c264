import type { Actor } from '../policy/actor';
import { can } from '../policy/permissions';
import { decodeCursor, invalidCursor, type Page, toPage } from '../shared/pagination';
import type { Executor } from '../shared/transaction';
import { notificationTypes } from './create-notifications';
import { toNotification } from './notification-dto';
import type {
  ListNotificationsInput,
  MarkNotificationsReadInput,
  Notification,
  NotificationPreferences,
  UnreadCount,
  UpdatedCount,
  UpdateNotificationPreferencesInput,
} from './schemas';

// Every query here is keyed on the caller's own user id: a notification belongs to exactly one user, so
// nobody (superadmins included) can read or mark another's, and an id that is not the caller's is simply
// not matched — no error, so ids cannot be probed. Notifications about internal notes and attachments
// count only while the caller is staff (their role now): a demoted agent no longer sees those they
// received before.

/** The caller's own notifications that their role lets them see now. */
function ownNotifications(executor: Executor, actor: Actor) {
  const own = executor.selectFrom('notifications').where('userId', '=', actor.id);
  return can(actor, 'ticket:read-internal') ? own : own.where('internal', '=', false);
}

/** The caller's notifications, newest first. */
export async function listNotifications(
  executor: Executor,
  actor: Actor,
  input: ListNotificationsInput,
): Promise<Page<Notification>> {
  let query = ownNotifications(executor, actor)
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(input.limit + 1);
  if (input.unreadOnly) query = query.where('readAt', 'is', null);
  if (input.cursor) {
    // The cursor names the last notification seen, not its position: a platform-wide sequence number
    // would tell the caller how busy everyone else is. A cursor naming nobody's own row pages nothing.
    const [key, id] = decodeCursor(input.cursor);
    if (key !== 'n') throw invalidCursor();
    query = query.where('seq', '<', (eb) =>
      eb.selectFrom('notifications').select('seq').where('id', '=', id).where('userId', '=', actor.id),
    );
  }
  const rows = await query.execute();
  return toPage(rows, input.limit, (row) => ['n', row.id], toNotification);
}

export async function countUnreadNotifications(executor: Executor, actor: Actor): Promise<UnreadCount> {
  const row = await ownNotifications(executor, actor)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count) };
}

/** Marks the given notifications of the caller read; returns how many changed (already read: 0). */
export async function markNotificationsRead(
  executor: Executor,
  actor: Actor,
  input: MarkNotificationsReadInput,
): Promise<UpdatedCount> {
  const result = await executor
    .updateTable('notifications')
    .set({ readAt: new Date() })
    .where('userId', '=', actor.id)
    .where('id', 'in', input.ids)
    .where('readAt', 'is', null)
    .$if(!can(actor, 'ticket:read-internal'), (query) => query.where('internal', '=', false))
    .executeTakeFirst();
  return { updated: Number(result.numUpdatedRows) };
}

export async function markAllNotificationsRead(executor: Executor, actor: Actor): Promise<UpdatedCount> {
  const result = await executor
    .updateTable('notifications')
    .set({ readAt: new Date() })
    .where('userId', '=', actor.id)
    .where('readAt', 'is', null)
    .$if(!can(actor, 'ticket:read-internal'), (query) => query.where('internal', '=', false))
    .executeTakeFirst();
  return { updated: Number(result.numUpdatedRows) };
}

/** Every event type with the caller's choice for e-mail (on unless switched off). */
export async function getNotificationPreferences(
  executor: Executor,
  actor: Actor,
): Promise<NotificationPreferences> {
  const rows = await executor
    .selectFrom('notificationPreferences')
    .select(['type', 'enabled'])
    .where('userId', '=', actor.id)
    .where('channel', '=', 'email')
    .execute();
  const stored = new Map(rows.map((row) => [row.type, row.enabled]));
  return {
    email: Object.fromEntries(
      notificationTypes.map((type) => [type, stored.get(type) ?? true]),
    ) as NotificationPreferences['email'],
  };
}

/** Changes only the types named; returns every preference after the change. */
export async function updateNotificationPreferences(
  executor: Executor,
  actor: Actor,
  input: UpdateNotificationPreferencesInput,
): Promise<NotificationPreferences> {
  const changes = Object.entries(input.email).filter(
    (entry): entry is [string, boolean] => typeof entry[1] === 'boolean',
  );
  if (changes.length > 0) {
    const now = new Date();
    await executor
      .insertInto('notificationPreferences')
      .values(
        changes.map(([type, enabled]) => ({
          userId: actor.id,
          channel: 'email',
          type,
          enabled,
          updatedAt: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['userId', 'channel', 'type']).doUpdateSet((eb) => ({
          enabled: eb.ref('excluded.enabled'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute();
  }
  return getNotificationPreferences(executor, actor);
}

/**
 * Where a stream resumes: the position of the caller's own notification `id` (the last event id the
 * client saw), or null (live from now) for an id that is not theirs.
 */
export async function resumePointOf(executor: Executor, actor: Actor, id: string): Promise<number | null> {
  const row = await executor
    .selectFrom('notifications')
    .select('seq')
    .where('id', '=', id)
    .where('userId', '=', actor.id)
    .executeTakeFirst();
  return row ? Number(row.seq) : null;
}
