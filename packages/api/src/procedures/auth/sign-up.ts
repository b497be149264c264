import { authResultSchema, signUp, signUpInput } from '@tickets/core';
import { deviceCookie, sessionCookie } from '../../context';
import { procedureFor } from '../base';

export const signUpProcedure = procedureFor('account:sign-up')
  .meta({
    summary: 'A requester creates their own account in a workspace that allows sign-up, and is signed in.',
    errors: ['SIGN_UP_DISABLED', 'WORKSPACE_NOT_FOUND', 'EMAIL_TAKEN'],
  })
  .input(signUpInput)
  .output(authResultSchema)
  .mutation(async ({ ctx, input }) => {
    const result = await signUp(ctx.services.db, input);
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie(result.token, result.expiresAt, ctx.services.secureCookies),
    );
    ctx.resHeaders.append('set-cookie', deviceCookie(result.deviceToken, ctx.services.secureCookies));
    return result;
  });
