import { AppError } from '../errors';
import {
  type Actor,
  type AdminActor,
  adminRoles,
  type Role,
  roles,
  type StaffActor,
  type SuperadminActor,
  staffRoles,
} from './actor';

// The one answer to "who may do this": every action a caller can ask for, the access level it needs
// and, for an action on one row, whose rows the actor reaches. The domain commands ask it through
// assertCan / can; the tRPC gates are picked from it (procedureFor in api procedures/base.ts); the
// query forms of the ticket rule (tickets.ts: scopeTicketsToActor, mayReceiveTicketNews) say the same
// as canSeeTicket here, in SQL. Rules about *what* may change (which fields, which transitions, which
// roles an admin may grant) stay with the command that applies them.

/** Who passes, widest first. Each level is a set of roles; `public` also lets in a caller with no session. */
export const accessLevels = ['public', 'authed', 'staff', 'admin', 'superadmin'] as const;
export type AccessLevel = (typeof accessLevels)[number];

const rolesAt: Record<Exclude<AccessLevel, 'public'>, readonly Role[]> = {
  authed: roles,
  staff: staffRoles,
  admin: adminRoles,
  superadmin: ['superadmin'],
};

/** The roles that pass `level` (every role for `public` and `authed`). */
export const rolesReaching = (level: AccessLevel): readonly Role[] =>
  level === 'public' ? roles : rolesAt[level];

/** Whether the caller (null: no session) passes `level`. */
export function reaches(actor: Actor | null, level: AccessLevel): boolean {
  if (level === 'public') return true;
  return actor !== null && rolesAt[level].includes(actor.role);
}

/** What the actor is narrowed to once they passed `level`. */
export type ActorAt<Level extends AccessLevel> = Level extends 'superadmin'
  ? SuperadminActor
  : Level extends 'admin'
    ? AdminActor
    : Level extends 'staff'
      ? StaffActor
      : Actor;

/** What a policy needs to know about a ticket. */
export interface TicketOwnership {
  readonly workspaceId: string;
  readonly createdBy: string;
}

/** An attachment, with the workspace and creator of its ticket. */
export interface AttachmentOwnership extends TicketOwnership {
  readonly internal: boolean;
}

/**
 * Whether the actor may see the ticket at all: a superadmin any, staff those of their workspace, a
 * requester those they created. Anything they may not see answers NOT_FOUND, exactly as a missing one.
 */
export function canSeeTicket(actor: Actor, ticket: TicketOwnership): boolean {
  if (reaches(actor, 'superadmin')) return true;
  if (ticket.workspaceId !== actor.workspaceId) return false;
  return reaches(actor, 'staff') || ticket.createdBy === actor.id;
}

export const ticketNotFound = () => new AppError('TICKET_NOT_FOUND', 'Ticket not found.');
export const attachmentNotFound = () => new AppError('ATTACHMENT_NOT_FOUND', 'Attachment not found.');

interface ObjectRows {
  ticket: TicketOwnership;
  attachment: AttachmentOwnership;
}
type ObjectKind = keyof ObjectRows;

/** Per kind of row: which ones the actor may see, and the answer for one they may not. */
const objects: {
  [Kind in ObjectKind]: { sees(actor: Actor, row: ObjectRows[Kind]): boolean; notFound(): AppError };
} = {
  ticket: { sees: canSeeTicket, notFound: ticketNotFound },
  attachment: {
    // An internal attachment is as hidden as an internal note.
    sees: (actor, attachment) =>
      canSeeTicket(actor, attachment) && (!attachment.internal || can(actor, 'ticket:read-internal')),
    notFound: attachmentNotFound,
  },
};

interface Permission {
  /** Who passes; anyone else is refused FORBIDDEN (or UNAUTHORIZED at the gate, without a session). */
  readonly access: AccessLevel;
  /**
   * For an action on one row: its kind. Given the row, the actor must see it first; one they may not
   * see answers the kind's NOT_FOUND, as a missing one would, before the access level is asked.
   */
  readonly object?: ObjectKind;
  /** What a refused actor is told; by default "Only staff / admins / a superadmin may do this." */
  readonly refusal?: string;
  /** The input field that asked for the action, named in the refusal (e.g. `internal`). */
  readonly field?: string;
}

