import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyTicketsWebhook } from './webhooks';

const secret = `whsec_${btoa('a secret of thirty-two bytes!!!!')}`;
const rotated = `whsec_${btoa('the next secret, also 32 bytes!!')}`;
const body = JSON.stringify({
  type: 'ticket.created',
  timestamp: '2026-12-07T00:00:00.000Z',
  data: { workspaceId: 'w' },
});

function signed(secrets: string[], now = new Date()) {
  return new Headers({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': secrets.map((key) => new Webhook(key).sign('msg_1', now, body)).join(' '),
  });
}

describe('verifyTicketsWebhook', () => {
  it('given a request signed with the secret, then it returns the event (Fetch headers or Node headers)', () => {
    const headers = signed([secret]);
    expect(verifyTicketsWebhook(secret, body, headers).type).toBe('ticket.created');
    expect(verifyTicketsWebhook(secret, body, Object.fromEntries(headers)).data.workspaceId).toBe('w');
  });

  it('given a body changed in transit, another secret, or an old timestamp, then it throws', () => {
    expect(() => verifyTicketsWebhook(secret, body.replace('created', 'closed'), signed([secret]))).toThrow();
    expect(() => verifyTicketsWebhook(rotated, body, signed([secret]))).toThrow();
    expect(() =>
      verifyTicketsWebhook(secret, body, signed([secret], new Date(Date.now() - 10 * 60_000))),
    ).toThrow();
  });

  it('given a request signed during a rotation, then the old and the new secret both verify it', () => {
    const headers = signed([rotated, secret]);
    expect(verifyTicketsWebhook(secret, body, headers).type).toBe('ticket.created');
    expect(verifyTicketsWebhook(rotated, body, headers).type).toBe('ticket.created');
  });
});
