import type { AppRouter as Api, RouterInputs as ApiInputs, RouterOutputs as ApiOutputs } from '@tickets/api';

/**
 * The API's router type, for tRPC integrations such as `@trpc/tanstack-react-query`.
 *
 * @example
 * const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
 */
export type AppRouter = Api;
/** Every procedure's input, by path. @example type NewTicket = RouterInputs['tickets']['create']; */
export type RouterInputs = ApiInputs;
/** Every procedure's output, by path. @example type TicketPage = RouterOutputs['tickets']['list']; */
export type RouterOutputs = ApiOutputs;

// Named entities, derived from what the procedures really return: they cannot drift from the server.

/** A ticket as every procedure returns it. @example const open = (ticket: Ticket) => ticket.status !== 'closed'; */
export type Ticket = RouterOutputs['tickets']['get'];
/** One page of a list: `nextCursor` is null on the last page. @example let page: Page<Ticket>; */
export type Page<T> = { items: T[]; nextCursor: string | null };
/** A public reply or an internal note on a ticket. @example const text = (message: Message) => message.body; */
export type Message = RouterOutputs['messages']['create'];
/** An attachment's metadata (its bytes come from `downloadAttachment`). @example attachment.filename */
export type Attachment = RouterOutputs['attachments']['get'];
/** An in-app notification (`type` says what happened, `data` carries its details). @example const unread = (n: Notification) => n.readAt === null; */
export type Notification = RouterOutputs['notifications']['list']['items'][number];
/** A live notification event: `id` resumes the stream after a reconnection. @example event.data.title */
export type NotificationEvent =
  RouterOutputs['notifications']['onNotification'] extends AsyncIterable<infer E> ? E : never;
/** A user account. @example const label = (user: User) => `${user.name} <${user.email}>`; */
export type User = RouterOutputs['users']['list']['items'][number];
/** A workspace (the tenant). @example const slug = (workspace: Workspace) => workspace.slug; */
export type Workspace = RouterOutputs['workspaces']['list']['items'][number];
/** An audit log entry. @example const who = (event: AuditEvent) => event.actorId; */
export type AuditEvent = RouterOutputs['logs']['list']['items'][number];
/** The statistics report of `stats.generate`. @example const stats: Stats = await client.stats.generate.query({}); */
export type Stats = RouterOutputs['stats']['generate'];
/** What `tickets.create` accepts. @example const input: CreateTicketInput = { title: 'Printer on fire', description: 'Since 9 am.' }; */
export type CreateTicketInput = RouterInputs['tickets']['create'];
/** The filters `tickets.list` accepts. @example const filter: ListTicketsInput = { status: 'open' }; */
export type ListTicketsInput = RouterInputs['tickets']['list'];
