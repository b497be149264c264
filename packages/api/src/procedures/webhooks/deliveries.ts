import { listWebhookDeliveries, listWebhookDeliveriesInput, webhookDeliveryListSchema } from '@tickets/core';
import { procedureFor } from '../base';

export const webhookDeliveriesProcedure = procedureFor('webhook:manage')
  .meta({
    summary: "An endpoint's recent deliveries: status, attempts, latency and the receiver's response code.",
  })
  .input(listWebhookDeliveriesInput)
  .output(webhookDeliveryListSchema)
  .query(({ ctx, input }) => listWebhookDeliveries(ctx.services.db, ctx.actor, input));
