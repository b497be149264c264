import {
  createWebhookInput,
  createWebhook as createWebhookService,
  webhookWithSecretSchema,
} from '@tickets/core';
import { adminProcedure } from '../base';
import { webhookServicesOf } from './services';

/** The answer carries the signing secret: the only time it is shown. */
export const createWebhook = adminProcedure
  .meta({
    summary:
      'Registers an endpoint that receives the chosen events, signed per Standard Webhooks; the answer shows its secret, once.',
  })
  .input(createWebhookInput)
  .output(webhookWithSecretSchema)
  .mutation(({ ctx, input }) =>
    createWebhookService(ctx.services.db, ctx.actor, input, webhookServicesOf(ctx.services).policy),
  );
