import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  OutboxStatus,
  Role,
  SlaStatsMeasure,
  TicketCategory,
  TicketPriority,
  TicketStatsDailyDimension,
  TicketStatus,
  WebhookDeliveryStatus,
} from './enums';

// The tables as Kysely sees them, in camelCase (CamelCasePlugin maps to the snake_case columns).
// Rows are the storage shape; the domain turns them into DTOs. A column a CHECK holds to a list has the
// union of that list (enums.ts), so a row read back needs no cast.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface WorkspacesTable {
  id: Generated<string>;
  name: string;
  slug: string;
  allowSignUp: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  workspaceId: string | null;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  isActive: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SessionsTable {
  id: string;
  secretHash: Uint8Array;
  userId: string;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
}

/** A device that signed in to the account before: its attempts are throttled apart from strangers'. */
export interface SignInDevicesTable {
  id: string;
  secretHash: Uint8Array;
  userId: string;
  createdAt: CreatedAt;
  expiresAt: Timestamp;
}

export interface TicketsTable {
  id: Generated<string>;
  workspaceId: string;
  title: string;
  description: string;
  status: Generated<TicketStatus>;
  priority: Generated<TicketPriority>;
  priorityRank: ColumnType<number, never, never>;
  category: Generated<TicketCategory>;
  createdBy: string;
  assignedTo: string | null;
  isEscalated: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  firstResponseAt: NullableTimestamp;
  resolvedAt: NullableTimestamp;
  version: Generated<number>;
  search: ColumnType<string, never, never>;
  // The service-level clock (migration 0007; docs/SLA.md).
  slaPolicyId: string | null;
  slaElapsedSeconds: Generated<number>;
  slaRunningSince: NullableTimestamp;
  slaFirstResponseDueAt: NullableTimestamp;
  slaResolutionDueAt: NullableTimestamp;
  slaNextDueAt: NullableTimestamp;
  slaFirstResponseBreachedAt: NullableTimestamp;
  slaResolutionBreachedAt: NullableTimestamp;
  slaFirstResponseWarnedAt: NullableTimestamp;
  slaResolutionWarnedAt: NullableTimestamp;
  /** slaNextDueAt with "none" as infinity: the keyset order of the list's 'sla' sort. */
  slaSortAt: ColumnType<Date, never, never>;
}

/**
 * Service-level running totals (migration 0007), maintained by a trigger: per workspace and UTC day,
 * targets met or missed by the tickets created that day, and ('breached_on') targets missed that day.
 */
export interface SlaStatsDailyTable {
  workspaceId: ColumnType<string, never, never>;
  day: ColumnType<Date, never, never>;
  measure: ColumnType<SlaStatsMeasure, never, never>;
  n: ColumnType<number, never, never>;
}

