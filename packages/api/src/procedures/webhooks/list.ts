import { listWebhooks, listWebhooksInput, webhookEndpointSchema } from '@tickets/core';
import { z } from 'zod';
import { procedureFor } from '../base';

export const listWebhooksProcedure = procedureFor('webhook:manage')
  .meta({ summary: "The workspace's webhook endpoints (never their secrets)." })
  .input(listWebhooksInput)
  .output(z.object({ items: z.array(webhookEndpointSchema) }))
  .query(async ({ ctx, input }) => ({ items: await listWebhooks(ctx.services.db, ctx.actor, input) }));
