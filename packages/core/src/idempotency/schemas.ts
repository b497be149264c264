import { z } from 'zod';

/**
 * A client-chosen key that makes a creation safe to retry (a UUID is the usual choice). Printable ASCII
 * without spaces, so the same key travels unchanged in a JSON field and in an `Idempotency-Key` header.
 */
export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'Use printable ASCII characters without spaces.');

/** The operations that take a key; a key answers one operation only. */
export type IdempotencyScope = 'tickets.create' | 'messages.create' | 'attachments.upload';
