import {
  type AccessOf,
  type Action,
  type Actor,
  type AdminActor,
  AppError,
  accessOf,
  inputProblem,
  type RateLimitDecision,
  reaches,
  recognisedDevice,
  type StaffActor,
  type SuperadminActor,
} from '@tickets/core';
import { resolveCaller } from '../caller';
import { sessionCookie } from '../context';
import { toTRPCError } from '../errors';
import { t } from '../init';
import { enforceRequestLimits } from '../security/request-limits';
import { type AppServices, fromServicesHandle } from '../services';
import { observeProcedure } from './observe';

// Every procedure passes these middlewares in this order; each does one job and can be read (and
// tested) alone. Nothing costly runs before the caller is known and counted: the input is read first
// only through the guarded transformer (transformer.ts), which refuses costly types before decoding.
//
// Each gate is one access level of the permission table (core policy/permissions.ts) and names it in
// the procedure's meta (tRPC merges meta along the builder chain, so every procedure built on a gate
// carries it): the API reference and the authorization matrix read who may call what from the router
// itself. A procedure does not pick its gate: it names its action, and procedureFor picks the gate the
// table gives that action, the same entry the domain command asserts.

/** Outermost: whatever a later step or the procedure throws reaches the client as one classified error. */
const classifyErrors = t.middleware(async ({ next }) => {
  try {
    const result = await next();
    if (!result.ok) throw toTRPCError(result.error);
    return result;
  } catch (error) {
    throw toTRPCError(error);
  }
});

/** Input no schema describes (NUL, lone surrogates, prototype keys, deep nesting) is a 400 naming where. */
const refuseMalformedInput = t.middleware(async ({ next, getRawInput }) => {
  const problem = inputProblem(await getRawInput());
  if (problem) {
    throw new AppError('VALIDATION_FAILED', `${problem.path || 'input'}: ${problem.message}`, {
      field: problem.path,
    });
  }
  return next();
});

/** The caller behind the session token (none: anonymous), counted against their per-user budget. */
const identifyCaller = t.middleware(async ({ ctx, next }) => {
  const services = fromServicesHandle(ctx.services);
  const validated = await resolveCaller(services, ctx.sessionToken);
  if (validated?.session.renewed && ctx.tokenSource === 'cookie' && ctx.sessionToken) {
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie(ctx.sessionToken, validated.session.expiresAt, services.secureCookies),
    );
  }
  return next({
    ctx: {
      services,
      actor: validated?.actor ?? null,
      sessionId: validated?.session.id ?? null,
      userHit: validated?.userHit ?? null,
    },
  });
});

/** The abuse limits: per address and account for credentials, per user for everything signed in. */
async function applyRequestLimits(
  ctx: {
    services: AppServices;
    userHit: RateLimitDecision | null;
    clientAddress: string | null;
    deviceCookie: string | null;
    resHeaders: Headers;
  },
  path: string,
  getRawInput: () => Promise<unknown>,
): Promise<void> {
  const { rateLimiter, requestLimits } = ctx.services;
  if (!rateLimiter || !requestLimits) return;
  try {
    await enforceRequestLimits(rateLimiter, requestLimits, {
      path,
      userHit: ctx.userHit,
      clientAddress: ctx.clientAddress,
      getRawInput,
      deviceCookie: ctx.deviceCookie,
      recogniseDevice: (token, email) => recognisedDevice(ctx.services.db, token, email),
    });
  } catch (error) {
    if (error instanceof AppError && typeof error.details?.retryAfterSeconds === 'number') {
      ctx.resHeaders.set('retry-after', String(error.details.retryAfterSeconds));
    }
    throw error;
  }
}

/** Every procedure: errors classified, input checked, caller resolved and counted. */
const publicProcedure = t.procedure
  .meta({ access: 'public' })
  .use(observeProcedure)
  .use(classifyErrors)
  .use(refuseMalformedInput)
  .use(identifyCaller)
  .use(async ({ ctx, next, path, getRawInput }) => {
    await applyRequestLimits(ctx, path, getRawInput);
    return next();
  });

const authedGate = publicProcedure.meta({ access: 'authed' });

/** Any signed-in user. */
const authedProcedure = authedGate.use(({ ctx, next }) => {
  if (!ctx.actor || !ctx.sessionId) {
    throw new AppError('UNAUTHENTICATED', 'Sign in to call this procedure.');
  }
  return next({ ctx: { actor: ctx.actor as Actor, sessionId: ctx.sessionId } });
});

const staffGate = authedProcedure.meta({ access: 'staff' });

/** superadmin, admin, support. */
const staffProcedure = staffGate.use(({ ctx, next }) => {
  if (!reaches(ctx.actor, 'staff')) throw new AppError('FORBIDDEN', 'Only staff may call this procedure.');
  return next({ ctx: { actor: ctx.actor as StaffActor } });
});

const adminGate = staffProcedure.meta({ access: 'admin' });

/** admin (own workspace) and superadmin. */
const adminProcedure = adminGate.use(({ ctx, next }) => {
  if (!reaches(ctx.actor, 'admin')) throw new AppError('FORBIDDEN', 'Only admins may call this procedure.');
  return next({ ctx: { actor: ctx.actor as AdminActor } });
});

const superadminGate = staffProcedure.meta({ access: 'superadmin' });

/** superadmin only. */
const superadminProcedure = superadminGate.use(({ ctx, next }) => {
  if (!reaches(ctx.actor, 'superadmin'))
    throw new AppError('FORBIDDEN', 'Only a superadmin may call this procedure.');
  return next({ ctx: { actor: ctx.actor as SuperadminActor } });
});

const procedureAt = {
  public: publicProcedure,
  authed: authedProcedure,
  staff: staffProcedure,
  admin: adminProcedure,
  superadmin: superadminProcedure,
} as const;

/** The gate of `action`: the base procedure at the access level the permission table gives it. */
export function procedureFor<A extends Action>(action: A): (typeof procedureAt)[AccessOf<A>] {
  return procedureAt[accessOf(action)];
}
