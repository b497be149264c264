import { describe, expectTypeOf, it } from 'vitest';
import {
  type Attachment,
  type AuditEvent,
  createTicketsClient,
  type DownloadedAttachment,
  isTicketsError,
  type Notification,
  type NotificationEvent,
  type Role,
  type RouterInputs,
  type RouterOutputs,
  roles,
  type Stats,
  type Ticket,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
  type TicketsAppCode,
  ticketCategories,
  ticketPriorities,
  ticketStatuses,
  type User,
  type Workspace,
} from './index';

const client = createTicketsClient({ url: 'http://localhost:3000', token: 'token' });

describe('procedure inputs and outputs', () => {
  it('tickets.create takes a title and description and resolves to a Ticket with Dates', () => {
    expectTypeOf(client.tickets.create.mutate).parameter(0).toHaveProperty('title').toEqualTypeOf<string>();
    expectTypeOf(client.tickets.create.mutate).returns.resolves.toEqualTypeOf<Ticket>();
    expectTypeOf<Ticket['createdAt']>().toEqualTypeOf<Date>();
    expectTypeOf<Ticket['assignedTo']>().toEqualTypeOf<string | null>();
  });

  it('tickets.list filters by the enums and pages with a cursor', () => {
    type Input = Extract<RouterInputs['tickets']['list'], object>;
    expectTypeOf<Input['status']>().toEqualTypeOf<TicketStatus | undefined>();
    expectTypeOf<Input['cursor']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RouterOutputs['tickets']['list']>().toEqualTypeOf<{
      items: Ticket[];
      nextCursor: string | null;
    }>();
  });

  it('auth.signIn answers a bearer token; auth.me may be signed out', () => {
    expectTypeOf<RouterOutputs['auth']['signIn']['token']>().toEqualTypeOf<string>();
    expectTypeOf<RouterOutputs['auth']['me']>().toEqualTypeOf<User | null>();
    // @ts-expect-error a password is required
    client.auth.signIn.mutate({ email: 'ada@example.com' });
  });

  it('messages.create takes a body and an optional internal flag', () => {
    expectTypeOf<RouterInputs['messages']['create']>().toHaveProperty('body').toEqualTypeOf<string>();
    expectTypeOf<RouterInputs['messages']['create']['internal']>().toEqualTypeOf<boolean | undefined>();
  });

  it('the notification subscription yields tracked notifications', () => {
    expectTypeOf<NotificationEvent['id']>().toEqualTypeOf<string>();
    expectTypeOf<NotificationEvent['data']>().toEqualTypeOf<Notification>();
  });

  it('names every entity', () => {
    expectTypeOf<Attachment>().toHaveProperty('filename').toEqualTypeOf<string>();
    expectTypeOf<Attachment>().toHaveProperty('size').toEqualTypeOf<number>();
    expectTypeOf<User['role']>().toEqualTypeOf<Role>();
    expectTypeOf<Workspace>().toHaveProperty('slug').toEqualTypeOf<string>();
    expectTypeOf<AuditEvent>().toHaveProperty('action');
    expectTypeOf<Stats>().not.toBeAny();
  });

  it('the attachment helpers take the same client and stream bytes', () => {
    expectTypeOf(client.uploadAttachment).returns.resolves.toEqualTypeOf<Attachment>();
    expectTypeOf(client.downloadAttachment).returns.resolves.toEqualTypeOf<DownloadedAttachment>();
    expectTypeOf<DownloadedAttachment['stream']>().toEqualTypeOf<ReadableStream<Uint8Array>>();
  });
});

describe('isTicketsError', () => {
  it('narrows unknown to an error with its codes', () => {
    const error: unknown = new Error('x');
    if (isTicketsError(error)) {
      expectTypeOf(error.data.appCode).toEqualTypeOf<TicketsAppCode>();
      expectTypeOf(error.data.httpStatus).toEqualTypeOf<number>();
      expectTypeOf(error.message).toEqualTypeOf<string>();
    }
  });

  it('narrows data.appCode to the app code asked for', () => {
    const error: unknown = new Error('x');
    if (isTicketsError(error, 'TICKET_NOT_FOUND')) {
      expectTypeOf(error.data.appCode).toEqualTypeOf<'TICKET_NOT_FOUND'>();
    }
  });

  it('narrows data.code to the tRPC code asked for', () => {
    const error: unknown = new Error('x');
    if (isTicketsError(error, 'NOT_FOUND')) {
      expectTypeOf(error.data.code).toEqualTypeOf<'NOT_FOUND'>();
      expectTypeOf(error.data.issues).toEqualTypeOf<Array<{ path: string; message: string }> | undefined>();
    }
  });

  it('accepts only codes the server can send', () => {
    // @ts-expect-error not a code of this API
    isTicketsError(new Error('x'), 'TICKET_ON_FIRE');
    expectTypeOf<'VALIDATION_FAILED'>().toExtend<TicketsAppCode>();
    expectTypeOf<'RATE_LIMITED'>().toExtend<TicketsAppCode>();
  });
});

describe('enums', () => {
  it('are const tuples equal to the API types', () => {
    expectTypeOf(ticketStatuses).toEqualTypeOf<
      readonly ['open', 'in_progress', 'awaiting_response', 'escalated', 'closed']
    >();
    expectTypeOf<TicketStatus>().toEqualTypeOf<Ticket['status']>();
    expectTypeOf<TicketPriority>().toEqualTypeOf<Ticket['priority']>();
    expectTypeOf<TicketCategory>().toEqualTypeOf<Ticket['category']>();
    expectTypeOf<Role>().toEqualTypeOf<User['role']>();
    expectTypeOf(ticketPriorities[0]).toEqualTypeOf<'low'>();
    expectTypeOf(ticketCategories).items.toEqualTypeOf<TicketCategory>();
    expectTypeOf(roles).items.toEqualTypeOf<Role>();
  });
});
