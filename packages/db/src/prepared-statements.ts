import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

// PostgreSQL parses and plans an unnamed statement on every execution. For a large statement run on
// every write (a reply is one statement of several data-modifying CTEs) that is a good part of its cost
// in the database: measured at 0.35 ms to parse and 0.55 ms to plan against 1.5 ms to run. A named
// statement is parsed once per connection, and PostgreSQL may keep a generic plan after five runs when
// it costs no more than the custom ones (for the reply it keeps planning per call: docs/PERFORMANCE.md).
// We name only statements that ask for it, by starting with this comment:
// - a generic plan is right for lookups by key (the reply's are) but can be wrong for filters whose best
//   plan depends on the values (a status that matches 1 % or 90 % of the rows), which stay unnamed;
// - a statement whose result columns change under it (a migration altering `select *`) fails with
//   "cached plan must not change result type"; a named statement lists its columns.
// PgBouncer in transaction mode (1.18, Debian's) cannot keep named statements across transactions:
// there the marker is only a comment.

const marker = '/* prepared */';

/** Put first in a statement's text to have it prepared once per connection. */
export const preparedStatement = sql.raw(marker);

const namesByText = new Map<string, string>();
const maxRemembered = 256;

/** A name per distinct text (PostgreSQL keeps prepared statements per connection, by name). */
function statementName(text: string): string {
  let name = namesByText.get(text);
  if (!name) {
    // The set of marked texts is small and fixed; the bound only guards against a text built from data.
    if (namesByText.size >= maxRemembered) namesByText.clear();
    name = `prepared_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    namesByText.set(text, name);
  }
  return name;
}

/**
 * Sends marked statements under their name. Kysely calls `client.query(text, values)`; anything else
 * (cursors, configs, other callers) passes through untouched.
 */
export function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values, ...rest] = args;
    return typeof text === 'string' && text.startsWith(marker)
      ? query({ name: statementName(text), text, values }, ...rest)
      : query(...args);
  }) as typeof client.query;
}
