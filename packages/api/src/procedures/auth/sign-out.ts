import { invalidateSession } from '@tickets/core';
import { z } from 'zod';
import { clearedSessionCookie } from '../../context';
import { procedureFor } from '../base';

export const signOutProcedure = procedureFor('account:sign-out')
  .meta({ summary: "Ends the caller's session and clears the cookie." })
  .output(z.void())
  .mutation(async ({ ctx }) => {
    await invalidateSession(ctx.services.db, ctx.sessionId);
    // Other instances hear of it by NOTIFY; this one lets go at once.
    ctx.services.sessionCache?.forget({ sessionId: ctx.sessionId });
    ctx.services.notificationHub.sessionsEnded({ sessionId: ctx.sessionId });
    ctx.resHeaders.append('set-cookie', clearedSessionCookie(ctx.services.secureCookies));
  });
