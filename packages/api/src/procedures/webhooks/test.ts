import { sendWebhookTest, webhookDeliverySchema, webhookIdInput } from '@tickets/core';
import { procedureFor } from '../base';
import { webhookServicesOf } from './services';

/** Sends a `webhook.ping` now and answers with the delivery's outcome (status code, latency, error). */
export const testWebhookProcedure = procedureFor('webhook:manage')
  .meta({ summary: 'Sends a signed ping to an endpoint now and answers how the receiver responded.' })
  .input(webhookIdInput)
  .output(webhookDeliverySchema)
  .mutation(({ ctx, input }) =>
    sendWebhookTest(ctx.services.db, ctx.actor, input, {
      transport: webhookServicesOf(ctx.services).transport,
    }),
  );
