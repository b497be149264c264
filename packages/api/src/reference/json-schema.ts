import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as JSON Schema (draft 2020-12), as it travels on the wire. Dates are ISO 8601 strings
 * there (superjson marks them in `meta`; the SDK turns them back into Date objects); a transform's
 * output, or a stream, has no JSON Schema and is left open (`{}`) with any description it carries.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (context) => {
      if (context.zodSchema._zod.def.type === 'date') {
        context.jsonSchema.type = 'string';
        context.jsonSchema.format = 'date-time';
      }
    },
  }) as JsonSchema;
  // The draft is stated once, in the reference's conventions, rather than in every schema.
  delete json.$schema;
  return json;
}
