import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { HttpBindings } from '@hono/node-server';
import { type AppServices, isDatabaseUnavailable, resolveCaller, sessionTokenOf } from '@tickets/api';
import {
  type Actor,
  AppError,
  type Attachment,
  attachmentNotFound,
  createAttachmentInput,
  getAttachment,
  getAttachmentInput,
  idempotencyKeySchema,
  payloadTooLarge,
  readAttachment,
  rejectOverLimit,
  uploadAttachment,
} from '@tickets/core';
import busboy from 'busboy';
import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import { errorJson } from '../error-json';

// Attachment bytes over plain HTTP, beside tRPC (CONTRACT.md §4):
//   POST /api/attachments       multipart/form-data: ticketId, [messageId], [internal], then `file`
//   GET  /api/attachments/:id   the bytes, always as a download
// Upload bodies are parsed with busboy straight from Node's request stream (never buffered), and the
// form's fields must come BEFORE the file: the caller is authorised from them before a byte is stored.

/** Room for the multipart framing and the small fields around the file, when judging Content-Length. */
const MULTIPART_ALLOWANCE_BYTES = 64 * 1024;

interface Issue {
  path: string;
  message: string;
}

export function createAttachmentRoutes(services: AppServices) {
  const routes = new Hono();

  routes.post('/', async (c) => {
    const actor = await authenticate(c, services);
    const declaredLength = Number(c.req.header('content-length'));
    // Refused before reading the body: no point receiving a file that cannot be kept.
    if (declaredLength > services.maxUploadBytes + MULTIPART_ALLOWANCE_BYTES) {
      throw payloadTooLarge(services.maxUploadBytes);
    }
    const contentType = c.req.header('content-type') ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      throw validationError([{ path: 'file', message: 'send the upload as multipart/form-data' }]);
    }
    const idempotencyKey = idempotencyKeyOf(c);
    const body = requestBody(c);
    if (!body) throw noFileError();
    const attachment = await receiveUpload(services, actor, contentType, body, idempotencyKey);
    return c.json(toJson(attachment), 201);
  });

  routes.get('/:id', async (c) => {
    const actor = await authenticate(c, services);
    const input = getAttachmentInput.safeParse({ id: c.req.param('id') });
    // A malformed id names nothing: the same answer as a missing or hidden one.
    if (!input.success) throw attachmentNotFound();
    // Hono answers HEAD through this handler and drops the body unread: open no file for it.
    if (c.req.method === 'HEAD') {
      return c.body(null, 200, downloadHeaders(await getAttachment(services.db, actor, input.data)));
    }
    const { attachment, content } = await readAttachment(services, actor, input.data);
    return c.body(Readable.toWeb(content) as ReadableStream, 200, downloadHeaders(attachment));
  });

  routes.onError((error, c) => {
    // The same rule as tRPC: a database outage is a 503 the client retries, not a 500.
    if (isDatabaseUnavailable(error)) c.get('logger')?.warn({ err: error }, 'attachment route unavailable');
    else if (!(error instanceof AppError)) c.get('logger')?.error({ err: error }, 'attachment route failed');
    return errorJson(c, error);
  });

  return routes;
}

/**
 * The same session rule as tRPC (Bearer first, then the session cookie), from the same code. A
 * cookie-authenticated upload from another site never gets here: the app's one CSRF check
 * (security/http-security.ts) refuses it first.
 */
async function authenticate(c: Context, services: AppServices): Promise<Actor> {
  // The same caller resolution as every procedure, and the same per-user budget: one account cannot
  // flood storage or bandwidth either.
  const validated = await resolveCaller(services, sessionTokenOf(c.req.raw.headers).token);
  if (!validated) throw new AppError('UNAUTHENTICATED', 'Sign in to upload or download attachments.');
  if (validated.userHit && !validated.userHit.allowed) {
    c.header('Retry-After', String(validated.userHit.retryAfterSeconds));
    rejectOverLimit(validated.userHit);
  }
  return validated.actor;
}

/** Node's own request stream under @hono/node-server; the Web body elsewhere (e.g. app.request in tests). */
function requestBody(c: Context): Readable | null {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (incoming) return incoming;
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body as NodeReadableStream<Uint8Array>) : null;
}

