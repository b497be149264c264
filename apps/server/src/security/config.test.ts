import { defaultRequestLimits } from '@tickets/api';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../env';
import { defaultHttpSecurity } from './http-security';

describe('security configuration', () => {
  it('given nothing, then same origin only, no proxy trusted, and the default limits', () => {
    const env = loadEnv({});
    expect(env.http).toEqual(defaultHttpSecurity);
    expect(env.http.allowedOrigins).toEqual([]);
    expect(env.http.trustProxy).toBe(0);
    expect(env.requestLimits).toEqual(defaultRequestLimits);
  });

  it('given the variables, then each limit and origin is taken as written', () => {
    const env = loadEnv({
      ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173',
      TRUST_PROXY: '1',
      TRPC_MAX_BODY_BYTES: '65536',
      TRPC_MAX_BATCH_SIZE: '5',
      RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '3',
      RATE_LIMIT_SIGN_IN_PER_ADDRESS: '30',
      RATE_LIMIT_SIGN_IN_WINDOW_SECONDS: '60',
      RATE_LIMIT_PER_USER_PER_MINUTE: '100',
    });
    expect(env.http).toEqual({
      allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      trustProxy: 1,
      maxTrpcBodyBytes: 65_536,
      maxBatchSize: 5,
    });
    expect(env.requestLimits).toEqual({
      signInPerAccount: { limit: 3, windowSeconds: 60 },
      signInPerAddress: { limit: 30, windowSeconds: 60 },
      perUser: { limit: 100, windowSeconds: 60 },
    });
  });

  it.each(['https://app.example.com/', 'app.example.com', '*', 'https://app.example.com/path'])(
    'given ALLOWED_ORIGINS=%s (not an exact origin), then the start fails naming the variable',
    (value) => {
      expect(() => loadEnv({ ALLOWED_ORIGINS: value })).toThrow(ConfigError);
      expect(() => loadEnv({ ALLOWED_ORIGINS: value })).toThrow(/ALLOWED_ORIGINS/);
    },
  );
});
