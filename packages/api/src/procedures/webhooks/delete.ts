import { deleteWebhook as deleteWebhookService, webhookIdInput } from '@tickets/core';
import { z } from 'zod';
import { adminProcedure } from '../base';

export const deleteWebhook = adminProcedure
  .meta({ summary: 'Removes an endpoint and its pending deliveries.' })
  .input(webhookIdInput)
  .output(z.object({ id: z.uuid() }))
  .mutation(({ ctx, input }) => deleteWebhookService(ctx.services.db, ctx.actor, input.id));
