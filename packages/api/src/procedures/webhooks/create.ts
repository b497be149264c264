import { createWebhook, createWebhookInput, webhookWithSecretSchema } from '@tickets/core';
import { procedureFor } from '../base';
import { webhookServicesOf } from './services';

/** The answer carries the signing secret: the only time it is shown. */
export const createWebhookProcedure = procedureFor('webhook:manage')
  .meta({
    summary:
      'Registers an endpoint that receives the chosen events, signed per Standard Webhooks; the answer shows its secret, once.',
  })
  .input(createWebhookInput)
  .output(webhookWithSecretSchema)
  .mutation(({ ctx, input }) =>
    createWebhook(ctx.services.db, ctx.actor, input, webhookServicesOf(ctx.services).policy),
  );
