import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { appRouter } from '../router';

// CONTRACT.md §10: every string, array and number a caller sends is bounded. Walks every procedure's input
// schema (generated from the router, so a new procedure is checked too) and lists each unbounded leaf.

type Schema = z.core.$ZodType;
interface CheckDef {
  check: string;
  inclusive?: boolean;
}

// Fixed-shape formats: their length is bounded by the format itself.
const boundedFormats = new Set(['uuid', 'guid', 'datetime', 'date', 'time', 'cuid', 'cuid2', 'ulid']);

function unboundedLeaves(schema: Schema, path: string, seen = new Set<Schema>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const checks = ((def.checks ?? []) as Array<{ _zod: { def: CheckDef } }>).map(
    (check) => check._zod.def.check,
  );
  const hasMaxLength = checks.includes('max_length') || checks.includes('length_equals');
  const walk = (child: unknown, childPath = path) => unboundedLeaves(child as Schema, childPath, seen);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, Schema>).flatMap(([key, child]) =>
        walk(child, path ? `${path}.${key}` : key),
      );
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return walk(def.innerType);
    case 'pipe':
      // A caller's value is bounded where it enters: the input side, unless that is a preprocess step.
      return (def.in as Schema)._zod.def.type === 'transform' ? walk(def.out) : walk(def.in);
    case 'union':
      return (def.options as Schema[]).flatMap((option) => walk(option));
    case 'array':
      return [...(hasMaxLength ? [] : [`${path} (array)`]), ...walk(def.element, `${path}[]`)];
    case 'record':
      return [...walk(def.keyType, `${path}{key}`), ...walk(def.valueType, `${path}{}`)];
    case 'string':
      return hasMaxLength || boundedFormats.has(String(def.format)) ? [] : [`${path} (string)`];
    case 'number':
    case 'bigint':
      return checks.includes('less_than') && checks.includes('greater_than') ? [] : [`${path} (number)`];
    default:
      return [];
  }
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>,
);

describe('input bounds', () => {
  it.each(procedures.map(([path, procedure]) => ({ path, inputs: procedure._def.inputs })))(
    '$path: every string, array and number of its input is bounded',
    ({ inputs }) => {
      expect(inputs.flatMap((input) => unboundedLeaves(input, ''))).toEqual([]);
    },
  );
});