export const permissions = {
  // Accounts and sessions. `account:whoami` answers null without a session rather than refusing.
  'account:setup': { access: 'public' },
  'account:sign-up': { access: 'public' },
  'account:sign-in': { access: 'public' },
  'account:whoami': { access: 'public' },
  'account:sign-out': { access: 'authed' },
  /** The caller's own notifications and notification preferences. */
  'notification:own': { access: 'authed' },

  // Workspaces: everyone lists theirs (a superadmin all of them); only a superadmin creates one.
  'workspace:list': { access: 'authed' },
  'workspace:create': { access: 'superadmin', refusal: 'Only a superadmin may create workspaces.' },

  // Users: staff read their workspace's; admins create and change them (which roles an admin may
  // grant or touch: users/create-user.ts, users/update-user.ts).
  'user:list': { access: 'staff' },
  'user:manage': { access: 'admin', refusal: 'Only admins may manage users.' },

  // Tickets. Every row action needs the ticket visible first (canSeeTicket), then the level.
  'ticket:list': { access: 'authed' },
  'ticket:create': { access: 'authed' },
  'ticket:read': { access: 'authed', object: 'ticket' },
  /** Title, description, category; the rest needs `ticket:triage`. */
  'ticket:update': { access: 'authed', object: 'ticket' },
  'ticket:reopen': { access: 'authed', object: 'ticket' },
  /** A public message on the ticket. */
  'ticket:reply': { access: 'authed', object: 'ticket' },
  'ticket:assign': { access: 'staff', object: 'ticket' },
  'ticket:escalate': { access: 'staff', object: 'ticket' },
  'ticket:close': { access: 'staff', object: 'ticket' },
  /**
   * What only staff decide: a ticket's status and priority (critical on create), the status a reopen
   * goes to, the requester a ticket is opened for. Refused with FIELD_NOT_ALLOWED by the command.
   */
  'ticket:triage': { access: 'staff', object: 'ticket' },
  /** Change a closed ticket, or add a message or a file to it, without reopening it (else TICKET_CLOSED). */
  'ticket:change-closed': { access: 'staff', object: 'ticket' },
  /** Write an internal note. */
  'ticket:note': {
    access: 'staff',
    object: 'ticket',
    refusal: 'Only staff may post internal notes.',
    field: 'internal',
  },
  /** See internal notes, internal attachments, the audit events and notifications about them. */
  'ticket:read-internal': { access: 'staff', object: 'ticket' },

  // Attachments: the upload HTTP route and the attachment procedures.
  'attachment:upload': { access: 'authed', object: 'ticket' },
  'attachment:upload-internal': {
    access: 'staff',
    object: 'ticket',
    refusal: 'Only staff may upload internal attachments.',
    field: 'internal',
  },
  'attachment:read': { access: 'authed', object: 'attachment' },

  // The audit log: of one ticket the actor sees, or (staff) of the whole workspace.
  'log:read': { access: 'authed', object: 'ticket' },
  'log:read-workspace': {
    access: 'staff',
    refusal: 'Only staff may read the workspace log; pass the ticketId of your ticket.',
    field: 'ticketId',
  },

  'stats:read': { access: 'staff', refusal: 'Only staff may see statistics.' },

  'sla:read': { access: 'staff', refusal: 'Only staff may read service levels.' },
  'sla:manage': { access: 'admin', refusal: 'Only admins may change service levels.' },

  // Webhooks send a workspace's whole event stream elsewhere: only its admins register, change, read
  // or test them (scoping to the workspace happens in the queries).
  'webhook:manage': { access: 'admin', refusal: 'Only admins may manage webhooks.' },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof permissions;
export type AccessOf<A extends Action> = (typeof permissions)[A]['access'];
/** The row an action is about, when it is about one (never: the action takes none). */
export type RowOf<A extends Action> = (typeof permissions)[A] extends {
  object: infer Kind extends ObjectKind;
}
  ? ObjectRows[Kind]
  : never;

export const accessOf = <A extends Action>(action: A): AccessOf<A> => permissions[action].access;

const defaultRefusals: Record<AccessLevel, string> = {
  public: 'You may not do this.',
  authed: 'You may not do this.',
  staff: 'Only staff may do this.',
  admin: 'Only admins may do this.',
  superadmin: 'Only a superadmin may do this.',
};

type Verdict = 'allowed' | 'unseen' | 'refused';

function judge(actor: Actor, action: Action, row: ObjectRows[ObjectKind] | undefined): Verdict {
  const entry: Permission = permissions[action];
  if (row !== undefined && entry.object !== undefined) {
    const sees = objects[entry.object].sees as (actor: Actor, row: ObjectRows[ObjectKind]) => boolean;
    if (!sees(actor, row)) return 'unseen';
  }
  return reaches(actor, entry.access) ? 'allowed' : 'refused';
}

/**
 * Whether the actor may do `action` (on `row`, when given). Pure: no I/O, no state rules (a closed
 * ticket, a transition). Without the row only the access level is asked: the form a command uses
 * before its lookup, whose query scoping is the row half of the same rule.
 */
export function can<A extends Action>(actor: Actor, action: A, row?: RowOf<A>): boolean {
  return judge(actor, action, row) === 'allowed';
}

/**
 * Like can, but throws: a row the actor may not see answers its NOT_FOUND (no existence oracle); a
 * row they see, or no row, answers FORBIDDEN. On return the actor is narrowed to the action's level.
 */
export function assertCan<A extends Action>(
  actor: Actor,
  action: A,
  row?: RowOf<A>,
): asserts actor is ActorAt<AccessOf<A>> {
  const verdict = judge(actor, action, row);
  if (verdict === 'allowed') return;
  const entry: Permission = permissions[action];
  if (verdict === 'unseen' && entry.object !== undefined) throw objects[entry.object].notFound();
  throw new AppError(
    'FORBIDDEN',
    entry.refusal ?? defaultRefusals[entry.access],
    entry.field === undefined ? undefined : { field: entry.field },
  );
}
