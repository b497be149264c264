import { appErrorKinds } from '@tickets/core';
import { SESSION_COOKIE } from '../context';
import { accessDescriptions, describeProcedures, type ProcedureReference } from './describe';

// The API reference as a small document model, rendered twice: to Markdown (docs/API.md) and to HTML
// (GET /docs). Inline text may hold `code` spans and [links](#anchor), which both renderers understand.

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; id?: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] };

const httpStatusByCode: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** The anchor of a procedure's section, the same in docs/API.md and /docs (e.g. `#tickets.list`). */
export const anchorOf = (path: string) => path;

const baseUrl = 'http://127.0.0.1:3000';

export function apiReferenceDocument(procedures: ProcedureReference[] = describeProcedures()): Block[] {
  return [
    { kind: 'heading', level: 1, text: 'API reference' },
    {
      kind: 'paragraph',
      text: 'Generated from the router by `pnpm docs:api` (packages/api/src/reference); do not edit by hand. A running server serves the same reference at `/docs`, and an OpenAPI 3.1 document at `/openapi.json`. The rules behind the calls (roles, workspaces, ticket lifecycle, notifications) are in [CONTRACT.md](CONTRACT.md).',
    },
    ...conventions(),
    { kind: 'heading', level: 2, text: 'Procedures', id: 'procedures' },
    {
      kind: 'table',
      header: ['Procedure', 'Kind', 'Who may call', 'What it does'],
      rows: procedures.map((procedure) => [
        `[\`${procedure.path}\`](#${anchorOf(procedure.path)})`,
        procedure.type,
        procedure.access,
        procedure.summary,
      ]),
    },
    ...procedures.flatMap(procedureSection),
    ...httpRoutes(),
  ];
}

function conventions(): Block[] {
  const appCodes = Object.entries(appErrorKinds).map(([appCode, code]) => [
    `\`${appCode}\``,
    `\`${code}\``,
    String(httpStatusByCode[code]),
  ]);
  return [
    { kind: 'heading', level: 2, text: 'Calling the API', id: 'conventions' },
    {
      kind: 'list',
      items: [
        'Procedures are tRPC 11 procedures at `/trpc/<name>`. A **query** is a `GET /trpc/<name>?input=<URL-encoded JSON>` (a POST answers 405); a **mutation** is a `POST /trpc/<name>` with a JSON body; a **subscription** is a `GET` answered as server-sent events (`text/event-stream`).',
        'Inputs and outputs use the superjson envelope: send `{"json": <input>}`; an answer is `{"result": {"data": {"json": <output>, "meta": …}}}`. Dates travel as ISO 8601 strings inside `json` and `meta` marks them as dates; the SDK (`@tickets/client`) turns them back into `Date` objects. The schemas below describe the `json` part.',
        'Sign in with `auth.signIn` (or `auth.setup` on a new installation): the answer carries `token`; send it as `Authorization: Bearer <token>`. Browsers get the same session as the `' +
          SESSION_COOKIE +
          '` cookie (HttpOnly); a state-changing call carried by the cookie must come from an allowed origin.',
        'Lists take `cursor` and `limit` (1 to 100, default 25) and answer `{ "items": [...], "nextCursor": string | null }`; pass `nextCursor` back as `cursor` for the next page. Lists that need no id accept no input at all: the first page with the defaults.',
        'Creations that are not naturally idempotent (`tickets.create`, `messages.create`, uploads) take an optional `idempotencyKey` (8 to 128 printable characters; the upload takes it as an `Idempotency-Key` header): a retry with the same key answers the first result instead of creating twice.',
        'Every answer carries `X-Request-Id`; quote it when reporting a problem.',
      ],
    },
    { kind: 'heading', level: 3, text: 'Who may call', id: 'access' },
    {
      kind: 'table',
      header: ['Access', 'Callers'],
      rows: Object.entries(accessDescriptions).map(([access, callers]) => [`\`${access}\``, callers]),
    },
    {
      kind: 'paragraph',
      text: "Roles: `superadmin` (the whole installation, no workspace), `admin` (runs one workspace: its users and tickets), `support` (staff: works the tickets of its workspace), `writer` and `client` (together: requesters; they open tickets and see only their own, never internal notes; both have the same rights today). A caller outside the gate gets `UNAUTHORIZED` (not signed in) or `FORBIDDEN`; a resource outside the caller's reach answers `NOT_FOUND`, exactly as a missing one.",
    },
    { kind: 'heading', level: 3, text: 'Errors', id: 'errors' },
    {
      kind: 'paragraph',
      text: 'Every error the server answers, on /trpc and on the plain routes alike, is `{"error": {"json": {"message", "code", "data": {"code", "httpStatus", "appCode", "issues"?, "retryAfterSeconds"?, "path"?, "requestId"}}}}`. Branch on `data.appCode`, never on the message. A `VALIDATION_FAILED` error lists each invalid field in `data.issues` (`path`, `message`) and changes nothing; a `TOO_MANY_REQUESTS` one says in `data.retryAfterSeconds` (and the `Retry-After` header) when to retry.',
    },
    { kind: 'table', header: ['appCode', 'code', 'HTTP status'], rows: appCodes },
  ];
}

