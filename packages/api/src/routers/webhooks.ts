import { t } from '../init';
import { createWebhookProcedure } from '../procedures/webhooks/create';
import { deleteWebhookProcedure } from '../procedures/webhooks/delete';
import { webhookDeliveriesProcedure } from '../procedures/webhooks/deliveries';
import { listWebhooksProcedure } from '../procedures/webhooks/list';
import { redeliverWebhookProcedure } from '../procedures/webhooks/redeliver';
import { rotateWebhookSecretProcedure } from '../procedures/webhooks/rotate-secret';
import { testWebhookProcedure } from '../procedures/webhooks/test';
import { updateWebhookProcedure } from '../procedures/webhooks/update';

export const webhooksRouter = t.router({
  create: createWebhookProcedure,
  list: listWebhooksProcedure,
  update: updateWebhookProcedure,
  delete: deleteWebhookProcedure,
  rotateSecret: rotateWebhookSecretProcedure,
  deliveries: webhookDeliveriesProcedure,
  redeliver: redeliverWebhookProcedure,
  test: testWebhookProcedure,
});
