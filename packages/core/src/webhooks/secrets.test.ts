import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook } from './secrets';

// The signer is node:crypto's HMAC; the standardwebhooks package (what receivers run, and our SDK's
// reference) is the judge of what a correct signature is.

const body = JSON.stringify({
  type: 'message.created',
  timestamp: '2026-12-07T10:15:02.123Z',
  data: { eventId: '0b8e', ticketId: '9a7d', note: 'naïve café — ✓ 😀' },
});

describe('signWebhook', () => {
  it('given a secret, then the signature is byte for byte what the standardwebhooks signer makes', () => {
    for (let round = 0; round < 20; round += 1) {
      const secret = generateWebhookSecret();
      const at = new Date(1_760_000_000_000 + round * 1_234_567);
      const headers = signWebhook(`msg_${round}`, at, body, [secret]);
      expect(headers['webhook-signature']).toBe(new Webhook(secret).sign(`msg_${round}`, at, body));
      expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    }
  });

  it('given a rotation (two secrets), then the standardwebhooks verifier accepts the request with either secret, and refuses a third', () => {
    const current = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const headers = signWebhook('msg_rotating', new Date(), body, [current, previous]);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(
      /No matching signature/,
    );
  });

  it('given a body changed after signing, then the verifier refuses it', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook('msg_tampered', new Date(), body, [secret]);
    expect(() => new Webhook(secret).verify(body.replace('0b8e', '0b8f'), { ...headers })).toThrow(
      /No matching signature/,
    );
  });
});
