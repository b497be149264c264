import { authResultSchema, signIn, signInInput } from '@tickets/core';
import { deviceCookie, sessionCookie } from '../../context';
import { procedureFor } from '../base';

export const signInProcedure = procedureFor('account:sign-in')
  .meta({
    summary: 'Signs in with e-mail and password: answers the session token and sets the session cookie.',
    errors: ['INVALID_CREDENTIALS'],
  })
  .input(signInInput)
  .output(authResultSchema)
  .mutation(async ({ ctx, input }) => {
    const result = await signIn(ctx.services.db, input, ctx.deviceCookie);
    ctx.resHeaders.append(
      'set-cookie',
      sessionCookie(result.token, result.expiresAt, ctx.services.secureCookies),
    );
    ctx.resHeaders.append('set-cookie', deviceCookie(result.deviceToken, ctx.services.secureCookies));
    return result;
  });
