import {
  redeliverWebhook as redeliverService,
  redeliverWebhookInput,
  webhookDeliverySchema,
} from '@tickets/core';
import { adminProcedure } from '../base';

export const redeliverWebhook = adminProcedure
  .input(redeliverWebhookInput)
  .output(webhookDeliverySchema)
  .mutation(({ ctx, input }) => redeliverService(ctx.services.db, ctx.actor, input));
