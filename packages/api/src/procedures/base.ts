import {
  type Actor,
  AppError,
  authenticateCaller,
  isStaff,
  NUL_CHARACTER_MESSAGE,
  nulCharacterPath,
  type StaffActor,
} from '@tickets/core';
import { sessionCookie } from '../context';
import { toTRPCError } from '../errors';
import { t } from '../init';
import { enforceRequestLimits, userBudgetOf } from '../security/request-limits';
import { fromServicesHandle } from '../services';
import { observeProcedure } from './observe';

// Each gate names its access level in the procedure's meta (tRPC merges meta along the builder chain, so
// every procedure built on a gate carries it): the API reference and the authorization matrix read who
// may call what from the router itself.
const procedure = t.procedure.meta({ access: 'public' }).use(observeProcedure);

/** Every procedure: services unwrapped, domain errors mapped to tRPC once, the session resolved. */
export const publicProcedure = procedure.use(async ({ ctx, next, path, getRawInput }) => {
  const services = fromServicesHandle(ctx.services);
  try {
    const nulPath = nulCharacterPath(await getRawInput());
    if (nulPath !== null) {
      throw new AppError('VALIDATION_FAILED', `${nulPath || 'input'}: ${NUL_CHARACTER_MESSAGE}`, {
        field: nulPath,
      });
    }
    const validated = ctx.sessionToken
      ? await authenticateCaller(services.db, ctx.sessionToken, userBudgetOf(services))
      : null;
    if (services.rateLimiter && services.requestLimits) {
      await enforceRequestLimits(services.rateLimiter, services.requestLimits, {
        path,
        userHit: validated?.userHit ?? null,
        clientAddress: ctx.clientAddress,
        getRawInput,
      }).catch((error: unknown) => {
        if (error instanceof AppError && typeof error.details?.retryAfterSeconds === 'number') {
          ctx.resHeaders.set('retry-after', String(error.details.retryAfterSeconds));
        }
        throw error;
      });
    }
    if (validated?.session.renewed && ctx.tokenSource === 'cookie' && ctx.sessionToken) {
      ctx.resHeaders.append(
        'set-cookie',
        sessionCookie(ctx.sessionToken, validated.session.expiresAt, services.secureCookies),
      );
    }
    const result = await next({
      ctx: { services, actor: validated?.actor ?? null, sessionId: validated?.session.id ?? null },
    });
    if (!result.ok) throw toTRPCError(result.error);
    return result;
  } catch (error) {
    throw toTRPCError(error);
  }
});

const authedGate = publicProcedure.meta({ access: 'authed' });

/** Any signed-in user. */
export const authedProcedure = authedGate.use(({ ctx, next }) => {
  if (!ctx.actor || !ctx.sessionId) {
    throw new AppError('UNAUTHENTICATED', 'Sign in to call this procedure.');
  }
  return next({ ctx: { actor: ctx.actor as Actor, sessionId: ctx.sessionId } });
});

const staffGate = authedProcedure.meta({ access: 'staff' });

/** superadmin, admin, support. */
export const staffProcedure = staffGate.use(({ ctx, next }) => {
  if (!isStaff(ctx.actor)) throw new AppError('FORBIDDEN', 'Only staff may call this procedure.');
  return next({ ctx: { actor: ctx.actor as StaffActor } });
});

const adminGate = staffProcedure.meta({ access: 'admin' });

/** admin (own workspace) and superadmin. */
export const adminProcedure = adminGate.use(({ ctx, next }) => {
  if (ctx.actor.role === 'support') throw new AppError('FORBIDDEN', 'Only admins may call this procedure.');
  return next();
});

const superadminGate = staffProcedure.meta({ access: 'superadmin' });

/** superadmin only. */
export const superadminProcedure = superadminGate.use(({ ctx, next }) => {
  if (ctx.actor.role !== 'superadmin')
    throw new AppError('FORBIDDEN', 'Only a superadmin may call this procedure.');
  return next();
});
