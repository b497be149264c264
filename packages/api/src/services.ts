import type {
  NotificationHub,
  RateLimiter,
  SessionCache,
  Storage,
  WebhookAddressPolicy,
  WebhookTransport,
} from '@tickets/core';
import type { DB } from '@tickets/db';
import type { Kysely } from 'kysely';
import type { RequestLimits } from './security/request-limits';

/**
 * What procedures need from the outside world, chosen by the composition root (apps/server).
 * Extend this interface as features need more (storage, notifier, clock…).
 */
export interface AppServices {
  readonly db: Kysely<DB>;
  /** When true, errors carry no message from internals and no stack. */
  readonly production: boolean;
  /** Send the session cookie with `Secure` (the server sits behind TLS). */
  readonly secureCookies: boolean;
  /** True when the database answers (for /readyz). */
  isDatabaseReady(): Promise<boolean>;
  /** Where attachment bytes live (local disk or S3-compatible, chosen by configuration). */
  readonly storage: Storage;
  /** Uploads larger than this answer PAYLOAD_TOO_LARGE. */
  readonly maxUploadBytes: number;
  /** Live notifications for the subscriptions open on this instance (fed by the server's LISTEN connection). */
  readonly notificationHub: NotificationHub;
  /**
   * Where abuse-limit counters live (PostgreSQL shared by instances, or memory in embedded mode), and
   * the limits. Without them no limit applies: the composition root always sets both.
   */
  readonly rateLimiter?: RateLimiter;
  readonly requestLimits?: RequestLimits;
  /**
   * Where the per-user budget is counted, hit on every signed-in call: memory, or Redis shared by the
   * instances (never the database, so that a read stays a read). Without it, `rateLimiter` counts it.
   */
  readonly userRateLimiter?: RateLimiter;
  /** Sessions checked lately: a signed-in call within its lifetime reads nothing from the database. */
  readonly sessionCache?: SessionCache;
  /** Told of every procedure call as it ends (the server's /metrics counts them); optional. */
  readonly observeProcedure?: (call: ProcedureCall) => void;
  /**
   * What webhook URLs may reach and how the `test` procedure sends. Without it, the strict default:
   * https only, public addresses only, the system resolver.
   */
  readonly webhooks?: { readonly policy: WebhookAddressPolicy; readonly transport: WebhookTransport };
}

/** One finished procedure call, as metrics see it. */
export interface ProcedureCall {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** 'ok', or the tRPC error code (e.g. 'BAD_REQUEST'). */
  outcome: string;
  durationSeconds: number;
}

// The root context travels into AppRouter's type, and from there into the SDK's declarations. Typing it
// with Kysely<DB> inlined all of Kysely into them, so the root context holds an opaque handle and one
// middleware (procedures/base.ts) turns it back into AppServices.
declare const servicesBrand: unique symbol;
export type ServicesHandle = { readonly [servicesBrand]: true };

export const toServicesHandle = (services: AppServices): ServicesHandle =>
  services as unknown as ServicesHandle;
export const fromServicesHandle = (handle: ServicesHandle): AppServices => handle as unknown as AppServices;
