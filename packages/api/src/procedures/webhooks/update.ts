import { updateWebhook, updateWebhookInput, webhookEndpointSchema } from '@tickets/core';
import { procedureFor } from '../base';
import { webhookServicesOf } from './services';

export const updateWebhookProcedure = procedureFor('webhook:manage')
  .meta({
    summary:
      "Changes an endpoint's URL, events, internal opt-in or enabled flag (re-enabling resets its failure count).",
  })
  .input(updateWebhookInput)
  .output(webhookEndpointSchema)
  .mutation(({ ctx, input }) =>
    updateWebhook(ctx.services.db, ctx.actor, input, webhookServicesOf(ctx.services).policy),
  );