function procedureSection(procedure: ProcedureReference): Block[] {
  const inputLine =
    procedure.input === null
      ? 'none'
      : procedure.inputOptional
        ? 'optional (calling with no input at all uses the defaults shown)'
        : 'required';
  return [
    {
      kind: 'heading',
      level: 3,
      text: `${procedure.path} (${procedure.type})`,
      id: anchorOf(procedure.path),
    },
    { kind: 'paragraph', text: procedure.summary },
    {
      kind: 'list',
      items: [
        `Who may call: \`${procedure.access}\`, ${accessDescriptions[procedure.access]}.`,
        `Input: ${inputLine}.`,
        `Errors: ${procedure.errors.map((error) => `\`${error.appCode}\` (${error.code})`).join(', ')}.`,
      ],
    },
    ...(procedure.input
      ? [
          { kind: 'paragraph', text: 'Input (JSON Schema):' } as const,
          { kind: 'code', language: 'json', text: JSON.stringify(procedure.input, null, 2) } as const,
        ]
      : []),
    {
      kind: 'paragraph',
      text: procedure.type === 'subscription' ? 'Each event (JSON Schema):' : 'Output (JSON Schema):',
    },
    { kind: 'code', language: 'json', text: JSON.stringify(procedure.output ?? {}, null, 2) },
    { kind: 'paragraph', text: 'Example:' },
    { kind: 'code', language: 'sh', text: curlExample(procedure) },
    { kind: 'code', language: 'ts', text: sdkExample(procedure) },
  ];
}

function curlExample({ path, type, access, exampleInput, input }: ProcedureReference): string {
  const auth = access === 'public' ? '' : ' -H "authorization: Bearer $TOKEN"';
  const envelope = JSON.stringify({ json: exampleInput ?? undefined });
  if (type === 'mutation') {
    return `curl -s ${baseUrl}/trpc/${path}${auth} -H 'content-type: application/json' \\\n  -d '${envelope}'`;
  }
  const query = input && exampleInput !== null ? `?input=${encodeURIComponent(envelope)}` : '';
  const accept = type === 'subscription' ? " -N -H 'accept: text/event-stream'" : '';
  return `curl -s${accept} '${baseUrl}/trpc/${path}${query}'${auth}`;
}

function sdkExample({ path, type, exampleInput, inputOptional }: ProcedureReference): string {
  const call = { query: 'query', mutation: 'mutate', subscription: 'subscribe' }[type];
  const args =
    exampleInput === null || (inputOptional && isEmptyObject(exampleInput))
      ? ''
      : JSON.stringify(exampleInput, null, 2)
          .replace(/"(\w+)":/g, '$1:')
          .replace(/"/g, "'");
  if (type === 'subscription') {
    return `client.${path}.subscribe(${args || 'undefined'}, {\n  onData: (event) => console.log(event),\n});`;
  }
  return `const result = await client.${path}.${call}(${args});`;
}

const isEmptyObject = (value: unknown) =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 0;

function httpRoutes(): Block[] {
  return [
    { kind: 'heading', level: 2, text: 'HTTP routes', id: 'http-routes' },
    {
      kind: 'paragraph',
      text: 'Attachment bytes, probes and metrics are plain HTTP beside tRPC; `/openapi.json` describes them (and every procedure) as OpenAPI 3.1. Their errors use the same envelope as every procedure (above), with the HTTP status of the table.',
    },
    {
      kind: 'table',
      header: ['Route', 'What it does'],
      rows: [
        [
          '`POST /api/attachments`',
          'Uploads a file to a ticket (authed). `multipart/form-data` with the fields `ticketId`, then optionally `messageId` and `internal` (`true`/`false`, staff only), and **last** the part `file` (with a filename): the fields must come before the file, as the caller is authorised from them before a byte is stored. Optional header `Idempotency-Key`. Answers 201 with the attachment (as `attachments.get`), 413 above the size limit.',
        ],
        [
          '`GET /api/attachments/{id}`',
          "Downloads an attachment's bytes (authed, same visibility as `attachments.get`), always as a download (`Content-Disposition: attachment`).",
        ],
        ['`GET /healthz`', 'Answers 200 with `{"ok": true, "version": "…"}` while the process runs.'],
        ['`GET /readyz`', 'Answers 200 when the database answers and the server is not draining, else 503.'],
        [
          '`GET /metrics`',
          'Prometheus metrics, with `Authorization: Bearer <METRICS_TOKEN>`; answers 404 when `METRICS_TOKEN` is not set.',
        ],
        ['`GET /docs`, `GET /openapi.json`', 'This reference, as HTML and as OpenAPI 3.1.'],
      ],
    },
    {
      kind: 'code',
      language: 'sh',
      text: `curl -s ${baseUrl}/api/attachments -H "authorization: Bearer $TOKEN" \\\n  -F ticketId=<ticket id> -F internal=false -F file=@screenshot.png\ncurl -s -OJ ${baseUrl}/api/attachments/<attachment id> -H "authorization: Bearer $TOKEN"`,
    },
  ];
}
