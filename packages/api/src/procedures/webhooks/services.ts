import { createWebhookTransport, defaultAddressPolicy } from '@tickets/core';
import type { AppServices } from '../../services';

const strictDefault = {
  policy: defaultAddressPolicy,
  transport: createWebhookTransport({ policy: defaultAddressPolicy }),
};

/** The configured webhook policy and transport, or the strict default (public https only). */
export const webhookServicesOf = (services: AppServices) => services.webhooks ?? strictDefault;
