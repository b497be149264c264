import {
  updateWebhookInput,
  updateWebhook as updateWebhookService,
  webhookEndpointSchema,
} from '@tickets/core';
import { adminProcedure } from '../base';
import { webhookServicesOf } from './services';

export const updateWebhook = adminProcedure
  .meta({
    summary:
      "Changes an endpoint's URL, events, internal opt-in or enabled flag (re-enabling resets its failure count).",
  })
  .input(updateWebhookInput)
  .output(webhookEndpointSchema)
  .mutation(({ ctx, input }) =>
    updateWebhookService(ctx.services.db, ctx.actor, input, webhookServicesOf(ctx.services).policy),
  );
