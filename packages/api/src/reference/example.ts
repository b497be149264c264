import type { JsonSchema } from './json-schema';

// A readable example input built from a procedure's JSON Schema: the required fields, each with a value
// of its type that passes its checks. Names of well-known fields get values a reader recognises.

const byName: Record<string, unknown> = {
  email: 'ada@example.com',
  password: 'a long password',
  name: 'Ada Lovelace',
  title: 'The printer is on fire',
  description: 'Third floor, next to the kitchen.',
  body: 'Any news on this?',
  slug: 'acme',
  workspaceSlug: 'acme',
  token: 'the-token-the-server-printed',
  timeZone: 'Europe/Berlin',
  start: '09:00',
  end: '17:00',
  url: 'https://hooks.example.com/tickets',
};

const exampleId = '0193a0c4-1f2e-7c3d-9a4b-5c6d7e8f9a0b';

export function exampleFromSchema(schema: JsonSchema, name?: string): unknown {
  if (name && name in byName && (schema.type === 'string' || schema.type === undefined)) return byName[name];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) return exampleFromSchema(schema.anyOf[0] as JsonSchema, name);
  if (Array.isArray(schema.oneOf)) return exampleFromSchema(schema.oneOf[0] as JsonSchema, name);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema.required ?? []) as string[]);
      return Object.fromEntries(
        Object.entries(properties)
          .filter(([key]) => required.has(key))
          .map(([key, value]) => [key, exampleFromSchema(value, key)]),
      );
    }
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? Math.max(schema.minItems, 1) : 1;
      return Array.from({ length: minItems }, () => exampleFromSchema((schema.items ?? {}) as JsonSchema));
    }
    case 'string':
      return exampleString(schema);
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return null;
  }
}

function exampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid':
      return exampleId;
    case 'email':
      return 'ada@example.com';
    case 'date-time':
      return '2026-12-07T09:30:00.000Z';
    case 'date':
      return '2026-12-07';
  }
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 1;
  return 'text'.padEnd(minLength, '.');
}
