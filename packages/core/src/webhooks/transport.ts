import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookUrl, type ResolvedAddress, type WebhookAddressPolicy } from './address-policy';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookResponse {
  statusCode: number;
  latencyMs: number;
  /** The first bytes of the body (at most the transport's limit), for the delivery log. */
  bodyExcerpt: string;
}

/** Sends one POST; throws on refusal, network failure or timeout. Any status code is a response. */
export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookResponse>;

export interface WebhookTransportOptions {
  policy: WebhookAddressPolicy;
  /** From the start of the connection to the end of the (truncated) response. */
  timeoutMs?: number;
  /** Bytes of the response body read; the rest is discarded with the connection. */
  maxResponseBytes?: number;
}

/** Keep-alive agents kept at most, one per (origin, checked address); the oldest is closed beyond it. */
const MAX_AGENTS = 100;

/**
 * POSTs over node:http(s) to the address the policy just approved: the socket's `lookup` answers with
 * that address instead of asking DNS again, so a name that re-resolves to 127.0.0.1 between the check
 * and the connection (DNS rebinding) cannot reach it. TLS still verifies the certificate against the
 * host name. Redirects are not followed (a 3xx is a failed attempt).
 *
 * Connections are kept alive per (origin, address): every request checks the host again, and takes
 * the agent of the address approved now, whose sockets only ever connect to that address. A burst to
 * one receiver then costs one TCP (and TLS) handshake per socket instead of one per delivery.
 */
export function createWebhookTransport(options: WebhookTransportOptions): WebhookTransport {
  const { policy, timeoutMs = 10_000, maxResponseBytes = 4_096 } = options;
  const agents = new Map<string, http.Agent>();

  function agentFor(url: URL, target: ResolvedAddress): http.Agent {
    const key = `${url.protocol}//${url.host}|${target.address}`;
    const existing = agents.get(key);
    if (existing) {
      // Most recently used last, so the first entry is the one to close when the map is full.
      agents.delete(key);
      agents.set(key, existing);
      return existing;
    }
    const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if (lookupOptions.all) {
        (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [target]);
      } else {
        callback(null, target.address, target.family);
      }
    };
    const agentOptions = { keepAlive: true, maxSockets: 32, timeout: timeoutMs, lookup: pinnedLookup };
    const agent = url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    agents.set(key, agent);
    if (agents.size > MAX_AGENTS) {
      const [oldestKey, oldest] = agents.entries().next().value as [string, http.Agent];
      agents.delete(oldestKey);
      oldest.destroy();
    }
    return agent;
  }

  return async (request) => {
    const started = performance.now();
    const addresses = await checkWebhookUrl(request.url, policy);
    const url = new URL(request.url);
    const agent = agentFor(url, addresses[0] as ResolvedAddress);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<WebhookResponse>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          agent,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let received = 0;
          let done = false;
          const finish = (complete: boolean) => {
            if (done) return;
            done = true;
            // A body cut short leaves the socket mid-response: it cannot serve another request.
            if (!complete) res.destroy();
            resolve({
              statusCode: res.statusCode ?? 0,
              latencyMs: Math.round(performance.now() - started),
              bodyExcerpt: Buffer.concat(chunks).toString('utf8').slice(0, maxResponseBytes),
            });
          };
          res.on('data', (chunk: Buffer) => {
            // A receiver streaming an endless body must not hold the worker: stop at the limit.
            chunks.push(chunk.subarray(0, Math.max(0, maxResponseBytes - received)));
            received += chunk.length;
            if (received >= maxResponseBytes) finish(false);
          });
          res.on('end', () => finish(true));
          res.on('error', reject);
        },
      );
      req.on('error', (error) => {
        reject(error.name === 'AbortError' ? new Error(`timed out after ${timeoutMs} ms`) : error);
      });
      req.end(request.body);
    });
  };
}
