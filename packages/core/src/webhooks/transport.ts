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

/**
 * POSTs over node:http(s) to the address the policy just approved: the socket's `lookup` answers with
 * that address instead of asking DNS again, so a name that re-resolves to 127.0.0.1 between the check
 * and the connection (DNS rebinding) cannot reach it. TLS still verifies the certificate against the
 * host name. Redirects are not followed (a 3xx is a failed attempt), and a fresh agent per request means
 * no pooled socket outlives the check.
 */
export function createWebhookTransport(options: WebhookTransportOptions): WebhookTransport {
  const { policy, timeoutMs = 10_000, maxResponseBytes = 4_096 } = options;
  return async (request) => {
    const started = performance.now();
    const addresses = await checkWebhookUrl(request.url, policy);
    const target = addresses[0] as ResolvedAddress;
    const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if (lookupOptions.all) {
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
      } else {
        callback(null, target.address, target.family);
      }
    };
    const url = new URL(request.url);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<WebhookResponse>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          lookup: pinnedLookup,
          agent: false,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let received = 0;
          const finish = () => {
            res.destroy();
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
            if (received >= maxResponseBytes) finish();
          });
          res.on('end', finish);
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
