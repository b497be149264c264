import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import {
  outboxStatuses,
  roles,
  slaStatsMeasures,
  ticketCategories,
  ticketPriorities,
  ticketStatsDailyDimensions,
  ticketStatsDimensions,
  ticketStatuses,
  webhookDeliveryStatuses,
} from './enums';
import { openTestDatabase } from './testing';

// The migrations keep their own frozen lists, so nothing but this test ties them to enums.ts: each
// column's CHECK constraint is read back from the migrated database and compared with its list.

/** Every column a migration holds to a list, with the list of enums.ts that must say the same. */
const listedColumns: Record<string, readonly string[]> = {
  'users.role': roles,
  'tickets.status': ticketStatuses,
  'tickets.priority': ticketPriorities,
  'tickets.category': ticketCategories,
  'notification_outbox.status': outboxStatuses,
  'webhook_deliveries.status': webhookDeliveryStatuses,
  'ticket_stats_total.dimension': ticketStatsDimensions,
  'ticket_stats_daily.dimension': ticketStatsDailyDimensions,
  'sla_stats_daily.measure': slaStatsMeasures,
};

interface CheckConstraint {
  column: string;
  definition: string;
}

let database: Database;
/** The single-column CHECK constraints of the public tables that compare the column to a list. */
let listChecks: CheckConstraint[];

beforeAll(async () => {
  database = await openTestDatabase();
  // PostgreSQL stores `x in ('a', 'b')` as `x = ANY (ARRAY['a'::text, 'b'::text])`.
  const { rows } = await sql<CheckConstraint>`
    select c.relname || '.' || a.attname as column, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
    where k.contype = 'c' and n.nspname = 'public' and cardinality(k.conkey) = 1
      and pg_get_constraintdef(k.oid) like '%= ANY (ARRAY[%'
    order by 1`.execute(database.db);
  listChecks = rows;
});

afterAll(async () => {
  await database?.close();
});

/** The quoted values of a constraint's definition, unescaped. */
function valuesOf(definition: string): string[] {
  return [...definition.matchAll(/'((?:[^']|'')*)'::text/g)].map((match) =>
    (match[1] ?? '').replaceAll("''", "'"),
  );
}

describe('the enum lists against the database constraints', () => {
  it('given the migrated database, then every column held to a list has its list in enums.ts (a new one needs a list)', () => {
    expect(listChecks.map((check) => check.column).sort()).toEqual(Object.keys(listedColumns).sort());
  });

  it.each(Object.entries(listedColumns))(
    'given the CHECK constraint of %s, then it allows exactly the values of its list',
    (column, values) => {
      const checks = listChecks.filter((check) => check.column === column);
      expect(checks, `one list constraint on ${column}`).toHaveLength(1);
      const allowed = valuesOf(checks[0]?.definition ?? '');
      expect(new Set(allowed).size, 'no value listed twice').toBe(allowed.length);
      expect([...allowed].sort()).toEqual([...values].sort());
    },
  );

  it('given a list read from a constraint, then one value more on either side is a difference', () => {
    // Guards the comparison itself: an empty or unparsed definition would make every list "match".
    const definition = listChecks.find((check) => check.column === 'tickets.status')?.definition ?? '';
    const allowed = valuesOf(definition).sort();
    expect(allowed).toHaveLength(ticketStatuses.length);
    expect(allowed).not.toEqual([...ticketStatuses, 'on_hold'].sort());
    expect([...allowed, 'on_hold'].sort()).not.toEqual([...ticketStatuses].sort());
  });
});
