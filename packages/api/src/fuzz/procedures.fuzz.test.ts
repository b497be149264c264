import { randomUUID } from 'node:crypto';
import { createSession, encodeCursor } from '@tickets/core';
import { createTicket, createWorkspaceWithCast, FACTORY_PASSWORD } from '@tickets/core/testing';
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { appRouter } from '../router';
import { createTestApi } from '../testing/harness';
import { errorShapeOf, rejection } from '../testing/rejection';

// CI replays one fixed seed, so whether a submission lands is never decided by chance; runs elsewhere
// explore new seeds (fast-check prints the seed of any failure, to replay it).
if (process.env.CI) fc.configureGlobal({ seed: 20_261_129 });

// Every procedure of the router, called as a staff member (admin) and as a requester (client) with
// generated inputs: plausible values (real ids of the caller's workspace, enum words, valid cursors)
// mixed with hostile ones (huge and NUL-laden strings, lone surrogates, prototype keys, wrong types,
// deep nesting, huge or non-finite numbers, forged cursors, 10k-item arrays). Whatever comes in, the
// answer is a success or a classified client error, never INTERNAL_SERVER_ERROR, and a rejected
// call leaves the workspace's rows exactly as they were.

const RUNS_PER_PROCEDURE_AND_ROLE = 30;

const api = await createTestApi();
afterAll(() => api.close());

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

function nested(depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = wrap(value);
  return value;
}

const hugeString = 'x'.repeat(200_000);
const prototypeKeys = JSON.parse(
  '{"__proto__":{"role":"superadmin","isAdmin":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}}',
) as Record<string, unknown>;

const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'before\u0000after',
    '\uD800',
    'lone \uDFFF surrogate',
    '\uFEFF\u202E\u200B',
    '𝌆😀é',
    "'; drop table tickets; --",
    '%s%n%x',
    '../../../etc/passwd',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    'NaN',
    'Infinity',
    '-1',
    '9'.repeat(400),
    '2026-13-45T99:99:99Z',
    '00000000-0000-0000-0000-000000000000',
    hugeString,
    `${hugeString}\u0000`,
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\uD800', '\uDC00', 'a', 'é', '\n', '"'), maxLength: 30 }),
);

const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    -1,
    0,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 31,
    -(2 ** 31) - 1,
  ),
);

/** Cursors a client could forge: well-formed envelopes around keys the list never produced. */
const forgedCursor = fc.oneof(
  fc.constantFrom('', '!!!', 'bm90IGpzb24', 'W10', 'e30', 'WyJhIl0', hugeString.slice(0, 600)),
  fc
    .tuple(
      fc.oneof(
        hostileString.filter((s) => s.length <= 64),
        hostileNumber,
      ),
      fc.uuid(),
    )
    .map((position) => encodeCursor(position)),
  fc.string({ maxLength: 40 }).map((text) => Buffer.from(text).toString('base64url')),
);

const hostileStructure = fc.constantFrom<unknown>(
  prototypeKeys,
  nested(5_000, 'deep', (inner) => ({ a: inner })),
  nested(5_000, 'deep', (inner) => [inner]),
  Array.from({ length: 10_000 }, () => randomUUID()),
  Array.from({ length: 10_000 }, () => 'x'),
  [],
  {},
  new Date(Number.NaN),
  () => 'a function',
  Symbol('symbol'),
  10n ** 30n,
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  forgedCursor,
  hostileStructure,
  fc.constantFrom(null, undefined, true, false),
  fc.anything({ maxDepth: 3, maxKeys: 5, withBigInt: true, withNullPrototype: true }),
);

interface Fixture {
  workspaceId: string;
  workspaceSlug: string;
  ticketIds: string[];
  userIds: string[];
  email: string;
}

function plausibleValue(fixture: Fixture): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(
      ...fixture.ticketIds,
      ...fixture.userIds,
      fixture.workspaceId,
      fixture.workspaceSlug,
      fixture.email,
      FACTORY_PASSWORD,
      'open',
      'pending',
      'resolved',
      'closed',
      'low',
      'normal',
      'high',
      'urgent',
      'client',
      'support',
      'admin',
      'writer',
      'A short, ordinary text',
      'someone@example.test',
      new Date().toISOString(),
      true,
      false,
      1,
      25,
      100,
    ),
    fc.uuid(),
    fc.constantFrom(encodeCursor([new Date().toISOString(), randomUUID()]), encodeCursor([3, randomUUID()])),
  );
}

interface ZodNode {
  _zod: {
    def: {
      type: string;
      format?: string;
      innerType?: ZodNode;
      in?: ZodNode;
      element?: ZodNode;
      options?: ZodNode[];
      values?: unknown[];
      entries?: Record<string, unknown>;
      shape?: Record<string, ZodNode>;
    };
  };
  shape?: Record<string, ZodNode>;
}

