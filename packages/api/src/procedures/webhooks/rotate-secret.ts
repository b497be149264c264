import { rotateWebhookSecret, rotateWebhookSecretInput, webhookWithSecretSchema } from '@tickets/core';
import { procedureFor } from '../base';

/** The answer carries the new secret: the only time it is shown. */
export const rotateWebhookSecretProcedure = procedureFor('webhook:manage')
  .meta({
    summary:
      'Issues a new signing secret; the old one keeps signing too until the overlap ends. The answer shows the new secret, once.',
  })
  .input(rotateWebhookSecretInput)
  .output(webhookWithSecretSchema)
  .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.services.db, ctx.actor, input));
