import { attachmentSchema, createAttachmentInput } from '@tickets/core';
import { SESSION_COOKIE } from '../context';
import { describeProcedures, type ProcedureReference } from './describe';
import { toJsonSchema } from './json-schema';

type Operation = Record<string, unknown>;

const errorResponse = (description: string) => ({
  description,
  // Every route answers errors in the one envelope tRPC uses (see errorResponse in http-errors.ts).
  content: { 'application/json': { schema: { $ref: '#/components/schemas/TrpcError' } } },
});

const trpcError = {
  description: 'An error in the tRPC envelope; `data.appCode` says which (see /docs#errors).',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/TrpcError' } } },
};

/**
 * The HTTP surface as OpenAPI 3.1 (GET /openapi.json): each tRPC procedure at /trpc/<name> in its
 * superjson envelope, the attachment upload and download, the probes and /metrics.
 */
export function openApiDocument(
  { version, procedures = describeProcedures() }: { version: string; procedures?: ProcedureReference[] } = {
    version: '0.0.0',
  },
): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const procedure of procedures) paths[`/trpc/${procedure.path}`] = procedureOperation(procedure);
  Object.assign(paths, httpRoutes());
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tickets API',
      version,
      description:
        'tRPC procedures (superjson envelope) and plain HTTP routes of the Tickets help desk. The typed way to call it is the @tickets/client SDK; /docs is the readable reference.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { cookie: [] }, {}],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The `token` answered by auth.signIn or auth.setup.',
        },
        cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The METRICS_TOKEN the server runs with.',
        },
      },
      schemas: {
        TrpcError: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                json: {
                  type: 'object',
                  properties: {
                    message: { type: 'string' },
                    code: { type: 'integer' },
                    data: {
                      type: 'object',
                      properties: {
                        code: { type: 'string' },
                        httpStatus: { type: 'integer' },
                        appCode: { type: 'string' },
                        path: { type: 'string' },
                        requestId: { type: 'string' },
                        retryAfterSeconds: { type: 'integer' },
                        issues: { type: 'array', items: { type: 'object' } },
                      },
                      required: ['code', 'httpStatus', 'appCode'],
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

function envelope(schema: Record<string, unknown> | null): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      json: schema ?? {},
      meta: { type: 'object', description: 'superjson: which values are Dates (and other non-JSON types).' },
    },
  };
}

function procedureOperation(procedure: ProcedureReference): Record<string, Operation> {
  const common = {
    operationId: procedure.path,
    summary: procedure.summary,
    description: `Who may call: ${procedure.access}. Errors: ${procedure.errors.map((error) => error.appCode).join(', ')}.`,
    tags: [procedure.path.split('.')[0]],
    ...(procedure.access === 'public' ? { security: [{}, { bearer: [] }, { cookie: [] }] } : {}),
  };
  const ok = {
    description: 'Success',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: { result: { type: 'object', properties: { data: envelope(procedure.output) } } },
        },
      },
    },
  };
  if (procedure.type === 'mutation') {
    return {
      post: {
        ...common,
        requestBody: {
          required: !procedure.inputOptional,
          content: { 'application/json': { schema: envelope(procedure.input) } },
        },
        responses: { '200': ok, default: trpcError },
      },
    };
  }
  const parameters = procedure.input
    ? [
        {
          name: 'input',
          in: 'query',
          required: !procedure.inputOptional,
          description: 'The superjson envelope, URL-encoded: {"json": <input>}.',
          content: { 'application/json': { schema: envelope(procedure.input) } },
        },
      ]
    : [];
  if (procedure.type === 'subscription') {
    return {
      get: {
        ...common,
        parameters,
        responses: {
          '200': {
            description:
              'Server-sent events: each `data:` line is the superjson envelope of one event (schema below); the event id resumes the stream (Last-Event-ID).',
            content: { 'text/event-stream': { schema: envelope(procedure.output) } },
          },
          default: trpcError,
        },
      },
    };
  }
  return { get: { ...common, parameters, responses: { '200': ok, default: trpcError } } };
}

function httpRoutes(): Record<string, Record<string, Operation>> {
  const fields = toJsonSchema(createAttachmentInput, 'input') as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return {
    '/api/attachments': {
      post: {
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
      },
    },
    '/api/attachments/{id}': {
      get: {
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
      },
    },
    '/healthz': {
      get: {
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
      },
    },
    '/readyz': {
      get: {
        operationId: 'readyz',
        summary: 'Readiness: 200 when the database answers and the server is not draining, else 503.',
        tags: ['operations'],
        security: [{}],
        responses: { '200': { description: 'Ready.' }, '503': { description: 'Not ready.' } },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics (text exposition format).',
        tags: ['operations'],
        security: [{ metricsToken: [] }],
        responses: {
          '200': { description: 'The metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
          '401': { description: 'Missing or wrong bearer token.' },
          '404': { description: 'METRICS_TOKEN is not set: metrics are disabled.' },
        },
      },
    },
  };
}
