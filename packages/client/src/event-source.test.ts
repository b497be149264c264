import { afterEach, describe, expect, it } from 'vitest';
import { createTicketsClient } from './client';

const globals = globalThis as { EventSource?: unknown };
const original = globals.EventSource;
afterEach(() => {
  globals.EventSource = original;
});

describe('live notifications without an EventSource', () => {
  it('given a runtime with no EventSource (Node 20) and none passed, when subscribing, then the error says to pass the eventsource package', async () => {
    delete globals.EventSource;
    const client = createTicketsClient({ url: 'http://127.0.0.1:9', token: 'a.token' });

    const error = await new Promise<Error>((resolve) => {
      client.notifications.onNotification.subscribe(undefined, { onError: resolve });
    });

    expect(error.message).toContain("import { EventSource } from 'eventsource'");
    expect(error.message).not.toContain('is not a constructor');
  });
});