/** Versions of a workspace's service-level policy (migration 0007); a new workspace gets version 1. */
export interface SlaPoliciesTable {
  id: Generated<string>;
  workspaceId: string;
  version: number;
  targets: ColumnType<Record<string, unknown>, string, string>;
  businessHours: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface MessagesTable {
  id: Generated<string>;
  workspaceId: string;
  ticketId: string;
  authorId: string;
  body: string;
  internal: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface AttachmentsTable {
  id: Generated<string>;
  workspaceId: string;
  ticketId: string;
  messageId: string | null;
  uploadedBy: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  internal: Generated<boolean>;
  storageKey: string;
  createdAt: CreatedAt;
}

export interface AuditEventsTable {
  id: Generated<string>;
  workspaceId: string;
  ticketId: string | null;
  /** Null for what the system did (a service-level breach). */
  actorId: string | null;
  action: string;
  internal: Generated<boolean>;
  data: Json;
  createdAt: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  seq: ColumnType<number, never, never>;
  workspaceId: string;
  userId: string;
  type: string;
  ticketId: string | null;
  /** Null for what the system did (a service-level breach). */
  actorId: string | null;
  data: Json;
  /** About an internal note or attachment: only staff (by their role now) receive and list it. */
  internal: Generated<boolean>;
  readAt: NullableTimestamp;
  createdAt: CreatedAt;
}

export interface NotificationOutboxTable {
  id: Generated<string>;
  notificationId: string;
  channel: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  nextAttemptAt: ColumnType<Date, Date | string | undefined, Date | string>;
  lastError: string | null;
  sentAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface NotificationPreferencesTable {
  userId: string;
  channel: string;
  type: string;
  enabled: boolean;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DB {
  workspaces: WorkspacesTable;
  users: UsersTable;
  sessions: SessionsTable;
  signInDevices: SignInDevicesTable;
  tickets: TicketsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  auditEvents: AuditEventsTable;
  notifications: NotificationsTable;
  notificationOutbox: NotificationOutboxTable;
  notificationPreferences: NotificationPreferencesTable;
  rateLimits: RateLimitsTable;
  idempotencyKeys: IdempotencyKeysTable;
  ticketStatsDaily: TicketStatsDailyTable;
  setupTokens: SetupTokensTable;
  slaPolicies: SlaPoliciesTable;
  slaStatsDaily: SlaStatsDailyTable;
  webhookEndpoints: WebhookEndpointsTable;
  webhookDeliveries: WebhookDeliveriesTable;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
/**
 * A ticket as the application reads it: every column but the generated search vector, which only the
 * database uses and which is the largest value of the row (read and thrown away, it cost every list).
 */
export type TicketRow = Omit<Selectable<TicketsTable>, 'search' | 'slaSortAt'>;
/** The columns of TicketRow, for `select` and `returning` (the check below keeps the list complete). */
export const ticketRowColumns = [
  'id',
  'workspaceId',
  'title',
  'description',
  'status',
  'priority',
  'priorityRank',
  'category',
  'createdBy',
  'assignedTo',
  'isEscalated',
  'createdAt',
  'updatedAt',
  'firstResponseAt',
  'resolvedAt',
  'version',
  'slaPolicyId',
  'slaElapsedSeconds',
  'slaRunningSince',
  'slaFirstResponseDueAt',
  'slaResolutionDueAt',
  'slaNextDueAt',
  'slaFirstResponseBreachedAt',
  'slaResolutionBreachedAt',
  'slaFirstResponseWarnedAt',
  'slaResolutionWarnedAt',
] as const satisfies ReadonlyArray<keyof TicketRow>;
type MustBeEmpty<T extends never> = T;
/** Does not compile while a column of TicketRow is missing from ticketRowColumns. */
export type UnlistedTicketColumns = MustBeEmpty<Exclude<keyof TicketRow, (typeof ticketRowColumns)[number]>>;
export type NewTicketRow = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type AttachmentRow = Selectable<AttachmentsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationOutboxRow = Selectable<NotificationOutboxTable>;
export type NotificationPreferenceRow = Selectable<NotificationPreferencesTable>;
export type SlaPolicyRow = Selectable<SlaPoliciesTable>;

/** One fixed-window request counter (UNLOGGED: shared by instances, not worth a WAL write). */
export interface RateLimitsTable {
  key: string;
  expiresAt: Date;
  hits: number;
}

/** A creation's idempotency key: the request it answered and the answer a retry gets back. */
export interface IdempotencyKeysTable {
  userId: string;
  key: string;
  scope: string;
  requestHash: string;
  /** Null only inside the creating transaction, never once committed. */
  response: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
  expiresAt: Date;
}

/**
 * Running totals for the statistics, maintained by a trigger on tickets (migration 0006): per workspace,
 * UTC day and breakdown value, what the tickets created that day add up to now ('closed_on': tickets
 * last closed that day). Read-only for the application.
 */
export interface TicketStatsDailyTable {
  workspaceId: ColumnType<string, never, never>;
  /** A SQL date: read it as text (to_char) rather than as a Date at local midnight. */
  day: ColumnType<Date, never, never>;
  dimension: ColumnType<TicketStatsDailyDimension, never, never>;
  value: ColumnType<string, never, never>;
  tickets: ColumnType<number, never, never>;
  closed: ColumnType<number, never, never>;
  escalated: ColumnType<number, never, never>;
  unassignedOpen: ColumnType<number, never, never>;
  resolved: ColumnType<number, never, never>;
  resolutionMs: ColumnType<number, never, never>;
  responded: ColumnType<number, never, never>;
  firstResponseMs: ColumnType<number, never, never>;
}

/** The hash of a one-time first-run setup token (migration 0009); emptied by the first setup. */
export interface SetupTokensTable {
  tokenHash: Uint8Array;
  createdAt: CreatedAt;
}

/** A URL a workspace pushes its events to (migration 0008). */
export interface WebhookEndpointsTable {
  id: Generated<string>;
  workspaceId: string;
  url: string;
  events: string[];
  includeInternal: Generated<boolean>;
  enabled: Generated<boolean>;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: NullableTimestamp;
  consecutiveFailures: Generated<number>;
  failingSince: NullableTimestamp;
  disabledReason: string | null;
  createdBy: string;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One message to POST to one endpoint: the webhook outbox. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  endpointId: string;
  workspaceId: string;
  messageId: string;
  eventType: string;
  payload: Json;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  nextAttemptAt: ColumnType<Date, Date | string | undefined, Date | string>;
  lastAttemptAt: NullableTimestamp;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  deliveredAt: NullableTimestamp;
  createdAt: CreatedAt;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
