import { redeliverWebhook, redeliverWebhookInput, webhookDeliverySchema } from '@tickets/core';
import { procedureFor } from '../base';

export const redeliverWebhookProcedure = procedureFor('webhook:manage')
  .meta({ summary: 'Sends a delivery again (same message id, so receivers drop it if they had it).' })
  .input(redeliverWebhookInput)
  .output(webhookDeliverySchema)
  .mutation(({ ctx, input }) => redeliverWebhook(ctx.services.db, ctx.actor, input));
