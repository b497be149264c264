import {
  redeliverWebhook as redeliverService,
  redeliverWebhookInput,
  webhookDeliverySchema,
} from '@tickets/core';
import { adminProcedure } from '../base';

export const redeliverWebhook = adminProcedure
  .meta({ summary: 'Sends a delivery again (same message id, so receivers drop it if they had it).' })
  .input(redeliverWebhookInput)
  .output(webhookDeliverySchema)
  .mutation(({ ctx, input }) => redeliverService(ctx.services.db, ctx.actor, input));