function receiveUpload(
  services: AppServices,
  actor: Actor,
  contentType: string,
  body: Readable,
  idempotencyKey: string | undefined,
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = multipartParser(contentType, services.maxUploadBytes);
    } catch {
      reject(validationError([{ path: 'file', message: 'the multipart body has no boundary' }]));
      return;
    }
    const fields: Record<string, string> = {};
    let fileStream: Readable | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      body.unpipe(parser);
      outcome();
    };
    const fail = (error: unknown) => settle(() => reject(error));

    parser.on('field', (name, value) => {
      if (!fileStream) fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      // Only the first part named `file` that carries a name (an empty file input sends filename="").
      if (fileStream || name !== 'file' || !info.filename) {
        stream.resume();
        return;
      }
      fileStream = stream;
      // The error surfaces through the upload's pipeline; this keeps an early one from going unhandled.
      stream.on('error', () => {});
      stream.on('limit', () => stream.destroy(payloadTooLarge(services.maxUploadBytes)));
      const input = createAttachmentInput.safeParse(formInput(fields));
      if (!input.success) {
        fail(validationError(zodIssues(input.error), 'form fields must come before the file'));
        return;
      }
      uploadAttachment(
        services,
        actor,
        input.data,
        {
          filename: info.filename,
          declaredType: info.mimeType,
          content: stream,
        },
        idempotencyKey,
      ).then((attachment) => settle(() => resolve(attachment)), fail);
    });
    parser.on('close', () => {
      if (!fileStream) fail(noFileError());
    });
    parser.on('error', () => {
      const error = validationError([{ path: 'file', message: 'the multipart body is malformed' }]);
      fileStream?.destroy(error);
      fail(error);
    });
    // A client that goes away mid-upload: end the file stream so the upload cleans up and settles.
    const aborted = () =>
      fileStream?.destroy(new Error('The client closed the connection during the upload.'));
    body.on('error', aborted);
    body.on('close', () => {
      if (!body.readableEnded) aborted();
    });
    body.pipe(parser);
  });
}

/** Busboy for one upload, with its limits; throws when the content type carries no boundary. */
function multipartParser(contentType: string, maxUploadBytes: number): busboy.Busboy {
  return busboy({
    headers: { 'content-type': contentType },
    // Browsers and fetch send UTF-8 names in filename="…"; busboy would read them as latin1.
    defParamCharset: 'utf8',
    // The whole name as sent: sanitizeFilename strips paths itself (and, unlike busboy, keeps a
    // name such as ".." as a file with a fallback name rather than making it "no file").
    preservePath: true,
    // One byte past the limit, so a file of exactly the limit passes and one byte more trips it.
    limits: {
      fileSize: maxUploadBytes + 1,
      fieldSize: 1024,
      fields: 10,
      parts: 20,
      headerPairs: 50,
    },
  });
}

const formFlags = new Map([
  ['true', true],
  ['1', true],
  ['on', true],
  ['false', false],
  ['0', false],
  ['', false],
]);

/** Form strings → the domain's input: `internal` as a checkbox or a boolean word, blank means absent. */
function formInput(fields: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...fields };
  if (fields.messageId === '') delete input.messageId;
  if (fields.internal !== undefined) {
    input.internal = formFlags.get(fields.internal) ?? fields.internal;
  }
  return input;
}

/** The HTTP convention for a safe retry: the optional `Idempotency-Key` header, checked like the tRPC field. */
function idempotencyKeyOf(c: Context): string | undefined {
  const header = c.req.header('idempotency-key');
  if (header === undefined) return undefined;
  const key = idempotencyKeySchema.safeParse(header);
  if (!key.success) {
    throw validationError(zodIssues(key.error).map((issue) => ({ ...issue, path: 'Idempotency-Key' })));
  }
  return key.data;
}

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown fields: ${issue.keys.join(', ')}` : issue.message,
  }));
}

function validationError(issues: Issue[], hint?: string): AppError {
  const message = issues
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ');
  return new AppError('VALIDATION_FAILED', hint ? `${message} (${hint})` : message, { issues });
}

const noFileError = () =>
  validationError([
    { path: 'file', message: 'no file: send it as a part named "file", with a filename, after the fields' },
  ]);

function downloadHeaders(attachment: Attachment): Record<string, string> {
  return {
    'Content-Type': attachment.contentType,
    'Content-Length': String(attachment.size),
    // Always a download, never rendered: uploaded HTML or SVG must not run in our origin.
    'Content-Disposition': contentDisposition(attachment.filename),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
  };
}

/** The tRPC attachmentSchema's shape, with the date as an ISO string. */
function toJson(attachment: Attachment) {
  return { ...attachment, createdAt: attachment.createdAt.toISOString() };
}

/**
 * RFC 6266: an ASCII `filename` for old clients (accents dropped, anything else non-ASCII, quotes,
 * backslashes and percent signs replaced) and the exact name as RFC 8187 `filename*`.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
