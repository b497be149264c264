import { AppError } from '@tickets/core';
import superjson from 'superjson';

// superjson turns tagged values back into objects: a 1 MB digit string tagged `bigint` becomes a BigInt,
// a `regexp` tag compiles a pattern, a `class`/`custom` tag runs registered code. tRPC decodes the input
// before any middleware sees a caller, so whatever this costs is paid by anonymous requests too (a 1 MB
// bigint took up to 430 ms of the event loop). Inputs of this API only ever carry dates and undefined:
// every other tag is refused, and every tagged value is bounded, before superjson converts anything.

const acceptedTags = new Set(['Date', 'undefined']);
/** An ISO date is 24 characters (27 with a six-digit year); anything longer is not one of ours. */
const MAX_DATE_LENGTH = 32;
/** Tagged values and repeated references one input may carry: far above any input of this API. */
const MAX_TAGGED_VALUES = 200;

const refuse = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${path || 'input'}: ${message}`, { field: path });

/** superjson's escaped path (`a.b\.c.0`) as keys. */
function splitPath(path: string): string[] {
  const keys: string[] = [];
  let key = '';
  for (let index = 0; index < path.length; index += 1) {
    const char = path[index];
    if (char === '\\' && index + 1 < path.length) {
      index += 1;
      key += path[index];
    } else if (char === '.') {
      keys.push(key);
      key = '';
    } else {
      key += char;
    }
  }
  keys.push(key);
  return keys;
}

function valueAt(json: unknown, path: string): unknown {
  if (path === '') return json;
  let value = json;
  for (const key of splitPath(path)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function checkAnnotation(json: unknown, path: string, annotation: unknown): void {
  if (!Array.isArray(annotation) || annotation.length !== 1 || !acceptedTags.has(annotation[0])) {
    const tag = Array.isArray(annotation) && typeof annotation[0] === 'string' ? annotation[0] : 'unknown';
    throw refuse(path, `values of type "${tag.slice(0, 20)}" are not accepted (only dates).`);
  }
  if (annotation[0] === 'Date') {
    const value = valueAt(json, path);
    if (typeof value !== 'string' || value.length > MAX_DATE_LENGTH) {
      throw refuse(path, 'expected a date as an ISO 8601 string.');
    }
  }
}

function checkReferences(references: unknown): void {
  const entries = Array.isArray(references)
    ? references.flat(2)
    : references !== null && typeof references === 'object'
      ? Object.entries(references).flat(2)
      : null;
  if (!entries || entries.length > MAX_TAGGED_VALUES || entries.some((entry) => typeof entry !== 'string')) {
    throw refuse('', 'the superjson references are malformed.');
  }
}

/** Checks superjson's `meta` against what this API accepts, then lets superjson decode the input. */
export function deserializeInput(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw refuse('', 'expected a superjson payload such as {"json": …}.');
  }
  const { json, meta } = payload as { json?: unknown; meta?: unknown };
  if (meta === undefined) return json;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw refuse('', 'the superjson meta is malformed.');
  }
  const { values, referentialEqualities, ...rest } = meta as Record<string, unknown>;
  if (Object.keys(rest).some((key) => key !== 'v')) throw refuse('', 'the superjson meta is malformed.');
  if (Array.isArray(values)) {
    checkAnnotation(json, '', values);
  } else if (values !== undefined) {
    if (values === null || typeof values !== 'object') throw refuse('', 'the superjson meta is malformed.');
    const annotations = Object.entries(values);
    if (annotations.length > MAX_TAGGED_VALUES) throw refuse('', 'the input carries too many typed values.');
    for (const [path, annotation] of annotations) checkAnnotation(json, path, annotation);
  }
  if (referentialEqualities !== undefined) checkReferences(referentialEqualities);
  return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0]);
}

/** superjson both ways; inputs pass the check above first. Clients use plain superjson. */
export const transformer = {
  input: { serialize: superjson.serialize, deserialize: deserializeInput },
  output: superjson,
};
