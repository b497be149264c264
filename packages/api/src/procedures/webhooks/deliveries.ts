import { listWebhookDeliveries, listWebhookDeliveriesInput, webhookDeliveryListSchema } from '@tickets/core';
import { adminProcedure } from '../base';

export const webhookDeliveries = adminProcedure
  .input(listWebhookDeliveriesInput)
  .output(webhookDeliveryListSchema)
  .query(({ ctx, input }) => listWebhookDeliveries(ctx.services.db, ctx.actor, input));
