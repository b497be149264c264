export type {
  DownloadedAttachment,
  UploadAttachmentInput,
  UploadProgress,
  UploadSource,
} from './attachments';
export {
  createTicketsClient,
  type EventSourceConstructor,
  type EventSourceLike,
  type TicketsClient,
  type TicketsClientHelpers,
  type TicketsClientOptions,
} from './client';
export {
  type Role,
  roles,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
  ticketCategories,
  ticketPriorities,
  ticketStatuses,
} from './enums';
export {
  isTicketsError,
  type TicketsAppCode,
  type TicketsError,
  type TicketsErrorCode,
  type TicketsErrorData,
} from './errors';
export type * from './types';
