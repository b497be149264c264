import { deleteWebhook, webhookIdInput } from '@tickets/core';
import { z } from 'zod';
import { procedureFor } from '../base';

export const deleteWebhookProcedure = procedureFor('webhook:manage')
  .meta({ summary: 'Removes an endpoint and its pending deliveries.' })
  .input(webhookIdInput)
  .output(z.object({ id: z.uuid() }))
  .mutation(({ ctx, input }) => deleteWebhook(ctx.services.db, ctx.actor, input.id));
