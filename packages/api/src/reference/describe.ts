import { type AppErrorCode, appErrorKinds } from '@tickets/core';
import type { AnyProcedure, AnyRouter } from '@trpc/server';
import type { z } from 'zod';
import type { ProcedureAccess, ProcedureMeta } from '../init';
import { appRouter } from '../router';
import { exampleFromSchema } from './example';
import { type JsonSchema, toJsonSchema } from './json-schema';

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** One error a procedure may answer: tRPC's code (the HTTP status follows from it) and our appCode. */
export interface ErrorReference {
  code: string;
  appCode: string;
}

/** Everything the API reference says about one procedure, read from the router itself. */
export interface ProcedureReference {
  path: string;
  type: ProcedureType;
  access: ProcedureAccess;
  summary: string;
  /** JSON Schema of the input; null when the procedure takes none. */
  input: JsonSchema | null;
  /** True when the procedure may be called with no input at all. */
  inputOptional: boolean;
  output: JsonSchema | null;
  errors: ErrorReference[];
  /** An input that passes the schema (the required fields only); null when it takes none. */
  exampleInput: unknown;
}

export const accessDescriptions: Record<ProcedureAccess, string> = {
  public: 'anyone, signed in or not',
  authed: 'any signed-in user (what they see is scoped to their role and workspace)',
  staff: 'superadmin, admin and support',
  admin: 'admin (in their own workspace) and superadmin',
  superadmin: 'superadmin only',
};

/** The errors any call may answer, by who may call it; each procedure adds its own domain errors. */
function commonErrors(access: ProcedureAccess, takesInput: boolean): AppErrorCode[] {
  return [
    ...(takesInput ? (['VALIDATION_FAILED'] as const) : []),
    ...(access === 'public' ? [] : (['UNAUTHENTICATED'] as const)),
    ...(access === 'public' || access === 'authed' ? [] : (['FORBIDDEN'] as const)),
    'RATE_LIMITED',
    'DATABASE_UNAVAILABLE',
  ];
}

/**
 * Every procedure of the router, sorted by path: type, access (the base procedure's meta), summary,
 * input and output JSON Schemas, errors and an example. A procedure added anywhere in the router appears
 * here with no further step; api-reference.test.ts fails when one lacks its summary or access.
 */
export function describeProcedures(router: AnyRouter = appRouter): ProcedureReference[] {
  const procedures = router._def.procedures as Record<string, AnyProcedure>;
  return Object.keys(procedures)
    .sort()
    .map((path) => describeProcedure(path, procedures[path] as AnyProcedure));
}

function describeProcedure(path: string, procedure: AnyProcedure): ProcedureReference {
  const definition = procedure._def as AnyProcedure['_def'] & {
    inputs: z.ZodType[];
    output?: z.ZodType;
    meta?: ProcedureMeta;
  };
  const meta = definition.meta ?? {};
  const inputSchema = definition.inputs.length === 1 ? definition.inputs[0] : undefined;
  const input = inputSchema ? toJsonSchema(inputSchema, 'input') : null;
  const inputOptional = !inputSchema || inputSchema.safeParse(undefined).success;
  const access = meta.access;
  // Every procedure is built on a base procedure of procedures/base.ts, which names its access level.
  if (!access)
    throw new Error(`${path} has no access level: build it on a base procedure (procedures/base.ts)`);
  const errorCodes = new Set<AppErrorCode>([...commonErrors(access, input !== null), ...(meta.errors ?? [])]);
  return {
    path,
    type: definition.type as ProcedureType,
    access,
    summary: meta.summary ?? '',
    input,
    inputOptional,
    output: definition.output ? toJsonSchema(definition.output, 'output') : null,
    errors: [...errorCodes].map((appCode) => ({ code: appErrorKinds[appCode], appCode })),
    exampleInput: input ? exampleFromSchema(input) : null,
  };
}
