import { listWebhooksInput, listWebhooks as listWebhooksService, webhookEndpointSchema } from '@tickets/core';
import { z } from 'zod';
import { adminProcedure } from '../base';

export const listWebhooks = adminProcedure
  .meta({ summary: "The workspace's webhook endpoints (never their secrets)." })
  .input(listWebhooksInput)
  .output(z.object({ items: z.array(webhookEndpointSchema) }))
  .query(async ({ ctx, input }) => ({ items: await listWebhooksService(ctx.services.db, ctx.actor, input) }));
