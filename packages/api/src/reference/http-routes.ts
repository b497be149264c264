import { attachmentSchema, createAttachmentInput } from '@tickets/core';
import { toJsonSchema } from './json-schema';

export type Operation = Record<string, unknown>;

const errorResponse = (description: string) => ({
  description,
  // Every route answers errors in the one envelope tRPC uses (see errorResponse in http-errors.ts).
  content: { 'application/json': { schema: { $ref: '#/components/schemas/TrpcError' } } },
});

/** The routes served outside tRPC, as OpenAPI paths: attachment upload and download, probes, metrics. */
export function httpRoutes(): Record<string, Record<string, Operation>> {
  return {
    '/api/attachments': { post: attachmentUpload() },
    '/api/attachments/{id}': { get: attachmentDownload() },
    '/healthz': { get: healthz() },
    '/readyz': { get: readyz() },
    '/metrics': { get: metrics() },
  };
}

function attachmentUpload(): Operation {
  const fields = toJsonSchema(createAttachmentInput, 'input') as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return {
    operationId: 'attachments.upload',
    summary: 'Uploads a file to a ticket (streamed; never buffered whole).',
    description:
      'The form fields must come before the file part: the caller is authorised from them before a byte is stored. Requesters upload on their own tickets (never internal); staff on any ticket of their workspace.',
    tags: ['attachments'],
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', minLength: 8, maxLength: 128 },
        description: 'A retry with the same key answers the first upload instead of storing twice.',
      },
    ],
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              ...fields.properties,
              internal: { type: 'string', enum: ['true', 'false'], default: 'false' },
              file: { type: 'string', format: 'binary', description: 'Last part, with a filename.' },
            },
            required: [...(fields.required ?? []), 'file'],
          },
          encoding: { file: { contentType: 'application/octet-stream' } },
        },
      },
    },
    responses: {
      '201': {
        description: 'The stored attachment (as attachments.get answers it).',
        content: { 'application/json': { schema: toJsonSchema(attachmentSchema, 'output') } },
      },
      '400': errorResponse('A field is invalid, or the file part is missing or came before the fields.'),
      '401': errorResponse('Not signed in.'),
      '404': errorResponse('No such ticket, or one the caller may not see.'),
      '409': errorResponse('The Idempotency-Key was used for another upload.'),
      '413': errorResponse('The file is larger than MAX_UPLOAD_BYTES; nothing is stored.'),
      '429': errorResponse('Rate limited; see Retry-After.'),
    },
  };
}

function attachmentDownload(): Operation {
  return {
    operationId: 'attachments.download',
    summary: 'Downloads an attachment, always as a download.',
    tags: ['attachments'],
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: {
      '200': {
        description: 'The bytes, with Content-Disposition: attachment and the stored content type.',
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      },
      '401': errorResponse('Not signed in.'),
      '404': errorResponse('No such attachment, or one the caller may not see.'),
    },
  };
}

function healthz(): Operation {
  return {
    operationId: 'healthz',
    summary: 'Liveness: 200 while the process runs, with the server version.',
    tags: ['operations'],
    security: [{}],
    responses: {
      '200': {
        description: 'Alive.',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { ok: { const: true }, version: { type: 'string' } },
              required: ['ok', 'version'],
            },
          },
        },
      },
    },
  };
}

function readyz(): Operation {
  return {
    operationId: 'readyz',
    summary: 'Readiness: 200 when the database answers and the server is not draining, else 503.',
    tags: ['operations'],
    security: [{}],
    responses: { '200': { description: 'Ready.' }, '503': { description: 'Not ready.' } },
  };
}

function metrics(): Operation {
  return {
    operationId: 'metrics',
    summary: 'Prometheus metrics (text exposition format).',
    tags: ['operations'],
    security: [{ metricsToken: [] }],
    responses: {
      '200': { description: 'The metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
      '401': { description: 'Missing or wrong bearer token.' },
      '404': { description: 'METRICS_TOKEN is not set: metrics are disabled.' },
    },
  };
}
