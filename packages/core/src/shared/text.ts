// PostgreSQL text cannot hold NUL (U+0000): a string carrying one fails the statement that stores or
// even compares it ("invalid byte sequence for encoding UTF8: 0x00"). Refusing it at the edge keeps a
// client's bad input a 400 instead of a 500, for every field of every procedure at once.

export const NUL_CHARACTER_MESSAGE = 'Text cannot contain NUL (U+0000) characters.';

/** Past this many values the walk stops: the input schema refuses inputs that big or deep anyway. */
const MAX_VISITED_VALUES = 50_000;

/**
 * The path (`a.b.0`) of the first string in a decoded JSON-like input that contains NUL, keys
 * included; null when there is none.
 */
export function nulCharacterPath(input: unknown): string | null {
  const pending: Array<{ value: unknown; path: string }> = [{ value: input, path: '' }];
  for (let visited = 0; pending.length > 0 && visited < MAX_VISITED_VALUES; visited += 1) {
    const { value, path } = pending.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return childPath;
        pending.push({ value: child, path: childPath });
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
