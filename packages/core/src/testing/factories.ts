import { randomUUID } from 'node:crypto';
import type { TicketRow, UserRow, WorkspaceRow } from '@tickets/db';
import { hashPassword } from '../auth/passwords';
import { createSession } from '../auth/sessions';
import type { Actor, Role } from '../policy/actor';
import type { Executor } from '../shared/transaction';

// Factories for tests: each call makes its own rows with unique names, so every test owns its data
// and tests can run in parallel on one database. Overrides set any column.

export const FACTORY_PASSWORD = 'correct horse battery staple';
let factoryPasswordHash: Promise<string> | undefined;
/** argon2 is slow by design; factories hash the shared password once per process. */
const passwordHash = () => {
  factoryPasswordHash ??= hashPassword(FACTORY_PASSWORD);
  return factoryPasswordHash;
};

const unique = () => randomUUID().slice(0, 8);

export async function createWorkspace(
  db: Executor,
  overrides: Partial<Pick<WorkspaceRow, 'name' | 'slug' | 'allowSignUp'>> = {},
): Promise<WorkspaceRow> {
  const suffix = unique();
  return db
    .insertInto('workspaces')
    .values({ name: `Workspace ${suffix}`, slug: `ws-${suffix}`, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface TestUser {
  user: UserRow;
  actor: Actor;
  /** A live session token for this user (send as `Authorization: Bearer`). */
  token: string;
}

export async function createUser(
  db: Executor,
  options: { role: Role; workspaceId: string | null } & Partial<Pick<UserRow, 'email' | 'name' | 'isActive'>>,
): Promise<TestUser> {
  const suffix = unique();
  const user = await db
    .insertInto('users')
    .values({
      workspaceId: options.role === 'superadmin' ? null : options.workspaceId,
      role: options.role,
      email: options.email ?? `${options.role}-${suffix}@example.test`,
      name: options.name ?? `${options.role} ${suffix}`,
      passwordHash: await passwordHash(),
      isActive: options.isActive ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const { token } = await createSession(db, user.id);
  return { user, token, actor: { id: user.id, role: user.role, workspaceId: user.workspaceId } };
}

export async function createTicket(
  db: Executor,
  options: { workspaceId: string; createdBy: string } & Partial<
    Pick<
      TicketRow,
      | 'title'
      | 'description'
      | 'status'
      | 'priority'
      | 'category'
      | 'assignedTo'
      | 'isEscalated'
      | 'resolvedAt'
    >
  > & { createdAt?: Date },
): Promise<TicketRow> {
  return db
    .insertInto('tickets')
    .values({
      title: `Ticket ${unique()}`,
      description: 'Something does not work as expected.',
      ...options,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A workspace with one user of each role in it, plus a superadmin: the usual cast of a test. */
export async function createWorkspaceWithCast(db: Executor) {
  const workspace = await createWorkspace(db);
  const workspaceId = workspace.id;
  const [superadmin, admin, support, writer, client] = await Promise.all([
    createUser(db, { role: 'superadmin', workspaceId: null }),
    createUser(db, { role: 'admin', workspaceId }),
    createUser(db, { role: 'support', workspaceId }),
    createUser(db, { role: 'writer', workspaceId }),
    createUser(db, { role: 'client', workspaceId }),
  ]);
  return { workspace, superadmin, admin, support, writer, client };
}