/**
 * Inputs shaped like the procedure's zod schema, each leaf either a value that fits it (so calls get
 * past validation into the domain code and the database) or, one time in four, a hostile one.
 */
function inputLike(
  schema: ZodNode | undefined,
  fixture: Fixture,
  depth = 0,
  hostile = true,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return plausibleValue(fixture);
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return inputLike(def.innerType, fixture, depth, hostile);
    case 'pipe':
      return inputLike(def.in, fixture, depth, hostile);
    case 'object': {
      const shape = schema.shape ?? def.shape ?? {};
      return fc
        .tuple(
          fc.record(
            Object.fromEntries(
              Object.entries(shape).map(([key, field]) => [
                key,
                hostile
                  ? fc.oneof(
                      { weight: 3, arbitrary: inputLike(field, fixture, depth + 1) },
                      { weight: 1, arbitrary: hostileValue },
                    )
                  : inputLike(field, fixture, depth + 1, false),
              ]),
            ),
            { requiredKeys: [] },
          ),
          hostile
            ? fc.option(fc.constantFrom(prototypeKeys, { unexpected: 'field' }, { role: 'superadmin' }), {
                freq: 8,
              })
            : fc.constant(null),
        )
        .map(([fields, extra]) => (extra ? { ...fields, ...extra } : fields));
    }
    case 'array':
      return fc.array(inputLike(def.element, fixture, depth + 1, hostile), { maxLength: 3 });
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? { none: 'none' }));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'union':
      return fc.oneof(...(def.options ?? []).map((option) => inputLike(option, fixture, depth + 1, hostile)));
    case 'boolean':
      return fc.boolean();
    case 'number':
      return fc.constantFrom(1, 2, 25, 100);
    case 'date':
      return fc.constantFrom(new Date(), new Date('2026-01-01T00:00:00Z'));
    case 'string':
      if (def.format === 'uuid' || def.format === 'guid') {
        return fc.oneof(
          fc.constantFrom(...fixture.ticketIds, ...fixture.userIds, fixture.workspaceId),
          fc.uuid(),
        );
      }
      if (def.format === 'email') return fc.constantFrom(fixture.email, `new-${randomUUID()}@example.test`);
      return fc.oneof(
        fc.constantFrom(
          'An ordinary text',
          fixture.workspaceSlug,
          FACTORY_PASSWORD,
          `slug-${randomUUID().slice(0, 8)}`,
        ),
        fc.string({ minLength: 1, maxLength: 30 }),
      );
    default:
      return plausibleValue(fixture);
  }
}

/** The strings Postgres or JavaScript choke on, tried in every top-level field of an otherwise valid input. */
const targetedStrings = ['before\u0000after', 'lone \uD800 surrogate', hugeString];
/** Well-formed cursors around keys of the wrong type for every list's sort column. */
const forgedCursors = [
  encodeCursor(['not a date', randomUUID()]),
  encodeCursor(['\u0000', randomUUID()]),
  encodeCursor([1e308, randomUUID()]),
  encodeCursor([-1, randomUUID()]),
  encodeCursor(['99999999999999999999', randomUUID()]),
  encodeCursor([Number.MAX_SAFE_INTEGER, randomUUID()]),
  // Instants JavaScript can hold and PostgreSQL cannot (before 4713 BC, after 294276 AD), in the plain
  // form of the timestamp lists and in each tagged form of the ticket sorts.
  ...['-271821-04-20T00:00:00.000Z', '-010000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z'].flatMap(
    (at) => [at, `c:${at}`, `u:${at}`, `p:3:${at}`].map((key) => encodeCursor([key, randomUUID()])),
  ),
];

function inputFor(path: string, fixture: Fixture) {
  const procedure = appRouter._def.procedures[path as keyof typeof appRouter._def.procedures] as unknown as {
    _def: { inputs: ZodNode[] };
  };
  const schema = procedure._def.inputs[0];
  const [valid] = fc.sample(inputLike(schema, fixture, 0, false), { numRuns: 1 });
  const examples =
    valid && typeof valid === 'object' && !Array.isArray(valid)
      ? Object.keys(schema?.shape ?? schema?._zod.def.innerType?.shape ?? valid).flatMap((key) =>
          (key === 'cursor' ? [...targetedStrings, ...forgedCursors] : targetedStrings).map(
            (text): [unknown] => [{ ...valid, [key]: text }],
          ),
        )
      : [];
  const arbitrary = fc.oneof(
    { weight: 5, arbitrary: inputLike(schema, fixture) },
    { weight: 1, arbitrary: hostileValue },
  );
  return { arbitrary, examples: [[valid] as [unknown], ...examples] };
}

