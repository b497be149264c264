import { createTestApi } from '@tickets/api/testing';
import superjson from 'superjson';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app';
import { errorFields } from '../testing/error-body';
import { defaultHttpSecurity } from './http-security';

// Regression tests for what an outside attack found, at the HTTP level (docs/SECURITY.md, "Findings of
// the outside attack"). The procedure-level ones live in packages/api/src/security/attack-findings.test.ts.

const api = await createTestApi({ production: true });
const services = api.services;
afterAll(() => api.close());
afterEach(() => vi.restoreAllMocks());

const app = createApp({ services });
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('finding 3: CPU spent on anonymous input before sign-in', () => {
  it('given an anonymous 1 MB digit string tagged bigint, then 400 before superjson converts anything', async () => {
    const decode = vi.spyOn(superjson, 'deserialize');
    const body = JSON.stringify({
      json: { email: '9'.repeat(1024 * 1024 - 100), password: 'x' },
      meta: { values: { email: ['bigint'] } },
    });

    const response = await post('/trpc/auth.signIn', body);

    expect(response.status).toBe(400);
    expect(errorFields(await response.json())).toMatchObject({ appCode: 'VALIDATION_FAILED' });
    expect(decode).not.toHaveBeenCalled();
  });

  it.each([['regexp'], ['class'], ['custom'], ['map'], ['set'], ['symbol'], ['Error'], ['URL'], ['number']])(
    'given a value tagged %s, then 400 naming the field, decoded by nobody',
    async (tag) => {
      const decode = vi.spyOn(superjson, 'deserialize');
      const body = JSON.stringify({
        json: { email: 'a', password: 'b' },
        meta: { values: { email: [tag] } },
      });
      const response = await post('/trpc/auth.signIn', body);
      expect(response.status).toBe(400);
      expect(errorFields(await response.json()).issues).toEqual([
        { path: 'email', message: expect.any(String) },
      ]);
      expect(decode).not.toHaveBeenCalled();
    },
  );
});

describe('finding 7: request ids and engine text', () => {
  it('given a client-chosen X-Request-Id and no trusted proxy, then it is ignored: ours is logged and echoed', async () => {
    const response = await app.request('/healthz', { headers: { 'x-request-id': 'forged-by-client' } });
    expect(response.headers.get('x-request-id')).not.toBe('forged-by-client');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('given a trusted proxy, then its id is kept when it is safe, and replaced when it is not', async () => {
    const behindProxy = createApp({ services, security: { ...defaultHttpSecurity, trustProxy: 1 } });
    const safe = await behindProxy.request('/healthz', { headers: { 'x-request-id': 'lb-1234_abcd' } });
    expect(safe.headers.get('x-request-id')).toBe('lb-1234_abcd');
    const unsafe = await behindProxy.request('/healthz', {
      headers: { 'x-request-id': 'id with spaces & "quotes"' },
    });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("given malformed JSON, then the 400 speaks our words, not the parser's", async () => {
    const response = await post('/trpc/auth.signIn', '{"json": {');
    expect(response.status).toBe(400);
    const { message } = errorFields(await response.json());
    expect(message).not.toMatch(/Unexpected|JSON at position|token/);
  });
});

describe('finding 8: one error envelope for every HTTP answer', () => {
  it.each([
    [
      'an unsupported content type on /trpc',
      () => post('/trpc/auth.signIn', '<a/>', { 'content-type': 'text/xml' }),
      415,
    ],
    ['a body over the /trpc limit', () => post('/trpc/auth.signIn', 'x'.repeat(2 * 1024 * 1024)), 413],
    ['an unknown route', () => app.request('/no/such/route'), 404],
    ['an attachment download without a session', () => app.request('/api/attachments/x'), 401],
    ['a procedure refusing an anonymous caller', () => post('/trpc/tickets.create', '{"json":{}}'), 401],
  ])("given %s, then tRPC's envelope with appCode and the request id", async (_, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    const error = errorFields(await response.json());
    expect(error.appCode).toEqual(expect.any(String));
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
  });
});
