import { authResultSchema, signUpInput, signUp as signUpService } from '@tickets/core';
import { deviceCookie, sessionCookie } from '../../context';
import { publicProcedure } from '../base';

export const signUp = publicProcedure
  .meta({
    summary: 'A requester creates their own account in a workspace that allows sign-up, and is signed in.',
    errors: ['SIGN_UP_DISABLED', 'WORKSPACE_NOT_FOUND', 'EMAIL_TAKEN'],
  })
  .input(signUpInput)
  .output(authResultSchema)
  .mutation(async ({ ctx, input }) => {
    const result = await signUpService(ctx.services.db, input);
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie(result.token, result.expiresAt, ctx.services.secureCookies),
    );
    ctx.resHeaders.append('set-cookie', deviceCookie(result.deviceToken, ctx.services.secureCookies));
    return result;
  });
