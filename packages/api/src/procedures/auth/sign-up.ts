import { authResultSchema, signUpInput, signUp as signUpService } from '@tickets/core';
import { deviceCookie, sessionCookie } from '../../context';
import { publicProcedure } from '../base';

export const signUp = publicProcedure
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
