import { authResultSchema, completeFirstRunSetup, firstRunSetupInput } from '@tickets/core';
import { deviceCookie, sessionCookie } from '../../context';
import { procedureFor } from '../base';

/**
 * First-run setup: with the one-time token the server printed at start-up (no superadmin existed),
 * creates the first superadmin and signs them in. Refused once used or once any superadmin exists.
 */
export const setupProcedure = procedureFor('account:setup')
  .meta({
    summary:
      'First-run setup: with the one-time token the server printed at start-up, creates the first superadmin and signs them in.',
    errors: ['SETUP_TOKEN_INVALID', 'EMAIL_TAKEN'],
  })
  .input(firstRunSetupInput)
  .output(authResultSchema)
  .mutation(async ({ ctx, input }) => {
    const result = await completeFirstRunSetup(ctx.services.db, input);
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie(result.token, result.expiresAt, ctx.services.secureCookies),
    );
    ctx.resHeaders.append('set-cookie', deviceCookie(result.deviceToken, ctx.services.secureCookies));
    return result;
  });
