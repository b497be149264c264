// Checks every procedure's raw input gets at the edge, before its schema runs, for what no schema says:
// - NUL (U+0000): PostgreSQL text cannot hold it, so a string carrying one fails the statement that
//   stores or even compares it ("invalid byte sequence for encoding UTF8: 0x00");
// - lone surrogates (half of a UTF-16 pair): JSON.stringify writes them as "\ud800", which PostgreSQL's
//   json type refuses, so a title with one failed the audit event of the change that stored it;
// - `__proto__`, `constructor`, `prototype` keys: strict schemas let them through unnoticed (JSON.parse
//   makes `__proto__` an own key, which object spreads and Object.assign then treat as the prototype);
// - nesting deeper than any input of ours, which recursive code (ours or a library's) would otherwise
//   meet as "Maximum call stack size exceeded".
// Refusing these once here keeps a client's bad input a 400 naming the field, for every procedure.

const NUL_CHARACTER_MESSAGE = 'Text cannot contain NUL (U+0000) characters.';
const LONE_SURROGATE_MESSAGE = 'Text must be valid Unicode (it holds half of a surrogate pair).';
const RESERVED_KEY_MESSAGE = 'This key is reserved and cannot be sent.';
const TOO_DEEP_MESSAGE = 'The input is nested too deeply.';

/** No input of ours nests deeper than a few levels; this leaves room and stops pathological bodies. */
const MAX_DEPTH = 16;
/** Past this many values the walk stops: the input schema refuses inputs that big anyway. */
const MAX_VISITED_VALUES = 50_000;

const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

export interface InputProblem {
  /** Where (`a.b.0`, '' for the input itself). */
  path: string;
  message: string;
}

// In a `u` regular expression a surrogate pair is one code point; only a lone half is in category Cs.
// (String.prototype.isWellFormed says the same, but needs lib ES2024, which would also offer APIs
// Node 20 lacks.)
const loneSurrogate = /\p{Cs}/u;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return NUL_CHARACTER_MESSAGE;
  if (loneSurrogate.test(text)) return LONE_SURROGATE_MESSAGE;
  return null;
}

/**
 * The first problem in a decoded JSON-like input (strings and keys checked alike), or null. Iterative,
 * so hostile nesting cannot exhaust the stack of the check meant to stop it.
 */
export function inputProblem(input: unknown): InputProblem | null {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: input, path: '', depth: 0 },
  ];
  for (let visited = 0; pending.length > 0 && visited < MAX_VISITED_VALUES; visited += 1) {
    const { value, path, depth } = pending.pop() as (typeof pending)[number];
    if (typeof value === 'string') {
      const message = textProblem(value);
      if (message) return { path, message };
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_DEPTH) return { path, message: TOO_DEEP_MESSAGE };
      // Dates (superjson decodes them) carry no keys to check.
      if (value instanceof Date) continue;
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (reservedKeys.has(key)) return { path: childPath, message: RESERVED_KEY_MESSAGE };
        const message = textProblem(key);
        if (message) return { path: childPath, message };
        pending.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return null;
}

// In a `u` regular expression a surrogate pair is one code point, so \p{Cs} matches only lone halves.
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * JSON for a jsonb column. JSON.stringify writes a lone surrogate (half of a UTF-16 pair, valid in a
 * JavaScript string) as `\ud800`, which PostgreSQL's JSON parser refuses, failing the statement; text
 * columns store it as U+FFFD (the driver encodes UTF-8 so). Writing U+FFFD here too keeps the two equal.
 */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' ? item.replace(LONE_SURROGATE, '\uFFFD') : item,
  );
}
