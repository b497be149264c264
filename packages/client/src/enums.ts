// The platform's enumerations as values (for <select>s, validation, exhaustive switches). Declared once,
// beside the database columns that store them (@tickets/db's enums.ts, which imports nothing and whose
// test holds each list to its CHECK constraint); this entry re-exports them with the SDK's documentation.
// The build bundles the values into dist/index.js and the types into dist/index.d.ts: the published
// package neither imports nor depends on @tickets/db.
import * as declared from '@tickets/db/enums';

/**
 * Every ticket status, in workflow order.
 *
 * @example
 * for (const status of ticketStatuses) console.log(status); // 'open', 'in_progress', …
 */
export const ticketStatuses = declared.ticketStatuses;
/** A ticket's status. @example const status: TicketStatus = 'open'; */
export type TicketStatus = (typeof ticketStatuses)[number];

/**
 * Every ticket priority, lowest first. Requesters may choose up to `high`; only staff set `critical`.
 *
 * @example
 * const options = ticketPriorities.map((priority) => ({ value: priority, label: priority }));
 */
export const ticketPriorities = declared.ticketPriorities;
/** A ticket's priority. @example const priority: TicketPriority = 'high'; */
export type TicketPriority = (typeof ticketPriorities)[number];

/**
 * Every ticket category.
 *
 * @example
 * const isCategory = (value: string): value is TicketCategory =>
 *   (ticketCategories as readonly string[]).includes(value);
 */
export const ticketCategories = declared.ticketCategories;
/** A ticket's category. @example const category: TicketCategory = 'technical'; */
export type TicketCategory = (typeof ticketCategories)[number];

/**
 * Every role. `superadmin`, `admin` and `support` are staff; `writer` and `client` are requesters.
 *
 * @example
 * const isStaff = (role: Role) => role === 'superadmin' || role === 'admin' || role === 'support';
 */
export const roles = declared.roles;
/** A user's role. @example const role: Role = 'support'; */
export type Role = (typeof roles)[number];