async function makeFixture(): Promise<Fixture & { adminId: string; clientId: string }> {
  const cast = await createWorkspaceWithCast(api.db);
  const workspaceId = cast.workspace.id;
  const tickets = await Promise.all([
    createTicket(api.db, { workspaceId, createdBy: cast.client.user.id }),
    createTicket(api.db, { workspaceId, createdBy: cast.client.user.id, status: 'closed' }),
    createTicket(api.db, { workspaceId, createdBy: cast.writer.user.id }),
  ]);
  return {
    workspaceId,
    workspaceSlug: cast.workspace.slug,
    ticketIds: tickets.map((ticket) => ticket.id),
    // Not the admin's own id: a call deactivating the caller would turn the rest of the run into 401s.
    userIds: [cast.client.user.id, cast.support.user.id, cast.writer.user.id],
    email: cast.client.user.email,
    adminId: cast.admin.user.id,
    clientId: cast.client.user.id,
  };
}

async function rowCounts(workspaceId: string) {
  const { rows } = await sql<Record<string, number>>`
    select
      (select count(*) from tickets where workspace_id = ${workspaceId}) as tickets,
      (select count(*) from messages where workspace_id = ${workspaceId}) as messages,
      (select count(*) from audit_events where workspace_id = ${workspaceId}) as audit_events,
      (select count(*) from notifications where workspace_id = ${workspaceId}) as notifications,
      (select count(*) from users where workspace_id = ${workspaceId}) as users
  `.execute(api.db);
  return rows[0];
}

type Callable = (input: unknown) => Promise<unknown>;

function procedureOf(token: string, path: string): Callable {
  let target: unknown = api.as(token);
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  return target as Callable;
}

/** A subscription resolves to a stream: stop it at once, only its input handling is under test. */
async function settle(result: unknown): Promise<void> {
  if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
    const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    await iterator.return?.();
  }
}

const stats = { calls: 0, rejected: 0 };
afterAll(() => {
  // The report of the run: how many generated calls, how many refused.
  console.info(
    `fuzz: ${stats.calls} calls over ${procedurePaths.length} procedures, ${stats.rejected} rejected`,
  );
});

describe('text PostgreSQL cannot store', () => {
  it('given a NUL character in any field, even one only compared, then the call is a 400 naming the field and nothing is written', async () => {
    const fixture = await makeFixture();
    const { token } = await createSession(api.db, fixture.clientId);
    const before = await rowCounts(fixture.workspaceId);
    const signIn = await rejection(
      api.as().auth.signIn({ email: 'someone\u0000@example.test', password: FACTORY_PASSWORD }),
    );
    expect(signIn.code).toBe('BAD_REQUEST');
    expect(errorShapeOf(signIn).data.appCode).toBe('VALIDATION_FAILED');
    expect(signIn.message).toContain('email');
    const create = await rejection(
      api.as(token).tickets.create({ title: 'Broken\u0000title', description: 'Fine.' }),
    );
    expect(errorShapeOf(create).data.appCode).toBe('VALIDATION_FAILED');
    expect(await rowCounts(fixture.workspaceId)).toEqual(before);
  });
});

describe('fuzzing every procedure with generated and hostile inputs', () => {
  it('covers a non-trivial router', () => {
    expect(procedurePaths.length).toBeGreaterThan(25);
  });

  for (const role of ['admin', 'client'] as const) {
    describe(`as ${role === 'admin' ? 'a staff member' : 'a requester'}`, () => {
      it.each(procedurePaths)(
        'given generated inputs to %s, then no answer is an internal error and a rejected call changes nothing',
        async (path) => {
          const fixture = await makeFixture();
          const userId = role === 'admin' ? fixture.adminId : fixture.clientId;
          const { arbitrary, examples } = inputFor(path, fixture);
          await fc.assert(
            fc.asyncProperty(arbitrary, async (input) => {
              // A fresh session per call: auth.signOut (or a self-update) must not end the run's session.
              const { token } = await createSession(api.db, userId);
              const before = await rowCounts(fixture.workspaceId);
              stats.calls += 1;
              const outcome = await procedureOf(
                token,
                path,
              )(input).then(
                async (result) => {
                  await settle(result);
                  return null;
                },
                (error: unknown) => error,
              );
              if (outcome === null) return;
              stats.rejected += 1;
              expect(outcome).toBeInstanceOf(TRPCError);
              const error = outcome as TRPCError;
              expect(error.code, String(error.cause ?? error.message)).not.toBe('INTERNAL_SERVER_ERROR');
              expect(await rowCounts(fixture.workspaceId)).toEqual(before);
            }),
            { numRuns: RUNS_PER_PROCEDURE_AND_ROLE, examples, endOnFailure: true },
          );
          // No prototype was polluted by any `__proto__` / `constructor` key on the way.
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(({} as Record<string, unknown>).role).toBeUndefined();
        },
        60_000,
      );
    });
  }
});
