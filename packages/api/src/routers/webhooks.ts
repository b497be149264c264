import { t } from '../init';
import { createWebhook } from '../procedures/webhooks/create';
import { deleteWebhook } from '../procedures/webhooks/delete';
import { webhookDeliveries } from '../procedures/webhooks/deliveries';
import { listWebhooks } from '../procedures/webhooks/list';
import { redeliverWebhook } from '../procedures/webhooks/redeliver';
import { rotateWebhookSecret } from '../procedures/webhooks/rotate-secret';
import { testWebhook } from '../procedures/webhooks/test';
import { updateWebhook } from '../procedures/webhooks/update';

export const webhooksRouter = t.router({
  create: createWebhook,
  list: listWebhooks,
  update: updateWebhook,
  delete: deleteWebhook,
  rotateSecret: rotateWebhookSecret,
  deliveries: webhookDeliveries,
  redeliver: redeliverWebhook,
  test: testWebhook,
});
