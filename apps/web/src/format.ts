import type { AuditEvent, Notification, Role, TicketStatus } from '@tickets/client';

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "2 min ago", "yesterday", or the date for anything older than a week. */
export function timeAgo(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return relative.format(Math.round(seconds / 86_400), 'day');
  return date.toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A length of time in the largest sensible unit: "45 min", "3.5 h", "2.1 days". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

/** `in_progress` → "In progress". */
export function label(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const isStaff = (role: Role) => role === 'superadmin' || role === 'admin' || role === 'support';

export const openStatuses: readonly TicketStatus[] = [
  'open',
  'in_progress',
  'awaiting_response',
  'escalated',
];

/** Who did it, in words: a name when the caller may know it, else "You" or "Support". */
export type NameOf = (userId: string | null | undefined) => string;

/** One audit event as a sentence: "Grace assigned this to Ada". */
export function describeEvent(event: AuditEvent, nameOf: NameOf): string {
  const actor = nameOf(event.actorId);
  const data = event.data as Record<string, unknown>;
  switch (event.action) {
    case 'ticket.created':
      return `${actor} opened this ticket`;
    case 'ticket.updated': {
      const changes = changedFields(data);
      return changes ? `${actor} changed ${changes}` : `${actor} edited this ticket`;
    }
    case 'ticket.assigned': {
      const to = changesOf(data).assignedTo?.to;
      if (typeof to !== 'string') return `${actor} unassigned this`;
      return to === event.actorId ? `${actor} took this ticket` : `${actor} assigned this to ${nameOf(to)}`;
    }
    case 'ticket.escalated':
      return `${actor} escalated this${typeof data.reason === 'string' && data.reason ? `: “${data.reason}”` : ''}`;
    case 'ticket.closed':
      return `${actor} closed this${typeof data.reason === 'string' && data.reason ? `: “${data.reason}”` : ''}`;
    case 'ticket.reopened':
      return `${actor} reopened this`;
    case 'message.created':
      return event.internal ? `${actor} added an internal note` : `${actor} replied`;
    case 'attachment.created':
      return `${actor} attached ${typeof data.filename === 'string' ? data.filename : 'a file'}`;
    case 'sla.breached':
      return `The ${data.target === 'firstResponse' ? 'first-response' : 'resolution'} target was missed`;
  }
}

type Changes = Record<string, { from?: unknown; to?: unknown } | undefined>;
// Audit events carry `{ changes: { field: { from, to } } }` for what they changed.
const changesOf = (data: Record<string, unknown>) => (data.changes ?? {}) as Changes;

function changedFields(data: Record<string, unknown>): string {
  return Object.entries(changesOf(data))
    .map(([field, change]) =>
      // A description is too long to quote in a sentence.
      field === 'description' ? field : `${field} from ${show(change?.from)} to ${show(change?.to)}`,
    )
    .join(', ');
}

const show = (value: unknown) => (typeof value === 'string' ? label(value) : String(value ?? '—'));

/** A notification as a sentence. */
export function describeNotification(notification: Notification, nameOf: NameOf): string {
  const actor = nameOf(notification.actorId);
  const data = notification.data as Record<string, unknown>;
  const title = typeof data.title === 'string' ? `“${data.title}”` : 'a ticket';
  switch (notification.type) {
    case 'ticket.assigned':
      return `${actor} assigned ${title} to you`;
    case 'ticket.escalated':
      return `${actor} escalated ${title}`;
    case 'ticket.closed':
      return `${actor} closed ${title}`;
    case 'ticket.reopened':
      return `${actor} reopened ${title}`;
    case 'message.created':
      return data.internal ? `${actor} added an internal note on ${title}` : `${actor} replied on ${title}`;
    case 'attachment.created':
      return `${actor} attached a file to ${title}`;
    case 'sla.breached':
      return `${title} missed its ${data.target === 'firstResponse' ? 'first-response' : 'resolution'} target`;
    case 'sla.warning':
      return `${title} is close to its ${data.target === 'firstResponse' ? 'first-response' : 'resolution'} target`;
    case 'webhook.disabled':
      return `A webhook endpoint${typeof data.url === 'string' ? ` (${data.url})` : ''} failed repeatedly and was disabled`;
  }
}

/** A span of time in words, to the minute: "3 h 20 min", "2 days 4 h", "45 min", "less than a minute". */
export function span(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0)
    return hours > 0
      ? `${days} ${days === 1 ? 'day' : 'days'} ${hours} h`
      : `${days} ${days === 1 ? 'day' : 'days'}`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

/** One service-level target's state, as the ticket's clock tells it. */
export interface TargetState {
  dueAt: Date | null;
  /** The target was missed (stays true once set). */
  breached: boolean;
  /** The target no longer runs: answered (first response) or closed (resolution). */
  done: boolean;
  paused: boolean;
}

/**
 * A target in words: "due in 3 h 20 min", "breached 2 h ago", "met", "missed", "paused while awaiting
 * the requester". A due time that passed before the worker recorded the breach already reads as breached.
 */
export function describeTarget(target: TargetState, now = Date.now()): string {
  if (target.done) return target.breached ? 'missed' : 'met';
  if (target.breached) {
    return target.dueAt ? `breached ${span(now - target.dueAt.getTime())} ago` : 'breached';
  }
  if (target.paused || !target.dueAt) return 'paused while awaiting the requester';
  const left = target.dueAt.getTime() - now;
  return left > 0 ? `due in ${span(left)}` : `breached ${span(-left)} ago`;
}

/** A share in whole percent ("80 %"), or a dash when nothing is decided. */
export function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)} %`;
}
