import type { SlaPolicyRow } from '@tickets/db';
import { AppError } from '../errors';
import type { Actor } from '../policy/actor';
import { assertCan } from '../policy/permissions';
import { resolveWorkspaceId } from '../policy/workspaces';
import { type Executor, inTransaction } from '../shared/transaction';
import type { BusinessCalendar } from './business-time';
import type {
  GetSlaSettingsInput,
  SlaSettings,
  SlaTargets,
  UpdateSlaCalendarInput,
  UpdateSlaPolicyInput,
} from './schemas';

/** One version of a workspace's policy, as the clock uses it. */
export interface SlaPolicy {
  id: string;
  workspaceId: string;
  version: number;
  targets: SlaTargets;
  businessHours: BusinessCalendar | null;
  createdAt: Date;
}

const toPolicy = (row: SlaPolicyRow): SlaPolicy => ({
  id: row.id,
  workspaceId: row.workspaceId,
  version: row.version,
  targets: row.targets as unknown as SlaTargets,
  businessHours: row.businessHours as unknown as BusinessCalendar | null,
  createdAt: row.createdAt,
});

const toSettings = (policy: SlaPolicy): SlaSettings => ({
  workspaceId: policy.workspaceId,
  version: policy.version,
  targets: policy.targets,
  businessHours: policy.businessHours
    ? {
        ...policy.businessHours,
        hours: [...policy.businessHours.hours],
        holidays: [...policy.businessHours.holidays],
      }
    : null,
  updatedAt: policy.createdAt,
});

// A version never changes once written (an edit adds a version), so a version read once can be kept:
// ticket commands then retime a clock without reading the policy again. Bounded, oldest dropped first.
const versionCache = new Map<string, SlaPolicy>();
const VERSION_CACHE_SIZE = 1_000;

function remember(policy: SlaPolicy): SlaPolicy {
  if (versionCache.size >= VERSION_CACHE_SIZE) {
    const oldest = versionCache.keys().next().value;
    if (oldest !== undefined) versionCache.delete(oldest);
  }
  versionCache.set(policy.id, policy);
  return policy;
}

/** The policy version a ticket's clock runs on. */
export async function policyVersion(executor: Executor, policyId: string): Promise<SlaPolicy> {
  const cached = versionCache.get(policyId);
  if (cached) return cached;
  const row = await executor
    .selectFrom('slaPolicies')
    .selectAll()
    .where('id', '=', policyId)
    .executeTakeFirstOrThrow();
  return remember(toPolicy(row));
}

/** The workspace's policy in force (its latest version; migration 0007 gives every workspace one). */
export async function currentPolicy(executor: Executor, workspaceId: string): Promise<SlaPolicy> {
  const row = await executor
    .selectFrom('slaPolicies')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new AppError('WORKSPACE_NOT_FOUND', 'Workspace not found.');
  return remember(toPolicy(row));
}

/** Staff read their workspace's policy and calendar; a superadmin names the workspace. */
export async function getSlaSettings(
  executor: Executor,
  actor: Actor,
  input: GetSlaSettingsInput,
): Promise<SlaSettings> {
  assertCan(actor, 'sla:read');
  return toSettings(await currentPolicy(executor, resolveWorkspaceId(actor, input.workspaceId)));
}

/**
 * Writes a new version with the given changes. Tickets whose clock already runs keep the version they
 * started on (docs/SLA.md): a policy edit applies to tickets created from now on.
 */
async function addVersion(
  executor: Executor,
  actor: Actor,
  workspaceId: string,
  change: (current: SlaPolicy) => Pick<SlaPolicy, 'targets' | 'businessHours'>,
): Promise<SlaSettings> {
  return inTransaction(executor, async (tx) => {
    // Locks the workspace row: two concurrent edits take turns and each builds on the other's version.
    const workspace = await tx
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', workspaceId)
      .forUpdate()
      .executeTakeFirst();
    if (!workspace) throw new AppError('WORKSPACE_NOT_FOUND', 'Workspace not found.');
    const current = await currentPolicy(tx, workspaceId);
    const next = change(current);
    const row = await tx
      .insertInto('slaPolicies')
      .values({
        workspaceId,
        version: current.version + 1,
        targets: JSON.stringify(next.targets),
        businessHours: next.businessHours === null ? null : JSON.stringify(next.businessHours),
        createdBy: actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSettings(remember(toPolicy(row)));
  });
}

/** Admins (own workspace) and superadmins: changes the targets of the priorities named. */
export async function updateSlaPolicy(
  executor: Executor,
  actor: Actor,
  input: UpdateSlaPolicyInput,
): Promise<SlaSettings> {
  assertCan(actor, 'sla:manage');
  const workspaceId = resolveWorkspaceId(actor, input.workspaceId);
  return addVersion(executor, actor, workspaceId, (current) => ({
    targets: {
      ...current.targets,
      ...Object.fromEntries(Object.entries(input.targets).filter(([, t]) => t)),
    },
    businessHours: current.businessHours,
  }));
}

/** Admins (own workspace) and superadmins: sets the business calendar, or null for calendar hours. */
export async function updateSlaCalendar(
  executor: Executor,
  actor: Actor,
  input: UpdateSlaCalendarInput,
): Promise<SlaSettings> {
  assertCan(actor, 'sla:manage');
  const workspaceId = resolveWorkspaceId(actor, input.workspaceId);
  return addVersion(executor, actor, workspaceId, (current) => ({
    targets: current.targets,
    businessHours: input.businessHours
      ? {
          timeZone: input.businessHours.timeZone,
          hours: input.businessHours.hours,
          holidays: [...new Set(input.businessHours.holidays)].sort(),
        }
      : null,
  }));
}
