import { SESSION_COOKIE } from '../context';
import { describeProcedures, type ProcedureReference } from './describe';
import { httpRoutes, type Operation } from './http-routes';

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
