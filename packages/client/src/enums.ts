// The platform's enumerations as values (for <select>s, validation, exhaustive switches). They are
// written out here rather than imported from the server's domain package, which the SDK must never load
// at run time; the enums tests of client.test-d.ts fail the build the day they drift from the API's types.

/**
 * Every ticket status, in workflow order.
 *
 * @example
 * for (const status of ticketStatuses) console.log(status); // 'open', 'in_progress', …
 */
export const ticketStatuses = ['open', 'in_progress', 'awaiting_response', 'escalated', 'closed'] as const;
/** A ticket's status. @example const status: TicketStatus = 'open'; */
export type TicketStatus = (typeof ticketStatuses)[number];

/**
 * Every ticket priority, lowest first. Requesters may choose up to `high`; only staff set `critical`.
 *
 * @example
 * const options = ticketPriorities.map((priority) => ({ value: priority, label: priority }));
 */
export const ticketPriorities = ['low', 'medium', 'high', 'critical'] as const;
/** A ticket's priority. @example const priority: TicketPriority = 'high'; */
export type TicketPriority = (typeof ticketPriorities)[number];

/**
 * Every ticket category.
 *
 * @example
 * const isCategory = (value: string): value is TicketCategory =>
 *   (ticketCategories as readonly string[]).includes(value);
 */
export const ticketCategories = ['general', 'payment', 'technical', 'feedback', 'order', 'other'] as const;
/** A ticket's category. @example const category: TicketCategory = 'technical'; */
export type TicketCategory = (typeof ticketCategories)[number];

/**
 * Every role. `superadmin`, `admin` and `support` are staff; `writer` and `client` are requesters.
 *
 * @example
 * const isStaff = (role: Role) => role === 'superadmin' || role === 'admin' || role === 'support';
 */
export const roles = ['superadmin', 'admin', 'support', 'writer', 'client'] as const;
/** A user's role. @example const role: Role = 'support'; */
export type Role = (typeof roles)[number];
