import {
  type AccessLevel,
  type AccessOf,
  type Action,
  type Actor,
  type ActorAt,
  AppError,
  accessOf,
  inputProblem,
  type RateLimitDecision,
  reaches,
  recognisedDevice,
} from '@tickets/core';
import { resolveCaller } from '../caller';
import { type ApiContext, sessionCookie } from '../context';
import { toTRPCError } from '../errors';
import { t } from '../init';
import { enforceRequestLimits } from '../security/request-limits';
import { type AppServices, fromServicesHandle } from '../services';

// Every procedure passes one edge middleware, then its gate. The edge runs named steps in this order,
// each a plain function that can be read (and tested) alone: it times the call for the metrics, refuses
// malformed input, resolves and counts the caller, applies the abuse limits, and classifies whatever a
// later step or the procedure throws. Nothing costly runs before the caller is known and counted: the
// input is read first only through the guarded transformer (transformer.ts), which refuses costly types
// before decoding. The steps are one tRPC middleware, not five, because each middleware hop copies the
// call's options and context and adds a promise: at a few microseconds each, that was a measurable part
// of a read (docs/PERFORMANCE.md).
//
// Each gate is one access level of the permission table (core policy/permissions.ts) and names it in
// the procedure's meta: the API reference and the authorization matrix read who may call what from the
// router itself. A procedure does not pick its gate: it names its action, and procedureFor picks the
// gate the table gives that action, the same entry the domain command asserts.

/** Input no schema describes (NUL, lone surrogates, prototype keys, deep nesting) is a 400 naming where. */
function refuseMalformedInput(input: unknown): void {
  const problem = inputProblem(input);
  if (problem) {
    throw new AppError('VALIDATION_FAILED', `${problem.path || 'input'}: ${problem.message}`, {
      field: problem.path,
    });
  }
}

/** The caller behind the session token (none: anonymous), counted against their per-user budget. */
async function identifyCaller(ctx: ApiContext, services: AppServices) {
  const validated = await resolveCaller(services, ctx.sessionToken);
  if (validated?.session.renewed && ctx.tokenSource === 'cookie' && ctx.sessionToken) {
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie(ctx.sessionToken, validated.session.expiresAt, services.secureCookies),
    );
  }
  return {
    services,
    actor: validated?.actor ?? null,
    sessionId: validated?.session.id ?? null,
    userHit: validated?.userHit ?? null,
  };
}

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

/** Every procedure: timed, input checked, caller resolved and counted, errors classified. */
const publicProcedure = t.procedure
  .meta({ access: 'public' })
  .use(async ({ ctx, path, type, next, getRawInput }) => {
    const services = fromServicesHandle(ctx.services);
    const started = performance.now();
    let outcome = 'ok';
    try {
      refuseMalformedInput(await getRawInput());
      const caller = await identifyCaller(ctx, services);
      await applyRequestLimits({ ...ctx, ...caller }, path, getRawInput);
      const result = await next({ ctx: caller });
      // tRPC hands a later step's failure back as a result; it is classified like a thrown one.
      if (!result.ok) throw result.error;
      return result;
    } catch (error) {
      const classified = toTRPCError(error);
      outcome = classified.code;
      throw classified;
    } finally {
      services.observeProcedure?.({
        path,
        type,
        outcome,
        durationSeconds: (performance.now() - started) / 1000,
      });
    }
  });

/** Why the caller does not reach `level`, checked from the widest level inward (null: they do). */
function refusalAt(
  ctx: { actor: Actor | null; sessionId: string | null },
  level: Exclude<AccessLevel, 'public'>,
) {
  if (!ctx.actor || !ctx.sessionId) return new AppError('UNAUTHENTICATED', 'Sign in to call this procedure.');
  if (level === 'authed') return null;
  if (!reaches(ctx.actor, 'staff')) return new AppError('FORBIDDEN', 'Only staff may call this procedure.');
  if (level === 'admin' && !reaches(ctx.actor, 'admin'))
    return new AppError('FORBIDDEN', 'Only admins may call this procedure.');
  if (level === 'superadmin' && !reaches(ctx.actor, 'superadmin'))
    return new AppError('FORBIDDEN', 'Only a superadmin may call this procedure.');
  return null;
}

/** The gate of `level`: refuses whoever does not reach it, and narrows the actor to it. */
function gate<Level extends Exclude<AccessLevel, 'public'>>(level: Level) {
  return publicProcedure.meta({ access: level }).use(({ ctx, next }) => {
    const refusal = refusalAt(ctx, level);
    if (refusal) throw refusal;
    return next({ ctx: { actor: ctx.actor as ActorAt<Level>, sessionId: ctx.sessionId as string } });
  });
}

const procedureAt = {
  public: publicProcedure,
  authed: gate('authed'),
  staff: gate('staff'),
  admin: gate('admin'),
  superadmin: gate('superadmin'),
} as const;

/** The gate of `action`: the base procedure at the access level the permission table gives it. */
export function procedureFor<A extends Action>(action: A): (typeof procedureAt)[AccessOf<A>] {
  return procedureAt[accessOf(action)];
}
